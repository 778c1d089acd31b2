/**
 * The R2 profile commands: Set R2 Credentials, Import R2 Credentials from Environment, Select and
 * Delete Credential Profile. Every question goes through the Prompter (Escape changes nothing);
 * every message goes through Messages. Each command also takes arguments through
 * `executeCommand` (a profile id or label, `{profileId}`, or a whole profile object) so scripts and
 * tests can drive it without prompts. Secret values are never put in a message or a prompt's text.
 */
import * as vscode from 'vscode';
import type { CommandSpec } from '../commands';
import type { CommandUiHolder, Messages } from '../commandUi';
import { readSetting } from '../config';
import type { CredentialStore } from '../../core/credentials/credentialStore';
import { CancelledError, UserFacingError } from '../../core/errors';
import { collectEnv, DEFAULT_ENV_NAMES, describeSources, endpointConcerns, missingMessage, processEnvSource, readDotEnv, validateEnvProfile, type EnvNames, type EnvSource } from '../../core/credentials/envImport';
import type { Logger } from '../../core/logger';
import { findTokenInSources, importMotherDuckToken } from '../../core/motherduck/motherDuck';
import {
  checkAccountId,
  checkBucket,
  checkKey,
  checkLabel,
  FIELD_NAMES,
  inputValidator,
  parseEndpoint,
  validateProfile,
  type ProfileInput,
  type ValidProfile,
} from '../../core/credentials/profileValidation';
import { DEFAULT_BUCKET, describeLocation, type Jurisdiction, type ProfileInfo } from '../../core/credentials/profiles';
import type { PickItem, Prompter } from '../../core/prompts';

const SELECT_PROFILE_ACTION = 'Select Profile';
const SET_CREDENTIALS_ACTION = 'Set R2 Credentials';

export function profileCommands(store: CredentialStore, holder: CommandUiHolder, log: Logger): CommandSpec[] {
  const commands = new ProfileCommandHandlers(store, holder, log);
  return [
    { id: 'duckdbSecrets.setCredentials', run: (arg) => commands.setCredentials(arg) },
    { id: 'duckdbSecrets.importCredentialsFromEnv', run: (arg) => commands.importFromEnv(arg) },
    { id: 'duckdbSecrets.selectProfile', run: (arg) => commands.selectProfile(arg) },
    { id: 'duckdbSecrets.deleteProfile', run: (arg) => commands.deleteProfile(arg) },
  ];
}

interface ProfilePick extends PickItem {
  readonly profile?: ProfileInfo;
  readonly action?: 'new' | 'import';
}

class ProfileCommandHandlers {
  constructor(
    private readonly store: CredentialStore,
    private readonly holder: CommandUiHolder,
    private readonly log: Logger,
  ) {}

  private get prompter(): Prompter {
    return this.holder.ui.prompter;
  }
  private get messages(): Messages {
    return this.holder.ui.messages;
  }

  async setCredentials(arg: unknown): Promise<ProfileInfo | undefined> {
    if (isProfileObject(arg)) return this.saveGiven(arg);
    const profile = this.profileFrom(arg) ?? (this.store.list().length > 0 ? await this.pickToEdit() : undefined);
    return this.editProfile(profile);
  }

  /** Asks every field of `profile` (or of a new profile) and saves once all are answered. */
  private async editProfile(profile: ProfileInfo | undefined): Promise<ProfileInfo> {
    const answers = await this.askProfile(profile);
    const valid = validateProfile(answers, { keepSecrets: profile !== undefined });
    return this.saveAndReport(profile, valid, 'Saved');
  }

  async importFromEnv(arg: unknown): Promise<ProfileInfo | undefined> {
    const options = isRecord(arg) ? arg : {};
    const names = envNames();
    const sources = await envSources();
    const found = collectEnv(names, sources);
    // A MotherDuck token is optional: imported when set, never reported missing.
    const token = findTokenInSources(sources);
    if (found.problems.length > 0) throw new UserFacingError(found.problems.join(' '));
    const required = [names.accessKeyId, names.secretKey, names.accountId];
    if (found.missing.length === required.length) {
      if (token) {
        const note = await importMotherDuckToken(this.store, this.prompter, token);
        void this.messages.warning(`${note} ${missingMessage(found)}`, SET_CREDENTIALS_ACTION).then((choice) => {
          if (choice === SET_CREDENTIALS_ACTION) void vscode.commands.executeCommand('duckdbSecrets.setCredentials');
        });
        return undefined;
      }
      throw new UserFacingError(missingMessage(found), undefined, [{ title: 'Set R2 Credentials', command: 'duckdbSecrets.setCredentials' }]);
    }
    let input: ProfileInput = found.input;
    const keysTyped = found.missing.includes(names.accessKeyId) || found.missing.includes(names.secretKey);
    if (found.missing.length > 0) {
      const go = await this.prompter.confirm(missingMessage(found), 'Enter Missing Values', {
        modal: true,
        detail: 'Type the missing values to save a profile with the rest, or cancel to save nothing.',
      });
      if (!go) return undefined;
      input = { ...input, ...(await this.askMissing(names, found.missing)) };
    }
    // Asked whoever the caller is: an argument never skips it.
    const concerns = endpointConcerns(names, found, keysTyped);
    if (concerns.length > 0) {
      const use = await this.prompter.confirm(`Save the endpoint from ${found.found.get(names.endpoint) ?? names.endpoint} with these R2 keys?`, 'Use This Endpoint', {
        modal: true,
        detail: `${concerns.join(' ')} Cancel saves nothing; the Set R2 Credentials command sets an endpoint by hand.`,
      });
      if (!use) return undefined;
    }
    const label = typeof options.label === 'string' ? options.label : await this.askImportLabel();
    const existing = this.store.findByLabel(label);
    if (existing && typeof options.label !== 'string') {
      const replace = await this.prompter.confirm(`Replace the keys and settings of R2 profile "${existing.label}" with the imported ones?`, 'Replace', { modal: true });
      if (!replace) return undefined;
    }
    const valid = validateEnvProfile(names, { ...input, label });
    const from = describeSources(sources.filter((s) => [...found.found.values()].includes(s.description)));
    const bucketNote = found.defaultBucket ? `${names.bucket} is not set: bucket ${DEFAULT_BUCKET}.` : '';
    const tokenNote = token ? await importMotherDuckToken(this.store, this.prompter, token) : '';
    return this.saveAndReport(existing, { ...valid, notes: [...valid.notes, bucketNote, tokenNote].filter(Boolean) }, 'Imported', from);
  }

  async selectProfile(arg: unknown): Promise<ProfileInfo | undefined> {
    const given = this.profileFrom(arg);
    const profile = given ?? (await this.pickProfile('Select Credential Profile', true));
    if (!profile) return undefined;
    await this.store.setActive(profile.id);
    this.log.info(`Active R2 profile: "${profile.label}"`);
    return profile;
  }

  async deleteProfile(arg: unknown): Promise<void> {
    const profile = this.profileFrom(arg) ?? (await this.pickProfile('Delete Credential Profile', false));
    if (!profile) return;
    const confirmed =
      (isRecord(arg) && arg.confirmed === true) ||
      (await this.prompter.confirm(`Delete R2 profile "${profile.label}"?`, 'Delete', {
        modal: true,
        detail: 'Its keys are removed from the OS keychain. DuckDB secrets already created from it stay until you delete them.',
      }));
    if (!confirmed) return;
    const wasActive = this.store.activeProfile()?.id === profile.id;
    await this.store.delete(profile.id);
    if (!wasActive || this.store.list().length === 0) {
      void this.messages.info(`Deleted R2 profile "${profile.label}".`);
      return;
    }
    // The active one is gone and others remain: none is active now (the status bar says so); offer them.
    const next = await this.prompter
      .pick(this.profileItems(), { title: `Deleted R2 profile "${profile.label}": no profile is active`, placeHolder: 'Select the profile to use now (Escape leaves none active)' })
      .catch((error: unknown) => {
        if (error instanceof CancelledError || error instanceof vscode.CancellationError) return undefined;
        throw error;
      });
    if (next?.profile) {
      await this.store.setActive(next.profile.id);
      this.log.info(`Active R2 profile: "${next.profile.label}"`);
      void this.messages.info(`Deleted R2 profile "${profile.label}". Profile "${next.profile.label}" is active now.`);
      return;
    }
    void this.messages.info(`Deleted R2 profile "${profile.label}". No profile is active now.`, SELECT_PROFILE_ACTION).then((choice) => {
      if (choice === SELECT_PROFILE_ACTION) void vscode.commands.executeCommand('duckdbSecrets.selectProfile');
    });
  }

  /** A whole profile given as an argument: validated and saved without a question. */
  private async saveGiven(arg: Record<string, unknown>): Promise<ProfileInfo> {
    const byId = typeof arg.id === 'string' ? arg.id : typeof arg.profileId === 'string' ? arg.profileId : undefined;
    const existing = byId !== undefined ? this.requireProfile(byId) : typeof arg.label === 'string' ? this.store.findByLabel(arg.label) : undefined;
    const valid = validateProfile(arg, { keepSecrets: existing !== undefined });
    if (existing && movesKeptKeys(existing, valid)) {
      // Whoever calls (another extension, a command: link): moving a profile's endpoint while it keeps its keys is asked.
      const move = await this.prompter.confirm(
        `Send the keys of R2 profile "${existing.label}" to ${describeLocation({ ...existing, ...valid.info })} instead of ${describeLocation(existing)}?`,
        'Change Endpoint',
        { modal: true, detail: 'A command asked to change where this profile\'s stored keys are sent, keeping the keys. Change it only if you asked for it.' },
      );
      if (!move) throw new CancelledError();
    }
    return this.saveAndReport(existing, valid, 'Saved');
  }

  private async saveAndReport(existing: ProfileInfo | undefined, valid: ValidProfile, verb: 'Saved' | 'Imported', origin?: string): Promise<ProfileInfo> {
    const saved = await this.store.save(existing?.id, valid.info, valid.secrets);
    for (const warning of valid.warnings) this.log.warn(warning);
    const from = origin ? ` from ${origin}` : '';
    const summary = `${verb} R2 profile "${saved.label}"${from} (${describeLocation(saved)}, bucket ${saved.bucket}), now active.`;
    void this.messages.info([summary, ...valid.notes].join(' '));
    // Each warning (a bucket name that breaks R2's rule) is a message of its own, not the tail of the summary.
    for (const warning of valid.warnings) void this.messages.warning(warning);
    return saved;
  }

  /** The input boxes, each prefilled from `current`; keys are never prefilled (Enter keeps them). */
  private async askProfile(current: ProfileInfo | undefined): Promise<ProfileInput> {
    const title = current ? `Set R2 Credentials: ${current.label}` : 'Set R2 Credentials: new profile';
    const label = await this.prompter.input({
      title,
      prompt: 'Profile name, e.g. dev or prod',
      value: current?.label ?? (this.store.list().length === 0 ? 'dev' : ''),
      validate: (value) => inputValidator(checkLabel)(value) ?? this.labelTaken(value, current),
    });
    const accountId = await this.prompter.input({
      title,
      prompt: 'Cloudflare account id (32 hex characters, R2 overview in the dashboard)',
      value: current?.accountId,
      validate: inputValidator(checkAccountId),
    });
    const accessKeyId = await this.askKey(title, 'accessKeyId', current !== undefined);
    const secretAccessKey = await this.askKey(title, 'secretAccessKey', current !== undefined);
    const bucket = await this.askBucket(title, current?.bucket);
    const jurisdiction = await this.askJurisdiction(title, checkAccountId(accountId).ok ? accountId.trim().toLowerCase() : '<account>', current);
    const customEndpoint =
      jurisdiction === 'custom'
        ? await this.prompter.input({
            title,
            prompt: 'Endpoint: host:port, https://host[:port], or http://host:port (no TLS)',
            value: current?.customEndpoint,
            placeHolder: 'https://s3.example.com or http://127.0.0.1:9000',
            validate: inputValidator(parseEndpoint),
          })
        : undefined;
    return { label, accountId, accessKeyId, secretAccessKey, bucket, jurisdiction, customEndpoint };
  }

  private askKey(title: string, field: 'accessKeyId' | 'secretAccessKey', canKeep: boolean): Promise<string> {
    const name = FIELD_NAMES[field];
    return this.prompter.input({
      title,
      prompt: canKeep ? `${name}: leave empty to keep the stored one` : name,
      placeHolder: canKeep ? `Press Enter to keep the stored ${name.toLowerCase()}` : undefined,
      password: field === 'secretAccessKey',
      validate: (value) => (canKeep && value === '' ? undefined : inputValidator((v) => checkKey(v, name))(value)),
    });
  }

  /** R2's naming rule is a warning: the user may keep a name that breaks it (the seed's `eo_pv_lakehouse` does). */
  private async askBucket(title: string, current: string | undefined): Promise<string> {
    let value = current ?? DEFAULT_BUCKET;
    for (;;) {
      value = await this.prompter.input({ title, prompt: 'Default bucket', value, validate: inputValidator(checkBucket) });
      const check = checkBucket(value);
      if (!check.ok || !check.warning || check.value === current) return value;
      const keep = { label: `Keep "${check.value}"`, detail: check.warning };
      const change = { label: 'Enter Another Name' };
      const choice = await this.prompter.pick([keep, change], { title, placeHolder: "This bucket name breaks R2's naming rule" });
      if (choice === keep) return value;
    }
  }

  private async askJurisdiction(title: string, account: string, current: ProfileInfo | undefined): Promise<Jurisdiction> {
    const choices: readonly (PickItem & { jurisdiction: Jurisdiction })[] = [
      { jurisdiction: 'default', label: 'Default', description: `${account}.r2.cloudflarestorage.com` },
      { jurisdiction: 'eu', label: 'EU jurisdiction', description: `${account}.eu.r2.cloudflarestorage.com` },
      { jurisdiction: 'fedramp', label: 'FedRAMP', description: `${account}.fedramp.r2.cloudflarestorage.com` },
      { jurisdiction: 'custom', label: 'Custom endpoint', description: 'an S3-compatible server: https://host[:port] or http://host:port' },
    ];
    // A single-choice quick pick highlights its first item: put the current one there.
    const currentFirst = [...choices].sort((a, b) => Number(b.jurisdiction === current?.jurisdiction) - Number(a.jurisdiction === current?.jurisdiction));
    const items = currentFirst.map((item) => ({ ...item, picked: item.jurisdiction === (current?.jurisdiction ?? 'default') }));
    const picked = await this.prompter.pick(items, { title, placeHolder: 'Where does the bucket live?' });
    return picked.jurisdiction;
  }

  /** Values for the variables an import did not find, asked one by one. */
  private async askMissing(names: EnvNames, missing: readonly string[]): Promise<ProfileInput> {
    const title = 'Import R2 Credentials from Environment';
    const answers: Record<string, string> = {};
    if (missing.includes(names.accountId)) {
      answers.accountId = await this.prompter.input({ title, prompt: `Cloudflare account id (${names.accountId} is not set)`, validate: inputValidator(checkAccountId) });
    }
    for (const [field, name] of [['accessKeyId', names.accessKeyId], ['secretAccessKey', names.secretKey]] as const) {
      if (!missing.includes(name)) continue;
      answers[field] = await this.prompter.input({
        title,
        prompt: `${FIELD_NAMES[field]} (${name} is not set)`,
        password: field === 'secretAccessKey',
        validate: inputValidator((v) => checkKey(v, FIELD_NAMES[field])),
      });
    }
    return answers;
  }

  private askImportLabel(): Promise<string> {
    return this.prompter.input({
      title: 'Import R2 Credentials from Environment',
      prompt: 'Save as profile (an existing name replaces that profile)',
      value: this.store.activeProfile()?.label ?? 'dev',
      validate: inputValidator(checkLabel),
    });
  }

  private async pickToEdit(): Promise<ProfileInfo | undefined> {
    const items: ProfilePick[] = [...this.profileItems(), { label: '$(add) New Profile…', action: 'new' }];
    const picked = await this.prompter.pick(items, { title: 'Set R2 Credentials', placeHolder: 'Edit which profile?' });
    return picked.profile;
  }

  /** A profile from a quick pick; with no profiles, offers to set one up (`offerSetup`) or says so. */
  private async pickProfile(title: string, offerSetup: boolean): Promise<ProfileInfo | undefined> {
    const setup: ProfilePick[] = offerSetup
      ? [
          { label: '$(key) Set R2 Credentials…', action: 'new' },
          { label: '$(cloud-download) Import R2 Credentials from Environment…', action: 'import' },
        ]
      : [];
    const profiles = this.profileItems();
    if (profiles.length === 0 && !offerSetup) {
      void this.messages.info('There are no R2 credential profiles yet.');
      return undefined;
    }
    const picked = await this.prompter.pick([...profiles, ...setup], { title, placeHolder: profiles.length > 0 ? 'R2 credential profile' : 'No R2 profile yet' });
    if (picked.action === 'new') return this.editProfile(undefined);
    if (picked.action === 'import') return this.importFromEnv(undefined);
    return picked.profile;
  }

  private profileItems(): ProfilePick[] {
    const active = this.store.activeProfile()?.id;
    const activeFirst = [...this.store.list()].sort((a, b) => Number(b.id === active) - Number(a.id === active));
    return activeFirst.map((profile) => ({
      label: profile.label,
      description: `${profile.bucket} · ${describeLocation(profile)}`,
      detail: profile.id === active ? 'active' : undefined,
      picked: profile.id === active,
      profile,
    }));
  }

  /** A profile named by an argument: an id or label, `{profileId}`, or anything with `profile.id` (a tree node). */
  private profileFrom(arg: unknown): ProfileInfo | undefined {
    if (typeof arg === 'string') return this.store.get(arg) ?? this.store.findByLabel(arg) ?? this.notFound();
    if (!isRecord(arg)) return undefined;
    if (typeof arg.profileId === 'string') return this.requireProfile(arg.profileId);
    if (typeof arg.id === 'string') return this.requireProfile(arg.id);
    if (isRecord(arg.profile) && typeof arg.profile.id === 'string') return this.requireProfile(arg.profile.id);
    return undefined;
  }

  private requireProfile(id: string): ProfileInfo {
    return this.store.get(id) ?? this.notFound();
  }

  private notFound(): never {
    throw new UserFacingError('No such R2 credential profile: it may have been deleted in another window.');
  }

  private labelTaken(value: string, current: ProfileInfo | undefined): string | undefined {
    const other = this.store.findByLabel(value);
    return other && other.id !== current?.id ? `A profile named "${other.label}" exists already.` : undefined;
  }
}

/** True when saving `valid` over `existing` changes where the profile's requests go while a stored key is kept. */
function movesKeptKeys(existing: ProfileInfo, valid: ValidProfile): boolean {
  const keepsKey = valid.secrets.accessKeyId === undefined || valid.secrets.secretAccessKey === undefined;
  const moved =
    valid.info.jurisdiction !== existing.jurisdiction ||
    (valid.info.customEndpoint ?? '') !== (existing.customEndpoint ?? '') ||
    valid.info.accountId !== existing.accountId;
  return keepsKey && moved;
}

/** True for an argument that carries profile fields rather than only naming a profile. */
function isProfileObject(arg: unknown): arg is Record<string, unknown> {
  return isRecord(arg) && ['accountId', 'accessKeyId', 'secretAccessKey', 'bucket', 'jurisdiction', 'customEndpoint'].some((k) => k in arg);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function envNames(): EnvNames {
  const name = (key: Parameters<typeof readSetting>[0], fallback: string) => {
    const value = readSetting(key);
    return typeof value === 'string' && value.trim() ? value.trim() : fallback;
  };
  return {
    accessKeyId: name('env.accessKeyId', DEFAULT_ENV_NAMES.accessKeyId),
    secretKey: name('env.secretKey', DEFAULT_ENV_NAMES.secretKey),
    accountId: name('env.accountId', DEFAULT_ENV_NAMES.accountId),
    bucket: name('env.bucket', DEFAULT_ENV_NAMES.bucket),
    endpoint: name('env.endpoint', DEFAULT_ENV_NAMES.endpoint),
  };
}

/** The extension host's environment, then the `.env` file of each local workspace folder. */
async function envSources(): Promise<EnvSource[]> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const files = await Promise.all(folders.map((f) => readDotEnv(f.uri.fsPath)));
  return [processEnvSource(), ...files.filter((f): f is EnvSource => f !== undefined)];
}
