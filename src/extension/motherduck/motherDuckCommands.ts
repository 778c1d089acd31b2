/**
 * The MotherDuck commands: Set / Clear MotherDuck Token, Connect to / Disconnect from MotherDuck,
 * Create Persistent R2 Secret in MotherDuck, and Create R2 Secret for Target. Each takes an
 * arguments object through `executeCommand` (scripts and tests: what is left out takes its default
 * without a question) and otherwise asks through the Prompter of the secret commands' UI seam. The
 * token is never put in a message, a prompt's text or a return value.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandSpec } from '../commands';
import { readSetting } from '../config';
import type { CredentialStore } from '../../core/credentials/credentialStore';
import { findDbtProfiles, type DbtProfilesFile, type DbtProfilesFound } from '../../core/credentials/dbtProfiles';
import { missingCredentialsError, missingR2Fields } from '../../core/duckdb/duckdbErrors';
import { CancelledError, UserFacingError, errorText } from '../../core/errors';
import type { LocalSecrets, SecretRef } from '../../core/secrets/localSecrets';
import type { Logger } from '../../core/logger';
import { checkMotherDuckToken, storeMotherDuckToken } from '../../core/motherduck/motherDuck';
import type { MotherDuckSecrets } from '../../core/secrets/motherDuckSecrets';
import type { Credentials } from '../../core/credentials/profiles';
import type { PickItem } from '../../core/prompts';
import type { CommandUiHolder } from '../commandUi';
import { askR2Scope } from '../secrets/secretCommands';
import { applyLocalTargetAction, offerForLocalTarget, type DbtCommandDeps, type DbtEditOutcome, type LocalTargetAction } from '../dbt/dbtCommands';
import type { SecretsTreeModel } from '../../core/secrets/secretsTreeModel';
import { secretNameProblem } from '../../core/secrets/secretSql';
import { describeTargetSecret, findTarget, targetSecrets, type TargetSecret } from '../../core/secrets/targetSecrets';

export interface MotherDuckCommandDeps {
  readonly motherDuck: MotherDuckSecrets;
  readonly store: CredentialStore;
  readonly localSecrets: LocalSecrets;
  readonly tree: SecretsTreeModel;
  readonly ui: CommandUiHolder;
  readonly log: Logger;
  /** For targets dbt opens by itself: the profiles.yml entry and credentials in terminals (dbtCommands.ts). */
  readonly dbt?: DbtCommandDeps;
}

/** `executeCommand` arguments of Create Persistent R2 Secret in MotherDuck. */
export interface MotherDuckSecretArgs {
  readonly name?: string;
  /** `r2://bucket[/prefix]`; empty or missing for DuckDB's default scope. */
  readonly scope?: string;
  /** Replace a MotherDuck secret of the same name without asking. */
  readonly replace?: boolean;
}

/** `executeCommand` arguments of Create R2 Secret for Target (or just the target's name). */
export interface TargetArgs {
  /** `dev`, `prod`, a profiles.yml target, or `profile.target`. */
  readonly target?: string;
  readonly name?: string;
  readonly scope?: string;
  /** For a local target: what to do instead of (`both`, `profiles`, `terminals`) or as (`session`, the default with arguments) a session secret. */
  readonly action?: LocalTargetAction;
}

export function motherDuckCommands(deps: MotherDuckCommandDeps): CommandSpec[] {
  const handlers = new MotherDuckCommandHandlers(deps);
  return [
    { id: 'duckdbSecrets.setMotherDuckToken', run: (arg) => handlers.setToken(arg) },
    { id: 'duckdbSecrets.clearMotherDuckToken', run: (arg) => handlers.clearToken(arg) },
    { id: 'duckdbSecrets.connectMotherDuck', run: (arg) => handlers.connect(arg) },
    { id: 'duckdbSecrets.disconnectMotherDuck', run: () => handlers.disconnect() },
    { id: 'duckdbSecrets.createMotherDuckSecret', run: (arg) => handlers.createSecret(arg) },
    { id: 'duckdbSecrets.createSecretForTarget', run: (arg) => handlers.createForTarget(arg) },
  ];
}

/** Plain objects only: a tree node (a class instance) from a context menu is not an arguments object. */
function plainObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype ? (value as Record<string, unknown>) : undefined;
}

function stringField(args: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = args?.[key];
  return typeof value === 'string' ? value : undefined;
}

function localAction(value: string | undefined): LocalTargetAction | undefined {
  return value === 'both' || value === 'profiles' || value === 'terminals' || value === 'session' ? value : undefined;
}

interface ActionPick extends PickItem {
  readonly command: string;
}

class MotherDuckCommandHandlers {
  constructor(private readonly deps: MotherDuckCommandDeps) {}

  private get ui() {
    return this.deps.ui.ui;
  }

  async setToken(arg: unknown): Promise<void> {
    const given = typeof arg === 'string' ? arg : stringField(plainObject(arg), 'token');
    const raw =
      given ??
      (await this.ui.prompter.input({
        title: 'Set MotherDuck Token',
        prompt: 'MotherDuck access token (MotherDuck → Settings → Access Tokens). It is kept in the OS keychain only.',
        placeHolder: 'Paste the token',
        password: true,
        validate: (value) => {
          const checked = checkMotherDuckToken(value);
          return checked.ok ? undefined : checked.error;
        },
      }));
    const checked = checkMotherDuckToken(raw);
    if (!checked.ok) throw new UserFacingError(checked.error);
    // A token passed by a caller (another extension, a command: link) is always asked about; a typed one replaces silently only its own command's token.
    const outcome = await storeMotherDuckToken(this.deps.store, this.ui.prompter, checked.token, given !== undefined ? { kind: 'argument' } : { kind: 'typed' });
    if (outcome === 'declined') throw new CancelledError();
    if (outcome === 'same') {
      void this.ui.messages.info('This MotherDuck token is the one already stored: nothing changed.');
      return;
    }
    const next = this.deps.motherDuck.connection.isConnected
      ? 'The current MotherDuck connection keeps the old token until you disconnect and connect again.'
      : 'Connect to MotherDuck uses it.';
    void this.ui.messages.info(['Saved the MotherDuck token in the OS keychain.', ...checked.notes, next].join(' '));
  }

  async clearToken(arg: unknown): Promise<void> {
    if (!this.deps.store.hasMotherDuckToken()) {
      void this.ui.messages.info('No MotherDuck token is stored.');
      return;
    }
    const confirmed =
      plainObject(arg)?.confirmed === true ||
      (await this.ui.prompter.confirm('Delete the MotherDuck token from the OS keychain?', 'Delete Token', {
        modal: true,
        detail: 'MotherDuck secrets stay in MotherDuck. To connect again you set the token again.',
      }));
    if (!confirmed) throw new CancelledError();
    await this.deps.store.clearMotherDuckToken();
    const still = this.deps.motherDuck.connection.isConnected ? ' This window stays connected until you disconnect.' : '';
    void this.ui.messages.info(`Deleted the MotherDuck token from the OS keychain.${still}`);
  }

  /** Connects; with `{menu: true}` (the status bar) while connected, offers Disconnect and the other MotherDuck actions. */
  async connect(arg: unknown): Promise<boolean> {
    const motherDuck = this.deps.motherDuck;
    if (plainObject(arg)?.menu === true && motherDuck.connection.isConnected) {
      const actions: ActionPick[] = [
        { label: '$(debug-disconnect) Disconnect from MotherDuck', description: 'restarts the DuckDB session without MotherDuck', command: 'duckdbSecrets.disconnectMotherDuck' },
        { label: '$(cloud-upload) Create Persistent R2 Secret in MotherDuck', command: 'duckdbSecrets.createMotherDuckSecret' },
        { label: '$(refresh) Refresh Secrets', command: 'duckdbSecrets.refreshSecrets' },
      ];
      const picked = await this.ui.prompter.pick(actions, { title: 'MotherDuck: connected', placeHolder: 'MotherDuck action' });
      await vscode.commands.executeCommand(picked.command);
      return true;
    }
    const connectedNow = await this.connecting(() => motherDuck.connect());
    await this.deps.tree.refresh();
    void this.ui.messages.info(
      connectedNow ? 'Connected to MotherDuck: its secrets are in the Secrets view\'s MotherDuck group.' : 'MotherDuck is connected already.',
    );
    return true;
  }

  async disconnect(): Promise<void> {
    const motherDuck = this.deps.motherDuck;
    if (motherDuck.connection.state.kind === 'disconnected' && !(await motherDuck.isAttached())) {
      void this.ui.messages.info('MotherDuck is not connected.');
      return;
    }
    await motherDuck.disconnect();
    await this.deps.tree.refresh();
    const recreated = readSetting('recreateSessionSecrets') ? ' Session secrets made from credential profiles were re-created from the keychain.' : '';
    void this.ui.messages.info(`Disconnected from MotherDuck: the DuckDB session restarted without it.${recreated}`);
  }

  async createSecret(arg: unknown): Promise<SecretRef> {
    const given = plainObject(arg);
    const args: MotherDuckSecretArgs | undefined = given && { name: stringField(given, 'name'), scope: stringField(given, 'scope'), replace: given.replace === true };
    const credentials = await this.activeCredentials();
    await this.connecting(() => this.deps.motherDuck.ensureConnected());
    const title = 'Create Persistent R2 Secret in MotherDuck';
    const name =
      args?.name ??
      (args
        ? readSetting('secretName.prod')
        : await this.ui.prompter.input({
            title: `${title} (1/2)`,
            prompt: "Secret name (the prod target's name by default; dbt models refer to it)",
            value: readSetting('secretName.prod'),
            validate: secretNameProblem,
          }));
    const scope = args ? args.scope?.trim() || undefined : await askR2Scope(this.ui.prompter, `${title} (2/2)`, credentials);
    if (!args?.replace) await this.confirmReplace(name);
    return this.createInMotherDuck(credentials, name, scope);
  }

  async createForTarget(arg: unknown): Promise<(SecretRef & { target: string }) | { target: string; action: LocalTargetAction; edit?: DbtEditOutcome }> {
    const given = plainObject(arg);
    const args: TargetArgs | undefined =
      typeof arg === 'string'
        ? { target: arg }
        : given && { target: stringField(given, 'target'), name: stringField(given, 'name'), scope: stringField(given, 'scope'), action: localAction(stringField(given, 'action')) };
    const found = await this.readProfiles();
    const file = mergeProfiles(found?.files ?? []);
    const choices = targetSecrets(file, {
      target: readSetting('target'),
      devName: readSetting('secretName.dev'),
      prodName: readSetting('secretName.prod'),
    });
    let chosen: TargetSecret | undefined;
    if (args?.target !== undefined) {
      chosen = findTarget(choices, args.target);
      if (!chosen) {
        const known = choices.map((c) => (c.profile ? `${c.profile}.${c.target}` : c.target)).join(', ');
        throw new UserFacingError(`There is no dbt target "${args.target}"${file ? ` in ${file.file}` : ''}. Known targets: ${known}.`);
      }
    } else {
      const severalFiles = (found?.files.length ?? 0) > 1;
      chosen = (await this.ui.prompter.pick(choices.map((c) => targetPick(c, severalFiles)), {
        title: 'Create R2 Secret for Target',
        placeHolder: file
          ? `dbt targets in ${file.file}`
          : `No profiles.yml found (looked in ${(found?.searched ?? []).map((c) => tildePath(c.file)).join(', ')}): dev and prod from settings`,
      })).secret;
    }
    // dbt opens a local target's database by itself: a session secret here never reaches `dbt run`.
    if (chosen.storage === 'memory' && this.deps.dbt) {
      const action = args ? (args.action ?? 'session') : await offerForLocalTarget(this.deps.dbt, chosen);
      if (action !== 'session') return { target: chosen.target, action, edit: await applyLocalTargetAction(this.deps.dbt, chosen, action) };
    }
    const name = args?.name ?? chosen.name;
    const scope = args?.scope?.trim() || undefined;
    const credentials = await this.activeCredentials();
    let created: SecretRef;
    if (chosen.storage === 'motherduck') {
      created = await this.createInMotherDuck(credentials, name, scope, chosen.target);
    } else {
      created = await this.deps.localSecrets.create(credentials, { name, persistent: false, scope: scope ? [scope] : [] });
      await this.deps.tree.refresh();
      void this.ui.messages.info(
        `Created session R2 secret ${created.name} for target ${chosen.target} from profile "${credentials.label}" (${scope ?? 'all r2:// paths'}), in this window's DuckDB session.`,
      );
    }
    return { ...created, target: chosen.target };
  }

  private async createInMotherDuck(credentials: Credentials, name: string, scope: string | undefined, target?: string): Promise<SecretRef> {
    const created = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Creating R2 secret ${name} in MotherDuck` }, () =>
      this.deps.motherDuck.create(credentials, { name, scope: scope ? [scope] : [] }),
    );
    await this.deps.tree.refresh();
    const forTarget = target ? ` for target ${target}` : '';
    void this.ui.messages.info(
      `Created R2 secret ${created.name}${forTarget} in MotherDuck from profile "${credentials.label}" (${scope ?? 'all r2:// paths'}). ` +
        'MotherDuck keeps it encrypted for your MotherDuck user, across sessions.',
    );
    return created;
  }

  private async confirmReplace(name: string): Promise<void> {
    const wanted = name.toLowerCase();
    const existing = (await this.deps.motherDuck.list()).find((s) => s.name === wanted);
    if (!existing) return;
    const replace = await this.ui.prompter.confirm(`A secret named "${existing.name}" already exists in MotherDuck. Replace it?`, 'Replace', { modal: true });
    if (!replace) throw new CancelledError();
  }

  /** The active profile with its keys, or the "Missing R2 credentials" error. */
  private async activeCredentials(): Promise<Credentials> {
    const credentials = await this.deps.store.activeCredentials();
    const missing = missingR2Fields(credentials);
    if (!credentials || missing.length > 0) throw missingCredentialsError(missing, !credentials);
    return credentials;
  }

  /** Connecting shows in the status bar item and as window progress; failures are the translated MotherDuck errors. */
  private connecting<T>(work: () => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Connecting to MotherDuck' }, work);
  }

  /**
   * profiles.yml as dbt finds it: DBT_PROFILES_DIR (environment, else a workspace .env), the folder
   * of each dbt_project.yml, the workspace folders, ~/.dbt. A broken file is logged and skipped.
   */
  private async readProfiles(): Promise<DbtProfilesFound | undefined> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    try {
      const projects = folders.length === 0 ? [] : await vscode.workspace.findFiles('**/dbt_project.yml', '**/{node_modules,.git,dbt_packages,target,.venv,venv}/**', 50);
      const projectDirs = projects.filter((u) => u.scheme === 'file').map((u) => path.dirname(u.fsPath)).sort();
      const found = await findDbtProfiles({ workspaceFolders: folders, projectDirs });
      const where = found.files.length > 0 ? found.files.map((f) => f.file).join(', ') : `none (looked in ${found.searched.map((c) => `${c.file} [${c.why}]`).join(', ')})`;
      this.deps.log.info(`Create R2 Secret for Target: profiles.yml: ${where}`);
      return found;
    } catch (error) {
      this.deps.log.warn(`Create R2 Secret for Target: ${errorText(error)}; offering dev and prod from settings`);
      void this.ui.messages.warning(`${errorText(error)}. Offering the dev and prod targets from settings instead.`);
      return undefined;
    }
  }
}

/** One list of targets from the files read, named by their files. */
function mergeProfiles(files: readonly DbtProfilesFile[]): DbtProfilesFile | undefined {
  if (files.length === 0) return undefined;
  return { file: files.map((f) => tildePath(f.file)).join(', '), targets: files.flatMap((f) => f.targets) };
}

function tildePath(file: string): string {
  const home = os.homedir();
  return file.startsWith(`${home}${path.sep}`) ? `~${file.slice(home.length)}` : file;
}

/** `nameFile`: several profiles.yml were read, so each target says which it came from. */
function targetPick(secret: TargetSecret, nameFile: boolean): PickItem & { readonly secret: TargetSecret } {
  const where = secret.storage === 'motherduck' ? '$(cloud)' : '$(vm)';
  const details = [secret.profile && `profile ${secret.profile}`, secret.path && `path ${secret.path}`, secret.isDefault && 'default target', nameFile && secret.file && `in ${tildePath(secret.file)}`].filter(Boolean);
  return {
    label: `${where} ${secret.target}`,
    description: describeTargetSecret(secret),
    ...(details.length > 0 ? { detail: details.join(' · ') } : {}),
    secret,
  };
}
