/**
 * dbt runs outside this window: `dbt run` in a terminal opens its own DuckDB and never sees a
 * secret in the window's session. For a target whose database is a local file or `:memory:`,
 * Create R2 Secret for Target explains that and offers what does reach dbt: a `secrets:` entry in
 * the target in profiles.yml (env_var() references only; "Add R2 Secret to dbt Target") and the
 * keychain's credentials in terminals. "Replace SET s3_* Hooks with a dbt Secret" moves legacy
 * hooks of dbt_project.yml to the same entry. The edits themselves are in src/core/credentials/.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandSpec } from '../commands';
import type { CommandUiHolder } from '../commandUi';
import type { CredentialStore } from '../../core/credentials/credentialStore';
import { addTargetSecret, dbtSecretEntry, type DbtSecretEntry, type ProfilesEditResult } from '../../core/credentials/dbtProfilesEdit';
import { findS3Hooks, removeS3Hooks } from '../../core/credentials/dbtProjectHooks';
import { findDbtProfiles, type DbtProfilesFile } from '../../core/credentials/dbtProfiles';
import { missingCredentialsError } from '../../core/duckdb/duckdbErrors';
import { CancelledError, UserFacingError } from '../../core/errors';
import type { PickItem } from '../../core/prompts';
import type { TargetSecret } from '../../core/secrets/targetSecrets';
import { envNames, type TerminalCredentials } from '../terminals/terminalCredentials';

export const ADD_TARGET_SECRET_COMMAND = 'duckdbSecrets.addDbtTargetSecret';
export const REPLACE_S3_HOOKS_COMMAND = 'duckdbSecrets.replaceS3Hooks';

export interface DbtCommandDeps {
  readonly store: CredentialStore;
  readonly terminals: TerminalCredentials;
  readonly ui: CommandUiHolder;
}

/** What a local target gets instead of (or besides) a session secret. */
export type LocalTargetAction = 'both' | 'profiles' | 'terminals' | 'session';

/** `executeCommand` arguments of Add R2 Secret to dbt Target. */
export interface AddTargetSecretArgs {
  readonly target?: string;
  readonly profile?: string;
  /** `r2` for models that read r2:// paths, `s3` for s3:// ones. */
  readonly kind?: 'r2' | 's3';
}

export interface DbtEditOutcome {
  readonly file: string;
  readonly targets: readonly string[];
  readonly actions: readonly ProfilesEditResult['action'][];
}

const plain = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype ? (v as Record<string, unknown>) : undefined;

export function dbtCommands(deps: DbtCommandDeps): CommandSpec[] {
  return [
    {
      id: ADD_TARGET_SECRET_COMMAND,
      run: async (arg) => {
        const a = plain(arg);
        const kind = a?.kind === 'r2' || a?.kind === 's3' ? a.kind : undefined;
        return addToTarget(deps, { target: typeof a?.target === 'string' ? a.target : undefined, profile: typeof a?.profile === 'string' ? a.profile : undefined, kind });
      },
    },
    { id: REPLACE_S3_HOOKS_COMMAND, run: (arg) => replaceHooks(deps, plain(arg)?.confirmed === true) },
  ];
}

function workspaceFolders(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/** profiles.yml as dbt finds it (DBT_PROFILES_DIR, each dbt_project.yml's folder, the workspace, ~/.dbt); the first one found is edited. */
async function profilesFile(): Promise<DbtProfilesFile> {
  const folders = workspaceFolders();
  const projects = folders.length === 0 ? [] : await vscode.workspace.findFiles('**/dbt_project.yml', '**/{node_modules,.git,dbt_packages,target,.venv,venv}/**', 50);
  const projectDirs = projects.filter((u) => u.scheme === 'file').map((u) => path.dirname(u.fsPath)).sort();
  const found = await findDbtProfiles({ workspaceFolders: folders, projectDirs });
  const file = found.files[0];
  if (!file) throw new UserFacingError(`No dbt profiles.yml was found (looked in ${found.searched.map((c) => c.file).join(', ') || 'no folder'}).`);
  return file;
}

/**
 * Create R2 Secret for Target, for a target dbt opens by itself (a local file or `:memory:`): says
 * why a session secret cannot reach `dbt run` and asks what to do instead. Returns `session` when
 * the caller should create the session secret after all.
 */
export async function offerForLocalTarget(deps: DbtCommandDeps, target: TargetSecret): Promise<LocalTargetAction> {
  const where = target.path ? `its own DuckDB (${target.path})` : 'its own DuckDB';
  const inFile = target.from === 'profiles.yml';
  interface ActionPick extends PickItem {
    readonly action: LocalTargetAction;
  }
  const items: ActionPick[] = [
    ...(inFile
      ? [
          { label: '$(add) Add a secrets: entry to the target and use credentials in terminals', description: 'recommended', detail: 'profiles.yml gets env_var() references only; terminals and tasks get the values from the keychain', action: 'both' as const },
          { label: '$(file-code) Only add the secrets: entry to profiles.yml', detail: 'dbt reads the keys from the environment (env_var)', action: 'profiles' as const },
        ]
      : []),
    { label: '$(terminal) Use R2 credentials in terminals', detail: 'terminals and tasks of this workspace get the keys as environment variables', action: 'terminals' },
    { label: '$(vm) Create a session secret in this window anyway', detail: "for queries in this window's DuckDB only", action: 'session' },
  ];
  const picked = await deps.ui.ui.prompter.pick(items, {
    title: `Create R2 Secret for Target ${target.target}`,
    placeHolder: `dbt run opens ${where} and creates its own session secrets: a secret in this window's DuckDB never reaches it.`,
  });
  return picked.action;
}

/** Does what `offerForLocalTarget` chose (everything but `session`). */
export async function applyLocalTargetAction(deps: DbtCommandDeps, target: TargetSecret, action: Exclude<LocalTargetAction, 'session'>): Promise<DbtEditOutcome | undefined> {
  let outcome: DbtEditOutcome | undefined;
  if (action === 'both' || action === 'profiles') outcome = await addToTarget(deps, { target: target.target, profile: target.profile });
  if (action === 'both' || action === 'terminals') await vscode.commands.executeCommand('duckdbSecrets.useCredentialsInTerminals');
  return outcome;
}

async function addToTarget(deps: DbtCommandDeps, args: AddTargetSecretArgs): Promise<DbtEditOutcome> {
  const profile = deps.store.activeProfile();
  if (!profile) throw missingCredentialsError(['account id', 'access key id', 'secret access key'], true);
  const file = await profilesFile();
  const local = file.targets.filter((t) => !t.motherduck);
  let chosen = local.find((t) => t.target === args.target && (args.profile === undefined || t.profile === args.profile));
  if (!chosen && args.target !== undefined) {
    throw new UserFacingError(`There is no local DuckDB target "${args.target}" in ${file.file}. Local targets: ${local.map((t) => `${t.profile}.${t.target}`).join(', ') || 'none'}.`);
  }
  chosen ??= (
    await deps.ui.ui.prompter.pick(
      local.map((t) => ({ label: t.target, description: `profile ${t.profile}`, detail: t.path, t })),
      { title: 'Add R2 Secret to dbt Target', placeHolder: `Local DuckDB targets in ${file.file}` },
    )
  ).t;
  const kind =
    args.kind ??
    (
      await deps.ui.ui.prompter.pick(
        [
          { label: `r2://${profile.bucket}/…`, description: 'type: r2', kind: 'r2' as const },
          { label: `s3://${profile.bucket}/…`, description: 'type: s3 with the R2 endpoint', kind: 's3' as const },
        ],
        { title: 'Add R2 Secret to dbt Target', placeHolder: 'Which paths do the models read?' },
      )
    ).kind;
  const entry = dbtSecretEntry(profile, envNames(), kind);
  const result = await editFile(file.file, (text) => addTargetSecret(text, chosen.profile, chosen.target, entry));
  void deps.ui.ui.messages.info(
    `${verb(result.action)} a type ${kind} secrets: entry in target ${chosen.target} of ${file.file}. It holds env_var() references only: ` +
      `dbt reads ${variablesOf(entry)} from the environment${deps.terminals.enabled ? ', which terminals get from the keychain' : ' (Use R2 Credentials in Terminals hands them out)'}.`,
  );
  return { file: file.file, targets: [`${chosen.profile}.${chosen.target}`], actions: [result.action] };
}

async function replaceHooks(deps: DbtCommandDeps, confirmed: boolean): Promise<DbtEditOutcome> {
  const project = await findProject();
  const text = await fs.readFile(project, 'utf8');
  const migration = await findS3Hooks(text, envNames());
  if (!migration) throw new UserFacingError(`${project} has no SET s3_* hooks (on-run-start / on-run-end).`);
  const file = await profilesFile();
  const targets = file.targets.filter((t) => migration.profile === undefined || t.profile === migration.profile);
  if (targets.length === 0) throw new UserFacingError(`${file.file} has no DuckDB targets for profile "${migration.profile ?? '?'}" named in ${project}.`);
  const names = targets.map((t) => `${t.profile}.${t.target}`).join(', ');
  if (!confirmed) {
    const ok = await deps.ui.ui.prompter.confirm(`Replace ${migration.hooks.length} SET s3_* hook(s) in dbt_project.yml with a type s3 secrets: entry in ${names}?`, 'Replace Hooks', {
      modal: true,
      detail: `${project} loses the hooks; ${file.file} gets the entry (env_var() references only). Other lines and comments stay as they are.`,
    });
    if (!ok) throw new CancelledError();
  }
  const actions: ProfilesEditResult['action'][] = [];
  for (const t of targets) actions.push((await editFile(file.file, (current) => addTargetSecret(current, t.profile, t.target, migration.entry))).action);
  await fs.writeFile(project, removeS3Hooks(text, migration));
  const literal = migration.literalKeys.length
    ? ` ${migration.literalKeys.join(' and ')} held a key written out in dbt_project.yml: the entry reads it from the environment instead; rotate that key, it is in your git history.`
    : '';
  void deps.ui.ui.messages.info(`Replaced the SET s3_* hooks of ${project} with a secrets: entry in ${names} (${file.file}).${literal}`);
  return { file: file.file, targets: targets.map((t) => `${t.profile}.${t.target}`), actions };
}

async function findProject(): Promise<string> {
  for (const folder of workspaceFolders()) {
    const candidate = path.join(folder, 'dbt_project.yml');
    if (await fs.stat(candidate).then((s) => s.isFile(), () => false)) return candidate;
  }
  throw new UserFacingError('No dbt_project.yml in the workspace folders.');
}

/** Reads, edits and writes one file; an edit that fails leaves it untouched. */
async function editFile(file: string, edit: (text: string) => Promise<ProfilesEditResult>): Promise<ProfilesEditResult> {
  const result = await edit(await fs.readFile(file, 'utf8'));
  if (result.action !== 'unchanged') await fs.writeFile(file, result.text);
  return result;
}

function verb(action: ProfilesEditResult['action']): string {
  return action === 'added' ? 'Added' : action === 'replaced' ? 'Replaced' : 'Kept the existing';
}

function variablesOf(entry: DbtSecretEntry): string {
  const names = new Set<string>();
  for (const [, value] of entry.fields) for (const m of value.matchAll(/env_var\('([^']+)'\)/g)) if (m[1]) names.add(m[1]);
  return [...names].join(', ');
}
