/**
 * Reads dbt's `profiles.yml` (workspace root, then `~/.dbt/`) for the DuckDB targets it defines, so
 * "Create R2 Secret for Target" can offer them. Only names, types and paths are read; values that
 * look like credentials are never returned. No VS Code import.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface DbtTarget {
  readonly profile: string;
  readonly target: string;
  /** True for the profile's default `target:`. */
  readonly isDefault: boolean;
  /** dbt-duckdb's `path`, e.g. `dev.duckdb` or `md:analytics`; undefined when not set. */
  readonly path?: string;
  /** A MotherDuck target (`md:` / `motherduck:` path): its R2 secret belongs in MotherDuck. */
  readonly motherduck: boolean;
}

export interface DbtProfilesFile {
  readonly file: string;
  readonly targets: readonly DbtTarget[];
}

/** The places dbt looks, in order: `DBT_PROFILES_DIR`, the project (workspace) folder, `~/.dbt`. */
export function profilesCandidates(workspaceFolders: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = [env.DBT_PROFILES_DIR, ...workspaceFolders, path.join(os.homedir(), '.dbt')].filter(
    (d): d is string => typeof d === 'string' && d.length > 0,
  );
  return [...new Set(dirs.map((d) => path.join(d, 'profiles.yml')))];
}

/** Reads the first profiles.yml that exists; undefined when there is none. Throws on invalid YAML. */
export async function readDbtProfiles(candidates: readonly string[]): Promise<DbtProfilesFile | undefined> {
  for (const file of candidates) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      continue;
    }
    return { file, targets: await parseDbtProfiles(text, file) };
  }
  return undefined;
}

/** The DuckDB targets in a profiles.yml text (dbt-duckdb's `type: duckdb`). */
export async function parseDbtProfiles(text: string, file = 'profiles.yml'): Promise<DbtTarget[]> {
  const { parse } = await import('../vendor/yaml');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`${file} is not valid YAML: ${reason}`);
  }
  if (!isRecord(doc)) return [];
  const targets: DbtTarget[] = [];
  for (const [profile, body] of Object.entries(doc)) {
    if (profile === 'config' || !isRecord(body) || !isRecord(body.outputs)) continue;
    const defaultTarget = typeof body.target === 'string' ? body.target : undefined;
    for (const [target, output] of Object.entries(body.outputs)) {
      if (!isRecord(output) || output.type !== 'duckdb') continue;
      // dbt-duckdb accepts `md:db?motherduck_token=…`: keep the database, never the query string.
      const dbPath = typeof output.path === 'string' ? output.path.replace(/\?.*$/s, '') : undefined;
      targets.push({
        profile,
        target,
        isDefault: target === defaultTarget,
        path: dbPath,
        motherduck: dbPath !== undefined && /^(md|motherduck):/i.test(dbPath),
      });
    }
  }
  return targets;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
