/**
 * Which R2 secret a dbt target needs: `dev` → the session secret `r2_dev_secret`, `prod` → the
 * MotherDuck secret `r2_prod_secret` (names from settings). When the workspace has a dbt
 * `profiles.yml`, its DuckDB targets are offered instead: a target whose path is `md:…` gets a
 * MotherDuck secret, any other a session secret. No VS Code import.
 */
import type { DbtProfilesFile } from '../credentials/dbtProfiles';
import { secretNameProblem } from './secretSql';

/** Where the target's secret is created: the window's DuckDB session, or MotherDuck. */
export type TargetStorage = 'memory' | 'motherduck';

export interface TargetSecret {
  /** The dbt target's name: `dev`, `prod`, or one from profiles.yml. */
  readonly target: string;
  /** The dbt profile the target belongs to (profiles.yml only). */
  readonly profile?: string;
  /** dbt-duckdb's `path` for the target (profiles.yml only). */
  readonly path?: string;
  readonly storage: TargetStorage;
  /** The secret's name. */
  readonly name: string;
  /** The default target: profiles.yml's `target:`, or the `duckdbSecrets.target` setting. */
  readonly isDefault: boolean;
  readonly from: 'profiles.yml' | 'settings';
  /** The profiles.yml the target was read from. */
  readonly file?: string;
}

/** The settings that name the default target and the two secrets. */
export interface TargetSettings {
  readonly target: string;
  readonly devName: string;
  readonly prodName: string;
}

/**
 * The secret name for a target: the settings' names for `dev` and `prod`, `r2_<target>_secret`
 * for another target when that is a valid name, else the name of the kind (session or MotherDuck).
 */
export function secretNameForTarget(target: string, storage: TargetStorage, settings: TargetSettings): string {
  const lower = target.toLowerCase();
  if (lower === 'dev') return settings.devName;
  if (lower === 'prod') return settings.prodName;
  const derived = `r2_${lower.replace(/[^a-z0-9_]/g, '_')}_secret`;
  if (!secretNameProblem(derived)) return derived;
  return storage === 'motherduck' ? settings.prodName : settings.devName;
}

/** The targets to offer, default first: profiles.yml's DuckDB targets when it has any, else dev and prod. */
export function targetSecrets(file: DbtProfilesFile | undefined, settings: TargetSettings): TargetSecret[] {
  const targets = file?.targets ?? [];
  const secrets: TargetSecret[] =
    targets.length > 0
      ? targets.map((t) => {
          const storage: TargetStorage = t.motherduck ? 'motherduck' : 'memory';
          return {
            target: t.target,
            profile: t.profile,
            ...(t.path !== undefined ? { path: t.path } : {}),
            ...(t.file !== undefined ? { file: t.file } : {}),
            storage,
            name: secretNameForTarget(t.target, storage, settings),
            isDefault: t.isDefault,
            from: 'profiles.yml' as const,
          };
        })
      : [
          { target: 'dev', storage: 'memory', name: settings.devName, isDefault: settings.target !== 'prod', from: 'settings' },
          { target: 'prod', storage: 'motherduck', name: settings.prodName, isDefault: settings.target === 'prod', from: 'settings' },
        ];
  return [...secrets].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
}

/**
 * The target a command argument names: `prod`, or `profile.target` when several profiles share a
 * target name. A bare name picks the first match (the default profile's target comes first).
 */
export function findTarget(secrets: readonly TargetSecret[], wanted: string): TargetSecret | undefined {
  const text = wanted.trim().toLowerCase();
  const qualified = secrets.find((s) => s.profile !== undefined && `${s.profile}.${s.target}`.toLowerCase() === text);
  return qualified ?? secrets.find((s) => s.target.toLowerCase() === text);
}

/** "session secret r2_dev_secret" / "MotherDuck secret r2_prod_secret". */
export function describeTargetSecret(secret: Pick<TargetSecret, 'storage' | 'name'>): string {
  return `${secret.storage === 'motherduck' ? 'MotherDuck' : 'session'} secret ${secret.name}`;
}
