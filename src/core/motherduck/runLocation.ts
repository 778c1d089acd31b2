/**
 * Where a bucket read runs once MotherDuck is attached: in this window's DuckDB ("local", where
 * session, local-file and MotherDuck secrets apply) or in MotherDuck's cloud runtime ("motherduck",
 * where only MotherDuck-stored secrets apply). For Test R2 Bucket: ask with `chooseRunLocation`,
 * require a MotherDuck-stored secret with `requireMotherDuckSecret`, put `mdRunParameter` into the
 * `read_parquet`/`read_csv`/`read_json` calls (MotherDuck's MD_RUN parameter; `glob`, `read_blob`
 * and `parquet_schema` take none, so listings always run in this window), and say which part ran
 * where with `describeRun`. No VS Code import.
 */
import { UserFacingError, errorText, type ErrorAction } from '../errors';
import type { PickItem, Prompter } from '../prompts';
import { storageLabel } from '../secrets/secretsModel';
import { MOTHERDUCK_STORAGE } from '../secrets/secretSql';

export type RunLocation = 'local' | 'motherduck';

export const CREATE_MOTHERDUCK_SECRET_COMMAND = 'duckdbSecrets.createMotherDuckSecret';
export const CREATE_MOTHERDUCK_SECRET_ACTION: ErrorAction = { title: 'Create Persistent R2 Secret in MotherDuck', command: CREATE_MOTHERDUCK_SECRET_COMMAND };
const CONNECT_ACTION: ErrorAction = { title: 'Connect to MotherDuck', command: 'duckdbSecrets.connectMotherDuck' };

interface LocationPick extends PickItem {
  readonly location: RunLocation;
}

/** True for the two values `runIn` may take. */
export function isRunLocation(value: unknown): value is RunLocation {
  return value === 'local' || value === 'motherduck';
}

/**
 * The location to run in: `given` when it is one, `local` without a question when MotherDuck is
 * not attached, else the user's choice (local first).
 */
export async function chooseRunLocation(prompter: Prompter, motherDuckAttached: boolean, given?: unknown): Promise<RunLocation> {
  if (isRunLocation(given)) return given;
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

/**
 * Which part of a test ran where. In MotherDuck only the read check can run remotely (its reader
 * takes MD_RUN); the listing is `read_blob`/`glob` in this window, with the MotherDuck-stored secret.
 * `readRanIn` is undefined when there was nothing to read.
 */
export function describeRun(location: RunLocation, readRanIn: RunLocation | undefined, readKey?: string): string {
  if (location === 'local') return describeRunLocation(location);
  const listing = "listing: this window's DuckDB with the MotherDuck secret (read_blob takes no MD_RUN)";
  if (readRanIn === 'motherduck') return `${listing}; read check: MotherDuck (MD_RUN = REMOTE)`;
  if (readRanIn === 'local') {
    const what = readKey ? `${readKey} is not` : 'no object read was';
    return `${listing}; read check: this window's DuckDB too (${what} Parquet, CSV or JSON, the only reads MD_RUN = REMOTE sends to MotherDuck)`;
  }
  return `${listing}; read check: none (nothing to read)`;
}

/** The secret `which_secret` picked: its name and storage. */
interface AppliedSecret {
  readonly name: string;
  readonly storage: string;
}

/**
 * Why the secret DuckDB applies to `root` does not do for a run in MotherDuck, or undefined when it
 * is stored in MotherDuck. `secret` is what `which_secret` picked in this window.
 */
export function motherDuckSecretProblem(secret: AppliedSecret | undefined, root: string): string | undefined {
  return secret?.storage === MOTHERDUCK_STORAGE ? undefined : notStoredInMotherDuck(secret, root);
}

/** The secret, when it is stored in MotherDuck; else throws why not, offering to create one. */
export function requireMotherDuckSecret<T extends AppliedSecret>(secret: T | undefined, root: string): T {
  if (secret?.storage === MOTHERDUCK_STORAGE) return secret;
  throw new UserFacingError(notStoredInMotherDuck(secret, root), undefined, [CREATE_MOTHERDUCK_SECRET_ACTION]);
}

function notStoredInMotherDuck(secret: AppliedSecret | undefined, root: string): string {
  if (!secret) return `No MotherDuck secret applies to ${root}: in MotherDuck only secrets stored in MotherDuck apply.`;
  return (
    `DuckDB applies secret "${secret.name}" (${storageLabel(secret.storage)}) to ${root}, and it is not stored in MotherDuck: ` +
    `in MotherDuck only MotherDuck-stored secrets apply. Create one in MotherDuck scoped to ${root} (or drop the local one), or test locally.`
  );
}

/**
 * A statement with MD_RUN that DuckDB would not bind: MotherDuck is not attached (without its
 * extension no reader takes MD_RUN), so nothing ran, locally or remotely. Undefined for other errors.
 */
export function translateRemoteRunError(error: unknown): UserFacingError | undefined {
  const text = errorText(error);
  if (!/named parameter "?MD_RUN"?/i.test(text)) return undefined;
  return new UserFacingError(
    'MotherDuck did not run the read check: MD_RUN needs MotherDuck attached to this DuckDB session. Connect to MotherDuck and test again, or test locally.',
    text.split('\n')[0],
    [CONNECT_ACTION],
  );
}
