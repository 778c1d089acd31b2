/**
 * The one module that touches SecretStorage and globalState for R2 profiles. Secret values live only
 * in SecretStorage (the OS keychain) under keys built from the profile's stable id; the non-secret
 * fields and the active profile id live in globalState. A keychain failure becomes a KeychainError
 * and nothing is written anywhere else instead. No VS Code import: VS Code's SecretStorage and Memento
 * satisfy the two interfaces in storage.ts as they are.
 */
import { randomUUID } from 'node:crypto';
import { errorText, UserFacingError } from '../errors';
import type { Logger } from '../logger';
import { isJurisdiction, type CredentialSource, type Credentials, type ProfileInfo, type ProfileSecrets } from './profiles';
import { registerSecretValue } from '../redaction';
import type { SecretStore, StateStore } from './storage';

const SECRET_PREFIX = 'duckdbSecrets.profile.';

/** SecretStorage keys, built only from a profile's stable id. */
export const SECRET_KEYS = {
  accessKeyId: (profileId: string) => `${SECRET_PREFIX}${profileId}.accessKeyId`,
  secretAccessKey: (profileId: string) => `${SECRET_PREFIX}${profileId}.secretAccessKey`,
  /**
   * Not a secret: a fresh value written after every change to the profile list or the active
   * profile, so other windows hear of it through `secrets.onDidChange` (globalState has no event).
   */
  revision: 'duckdbSecrets.profiles.revision',
  /** The MotherDuck access token (one per machine, not per profile). */
  motherDuckToken: 'duckdbSecrets.motherduck.token',
} as const;

/** globalState keys: non-secret data only. */
export const STATE_KEYS = {
  profiles: 'duckdbSecrets.profiles',
  activeProfileId: 'duckdbSecrets.activeProfileId',
  /**
   * `true` while a MotherDuck token is stored: lets the status bar decide at activation whether to
   * show itself without reading the keychain. Never the token.
   */
  motherDuckTokenStored: 'duckdbSecrets.motherduck.tokenStored',
} as const;

const SECRET_FIELDS = ['accessKeyId', 'secretAccessKey'] as const satisfies readonly (keyof ProfileSecrets)[];

export const KEYCHAIN_HELP_URL = 'https://code.visualstudio.com/docs/configure/settings-sync#_troubleshooting-keychain-issues';

/** The OS keychain behind SecretStorage failed (typically Linux without a running keyring). */
export class KeychainError extends UserFacingError {
  constructor(action: string, cause: unknown) {
    super(
      `The OS keychain failed while ${action}. Keys and tokens are kept only in the keychain, so nothing was saved anywhere else. ` +
        'On Linux, VS Code needs a running keyring such as GNOME Keyring or KWallet.',
      errorText(cause),
      [{ title: 'Keychain Troubleshooting', url: KEYCHAIN_HELP_URL }],
    );
    this.name = 'KeychainError';
  }
}

export const SET_CREDENTIALS_COMMAND = 'duckdbSecrets.setCredentials';

export class CredentialStore implements CredentialSource {
  private readonly listeners = new Set<() => void>();
  private readonly tokenListeners = new Set<() => void>();
  private readonly subscription: { dispose(): void };
  /** Changes run one after another, so two saves cannot lose each other's index update. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly secrets: SecretStore,
    private readonly state: StateStore,
    private readonly log: Logger,
  ) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key.startsWith(SECRET_PREFIX) || event.key === SECRET_KEYS.revision) this.fire();
      if (event.key === SECRET_KEYS.motherDuckToken) this.fireToken();
    });
  }

  /** The profiles in the order they were created. Reads globalState only. */
  list(): readonly ProfileInfo[] {
    const stored = this.state.get<unknown>(STATE_KEYS.profiles);
    return Array.isArray(stored) ? stored.filter(isProfileInfo) : [];
  }

  get(profileId: string): ProfileInfo | undefined {
    return this.list().find((p) => p.id === profileId);
  }

  findByLabel(label: string): ProfileInfo | undefined {
    const wanted = label.trim().toLowerCase();
    return this.list().find((p) => p.label.toLowerCase() === wanted);
  }

  /** The active profile's non-secret fields: cheap, for the status bar. */
  activeProfile(): ProfileInfo | undefined {
    const id = this.state.get<unknown>(STATE_KEYS.activeProfileId);
    return this.list().find((p) => p.id === id);
  }

  async activeCredentials(): Promise<Credentials | undefined> {
    const profile = this.activeProfile();
    return profile && this.credentials(profile.id);
  }

  /** A profile with its secrets, read fresh from the keychain. */
  async credentials(profileId: string): Promise<Credentials> {
    const profile = this.get(profileId);
    if (!profile) throw new UserFacingError('That R2 profile no longer exists.', `profile id ${profileId}`);
    const secrets = await this.readSecrets(profile);
    if (secrets.accessKeyId === undefined || secrets.secretAccessKey === undefined) {
      throw new UserFacingError(`R2 profile "${profile.label}" has no keys in the keychain: set its credentials again.`, undefined, [
        { title: 'Set R2 Credentials', command: SET_CREDENTIALS_COMMAND, args: [profile.id] },
      ]);
    }
    return { ...profile, accessKeyId: secrets.accessKeyId, secretAccessKey: secrets.secretAccessKey };
  }

  /**
   * Creates (no `id`) or updates a profile. Absent secrets keep their stored values; a new profile
   * needs both. If any write fails, what was written is put back as it was.
   */
  save(id: string | undefined, info: Omit<ProfileInfo, 'id'>, secrets: Partial<ProfileSecrets>, options: { activate?: boolean } = {}): Promise<ProfileInfo> {
    return this.serialized(async () => {
      const existing = this.list().find((p) => p.id === id);
      if (id !== undefined && !existing) throw new UserFacingError(`The R2 profile being edited ("${info.label}") was deleted meanwhile.`);
      const clash = this.findByLabel(info.label);
      if (clash && clash.id !== id) throw new UserFacingError(`An R2 profile named "${clash.label}" exists already: choose another name.`);
      if (!existing && (secrets.accessKeyId === undefined || secrets.secretAccessKey === undefined)) {
        throw new Error('A new R2 profile needs both an access key id and a secret access key');
      }
      const profile: ProfileInfo = { ...nonSecretFields(info), id: existing?.id ?? randomUUID() };
      const action = `saving the keys of R2 profile "${profile.label}"`;

      const writes = SECRET_FIELDS.flatMap((field) => {
        const value = secrets[field];
        return value === undefined ? [] : [{ key: SECRET_KEYS[field](profile.id), value }];
      });
      for (const { value } of writes) registerSecretValue(value);
      const previous = existing ? await this.readRaw(writes.map((w) => w.key), action) : new Map<string, string | undefined>();
      const written: string[] = [];
      try {
        for (const { key, value } of writes) {
          await this.keychain(action, () => this.secrets.store(key, value));
          written.push(key);
        }
        const list = existing ? this.list().map((p) => (p.id === profile.id ? profile : p)) : [...this.list(), profile];
        await this.state.update(STATE_KEYS.profiles, list);
      } catch (error) {
        await this.restore(written, previous);
        throw error;
      }
      if (options.activate ?? true) await this.state.update(STATE_KEYS.activeProfileId, profile.id);
      this.log.info(`${existing ? 'Updated' : 'Created'} R2 profile "${profile.label}" (${writes.length === 0 ? 'keys kept' : 'keys stored in the keychain'})`);
      await this.changed();
      return profile;
    });
  }

  /** Makes a profile active, or none. Reads and writes globalState only (plus the revision marker). */
  setActive(profileId: string | undefined): Promise<void> {
    return this.serialized(async () => {
      if (profileId !== undefined && !this.get(profileId)) throw new UserFacingError('That R2 profile no longer exists.');
      await this.state.update(STATE_KEYS.activeProfileId, profileId);
      await this.changed();
    });
  }

  /**
   * Deletes a profile's keys from the keychain, then the profile. A keychain failure leaves the
   * profile listed with both keys: a key already deleted is put back.
   */
  delete(profileId: string): Promise<void> {
    return this.serialized(async () => {
      const profile = this.get(profileId);
      if (!profile) return;
      const action = `deleting the keys of R2 profile "${profile.label}"`;
      const keys = SECRET_FIELDS.map((field) => SECRET_KEYS[field](profileId));
      const previous = await this.readRaw(keys, action);
      const deleted: string[] = [];
      try {
        for (const key of keys) {
          await this.keychain(action, () => this.secrets.delete(key));
          deleted.push(key);
        }
        await this.state.update(
          STATE_KEYS.profiles,
          this.list().filter((p) => p.id !== profileId),
        );
      } catch (error) {
        await this.restore(deleted, previous);
        throw error;
      }
      if (this.state.get(STATE_KEYS.activeProfileId) === profileId) await this.state.update(STATE_KEYS.activeProfileId, undefined);
      this.log.info(`Deleted R2 profile "${profile.label}"`);
      await this.changed();
    });
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** True when a MotherDuck token was stored (globalState only: no keychain read). */
  hasMotherDuckToken(): boolean {
    return this.state.get<unknown>(STATE_KEYS.motherDuckTokenStored) === true;
  }

  /**
   * The MotherDuck token, read fresh from the keychain and registered for redaction; undefined when
   * none is stored (the stored-token flag is then put right).
   */
  async motherDuckToken(): Promise<string | undefined> {
    const token = await this.keychain('reading the MotherDuck token', () => this.secrets.get(SECRET_KEYS.motherDuckToken));
    registerSecretValue(token);
    if (token === undefined && this.hasMotherDuckToken()) await this.state.update(STATE_KEYS.motherDuckTokenStored, undefined);
    return token;
  }

  /** Stores a (validated) MotherDuck token in the keychain; nothing else holds it. */
  setMotherDuckToken(token: string): Promise<void> {
    return this.serialized(async () => {
      registerSecretValue(token);
      await this.keychain('saving the MotherDuck token', () => this.secrets.store(SECRET_KEYS.motherDuckToken, token));
      await this.state.update(STATE_KEYS.motherDuckTokenStored, true);
      this.log.info('Stored the MotherDuck token in the keychain');
      this.fireToken();
    });
  }

  /** Deletes the MotherDuck token from the keychain. A keychain failure leaves it (and the flag) as it was. */
  clearMotherDuckToken(): Promise<void> {
    return this.serialized(async () => {
      await this.keychain('deleting the MotherDuck token', () => this.secrets.delete(SECRET_KEYS.motherDuckToken));
      await this.state.update(STATE_KEYS.motherDuckTokenStored, undefined);
      this.log.info('Deleted the MotherDuck token from the keychain');
      this.fireToken();
    });
  }

  /** Fires when the MotherDuck token is stored or deleted, in this window or another. */
  onDidChangeMotherDuckToken(listener: () => void): { dispose(): void } {
    this.tokenListeners.add(listener);
    return { dispose: () => this.tokenListeners.delete(listener) };
  }

  dispose(): void {
    this.subscription.dispose();
    this.listeners.clear();
    this.tokenListeners.clear();
  }

  private async readSecrets(profile: ProfileInfo): Promise<Partial<ProfileSecrets>> {
    const keys = SECRET_FIELDS.map((field) => SECRET_KEYS[field](profile.id));
    const values = await this.readRaw(keys, `reading the keys of R2 profile "${profile.label}"`);
    return { accessKeyId: values.get(keys[0]!), secretAccessKey: values.get(keys[1]!) };
  }

  private async readRaw(keys: readonly string[], action: string): Promise<Map<string, string | undefined>> {
    const values = new Map<string, string | undefined>();
    for (const key of keys) {
      const value = await this.keychain(action, () => this.secrets.get(key));
      registerSecretValue(value);
      values.set(key, value);
    }
    return values;
  }

  /** Puts back the secrets a failed save or delete had already overwritten or deleted; a failure here is logged, the original error stands. */
  private async restore(written: readonly string[], previous: ReadonlyMap<string, string | undefined>): Promise<void> {
    for (const key of written) {
      const value = previous.get(key);
      try {
        await (value === undefined ? this.secrets.delete(key) : this.secrets.store(key, value));
      } catch (error) {
        this.log.error(`Could not undo a partial keychain write (${key.slice(SECRET_PREFIX.length)}): ${errorText(error)}`);
      }
    }
  }

  private async keychain<T>(action: string, operation: () => Thenable<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new KeychainError(action, error);
    }
  }

  /** Tells this window's listeners now, and other windows through the revision marker. */
  private async changed(): Promise<void> {
    this.fire();
    try {
      await this.secrets.store(SECRET_KEYS.revision, randomUUID());
    } catch (error) {
      this.log.warn(`Other windows will see the profile change after a reload: the keychain failed (${errorText(error)})`);
    }
  }

  private fire(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private fireToken(): void {
    for (const listener of [...this.tokenListeners]) listener();
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function isProfileInfo(value: unknown): value is ProfileInfo {
  // A primitive has none of these fields as a string; null and undefined have no fields at all.
  const p = (value ?? {}) as Record<string, unknown>;
  return (
    typeof p.id === 'string' &&
    typeof p.label === 'string' &&
    typeof p.accountId === 'string' &&
    typeof p.bucket === 'string' &&
    isJurisdiction(p.jurisdiction) &&
    (p.customEndpoint === undefined || typeof p.customEndpoint === 'string')
  );
}

/**
 * Copies exactly the non-secret fields, so an object that also carries keys (a command's argument)
 * can never put them into globalState; no undefined entries (globalState is JSON).
 */
function nonSecretFields(info: Omit<ProfileInfo, 'id'>): Omit<ProfileInfo, 'id'> {
  const { label, accountId, bucket, jurisdiction, customEndpoint } = info;
  return { label, accountId, bucket, jurisdiction, ...(jurisdiction === 'custom' && customEndpoint !== undefined && { customEndpoint }) };
}
