/**
 * Finds dbt's `profiles.yml` as dbt does (`DBT_PROFILES_DIR`, the project folder, `~/.dbt/`) for
 * every dbt project in the workspace, and reads the DuckDB targets it defines, so
 * "Create R2 Secret for Target" can offer them. Only names, types and paths are read; values that
 * look like credentials are never returned. No VS Code import.
 */
import { parseYaml, readConfigText } from './configText';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readDotEnv } from './envImport';

export interface DbtTarget {
  readonly profile: string;
  readonly target: string;
  /** True for the profile's default `target:`. */
  readonly isDefault: boolean;
  /** dbt-duckdb's `path`, e.g. `dev.duckdb` or `md:analytics`; undefined when not set. */
  readonly path?: string;
  /** A MotherDuck target (`md:` / `motherduck:` path): its R2 secret belongs in MotherDuck. */
  readonly motherduck: boolean;
  /** The profiles.yml it was read from (findDbtProfiles sets it). */
  readonly file?: string;
}

export interface DbtProfilesFile {
  readonly file: string;
  readonly targets: readonly DbtTarget[];
}

/** Where to look for profiles.yml, as the shell knows it. */
export interface ProfilesSearch {
  /** Local workspace folders. */
  readonly workspaceFolders: readonly string[];
  /** The folders holding a `dbt_project.yml`, at any depth in the workspace. */
  readonly projectDirs: readonly string[];
  /** The extension host's environment (its `DBT_PROFILES_DIR` wins over a workspace `.env`). */
  readonly env?: NodeJS.ProcessEnv;
  readonly home?: string;
}

export interface ProfilesCandidate {
  readonly file: string;
  /** Why this place: `DBT_PROFILES_DIR (environment)`, `DBT_PROFILES_DIR (/w/.env)`, `dbt project`, `workspace folder`, `~/.dbt`. */
  readonly why: string;
}

export interface DbtProfilesFound {
  /** The files read, in search order; empty when none exists. */
  readonly files: readonly DbtProfilesFile[];
  /** Every place looked at, in order, for the "none found" message. */
  readonly searched: readonly ProfilesCandidate[];
}

/**
 * The places dbt looks, in order: `DBT_PROFILES_DIR` (the environment's, else one set in a
 * workspace folder's `.env`), the folder of each `dbt_project.yml`, each workspace folder, then
 * `~/.dbt`. A `.env` is workspace content: its `DBT_PROFILES_DIR` only chooses which
 * `profiles.yml` is read (never written), and only target names, types and paths are taken from it.
 */
export async function profilesCandidates(search: ProfilesSearch): Promise<ProfilesCandidate[]> {
  const env = search.env ?? process.env;
  const home = search.home ?? os.homedir();
  const expand = (dir: string, base: string) => (dir === '~' || dir.startsWith('~/') ? path.join(home, dir.slice(1)) : path.resolve(base, dir));
  const candidates: ProfilesCandidate[] = [];
  const fromEnv = env.DBT_PROFILES_DIR?.trim();
  if (fromEnv) {
    // A relative one is taken from each workspace folder (an absolute one resolves the same from each).
    for (const base of search.workspaceFolders.length > 0 ? search.workspaceFolders : [home]) {
      candidates.push({ file: path.join(expand(fromEnv, base), 'profiles.yml'), why: 'DBT_PROFILES_DIR (environment)' });
    }
  } else {
    for (const folder of search.workspaceFolders) {
      const dotEnv = await readDotEnv(folder).catch(() => undefined);
      if (!dotEnv) continue;
      const dir = dotEnv.values.DBT_PROFILES_DIR?.trim();
      if (dir) candidates.push({ file: path.join(expand(dir, folder), 'profiles.yml'), why: `DBT_PROFILES_DIR (${dotEnv.description})` });
    }
  }
  for (const dir of search.projectDirs) candidates.push({ file: path.join(dir, 'profiles.yml'), why: 'dbt project' });
  for (const dir of search.workspaceFolders) candidates.push({ file: path.join(dir, 'profiles.yml'), why: 'workspace folder' });
  candidates.push({ file: path.join(home, '.dbt', 'profiles.yml'), why: '~/.dbt' });
  const seen = new Set<string>();
  return candidates.filter((c) => !seen.has(c.file) && seen.add(c.file));
}

/**
 * Reads the profiles.yml files dbt would use: the one `DBT_PROFILES_DIR` names (it serves every
 * project), else every one found next to a project or in a workspace folder, else `~/.dbt`'s.
 * Throws on invalid YAML, naming the file.
 */
export async function findDbtProfiles(search: ProfilesSearch): Promise<DbtProfilesFound> {
  const searched = await profilesCandidates(search);
  const existing: ProfilesCandidate[] = [];
  for (const candidate of searched) {
    if ((await fs.stat(candidate.file).catch(() => undefined))?.isFile()) existing.push(candidate);
  }
  const first = existing[0];
  const chosen = !first
    ? []
    : first.why.startsWith('DBT_PROFILES_DIR') || first.why === '~/.dbt'
      ? [first]
      : existing.filter((c) => c.why === 'dbt project' || c.why === 'workspace folder');
  const files: DbtProfilesFile[] = [];
  for (const c of chosen) {
    const text = await readConfigText(c.file);
    files.push({ file: c.file, targets: (await parseDbtProfiles(text, c.file)).map((t) => ({ ...t, file: c.file })) });
  }
  return { files, searched };
}

/** Reads the first profiles.yml that exists; undefined when there is none. Throws on invalid YAML. */
export async function readDbtProfiles(candidates: readonly string[]): Promise<DbtProfilesFile | undefined> {
  for (const file of candidates) {
    let text: string;
    try {
      text = await readConfigText(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== undefined) continue;
      throw error;
    }
    return { file, targets: await parseDbtProfiles(text, file) };
  }
  return undefined;
}

/** The DuckDB targets in a profiles.yml text (dbt-duckdb's `type: duckdb`). */
export async function parseDbtProfiles(text: string, file = 'profiles.yml'): Promise<DbtTarget[]> {
  const doc = await parseYaml(text, file);
  if (!isRecord(doc)) return [];
  const targets: DbtTarget[] = [];
  for (const [profile, body] of Object.entries(doc)) {
    if (profile === 'config' || !isRecord(body) || !isRecord(body.outputs)) continue;
    for (const [target, output] of Object.entries(body.outputs)) {
      if (!isRecord(output) || output.type !== 'duckdb') continue;
      // dbt-duckdb accepts `md:db?motherduck_token=…`: keep the database, never the query string.
      const dbPath = typeof output.path === 'string' ? output.path.replace(/\?.*/s, '') : undefined;
      targets.push({
        profile,
        target,
        isDefault: target === body.target,
        path: dbPath,
        // Stryker disable next-line ConditionalExpression: RegExp.test(undefined) tests "undefined", which has no md: prefix
        motherduck: dbPath !== undefined && /^(md|motherduck):/i.test(dbPath),
      });
    }
  }
  return targets;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
