/**
 * Where a bucket read runs once MotherDuck is attached: in this window's DuckDB ("local", where
 * session, local-file and MotherDuck secrets apply) or in MotherDuck's cloud runtime ("motherduck",
 * where only MotherDuck-stored secrets apply). For Test R2 Bucket: ask with `chooseRunLocation`,
 * put `mdRunParameter` into the `read_parquet`/`read_csv`/`read_json` calls (MotherDuck's MD_RUN
 * parameter), and say which ran with `describeRunLocation`. No VS Code import.
 */
import type { PickItem, Prompter } from './prompts';

export type RunLocation = 'local' | 'motherduck';

interface LocationPick extends PickItem {
  readonly location: RunLocation;
}

/**
 * The location to run in: `given` when it is one, `local` without a question when MotherDuck is
 * not attached, else the user's choice (local first).
 */
export async function chooseRunLocation(prompter: Prompter, motherDuckAttached: boolean, given?: unknown): Promise<RunLocation> {
  if (given === 'local' || given === 'motherduck') return given;
  if (!motherDuckAttached) return 'local';
  const items: LocationPick[] = [
    { location: 'local', label: '$(vm) Locally', description: "this window's DuckDB", detail: 'Session, local-file and MotherDuck secrets apply.' },
    { location: 'motherduck', label: '$(cloud) In MotherDuck', description: 'remote (MD_RUN = REMOTE)', detail: 'Only secrets stored in MotherDuck apply.' },
  ];
  const picked = await prompter.pick(items, { title: 'Test R2 Bucket', placeHolder: 'MotherDuck is attached: where should the listing run?' });
  return picked.location;
}

/** MotherDuck's MD_RUN argument for read_parquet, read_csv and read_json: `MD_RUN = LOCAL` or `MD_RUN = REMOTE`. */
export function mdRunParameter(location: RunLocation): string {
  return location === 'motherduck' ? 'MD_RUN = REMOTE' : 'MD_RUN = LOCAL';
}

/** For the result message: which ran. */
export function describeRunLocation(location: RunLocation): string {
  return location === 'motherduck' ? 'ran in MotherDuck (only MotherDuck-stored secrets apply)' : "ran locally in this window's DuckDB";
}
