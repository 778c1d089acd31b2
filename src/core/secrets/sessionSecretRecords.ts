/**
 * Which session secrets the user made from which credential profile, so they can be re-created
 * from the keychain when the DuckDB session starts. Only names, profile ids and scopes are kept
 * (in globalState in the product); secret values never are. No VS Code import.
 */

/** The globalState key the product keeps the records under. */
export const SESSION_SECRETS_STATE_KEY = 'duckdbSecrets.sessionSecrets';

export interface SessionSecretRecord {
  readonly name: string;
  readonly profileId: string;
  /** `r2://bucket` style prefixes; empty for DuckDB's default scope. Not secret. */
  readonly scope: readonly string[];
  /**
   * Set for a secret moved out of a plaintext file (Move to Keychain): its type and non-secret
   * parameters as DuckDB stored them, re-created as they were; the key pair comes from the profile.
   * Absent for secrets made by Create R2 Secret, which are re-created from the profile alone.
   */
  readonly definition?: SecretDefinition;
}

export interface SecretDefinition {
  readonly type: string;
  /** The parameters that take the profile's access key id and secret key (`key_id`, `secret`). */
  readonly keyIdParam: string;
  readonly secretParam: string;
  /** Non-secret parameters in DuckDB's order; booleans stay booleans. */
  readonly parameters: readonly { readonly key: string; readonly value: string | boolean }[];
}

/** Where the records live: `ExtensionContext.globalState` under one key in the product. */
export interface RecordStorage {
  get(): unknown;
  update(records: readonly SessionSecretRecord[]): PromiseLike<void>;
}

export class SessionSecretRecords {
  constructor(private readonly storage: RecordStorage) {}

  /** The records, skipping anything malformed (the stored value is not trusted). */
  all(): SessionSecretRecord[] {
    const value = this.storage.get();
    if (!Array.isArray(value)) return [];
    return value.filter(isRecord).map(copyRecord);
  }

  /** Adds or replaces the record for `record.name`. */
  async remember(record: SessionSecretRecord): Promise<void> {
    const others = this.all().filter((r) => r.name !== record.name);
    await this.storage.update([...others, copyRecord(record)]);
  }

  async forget(name: string): Promise<void> {
    const all = this.all();
    const kept = all.filter((r) => r.name !== name);
    if (kept.length !== all.length) await this.storage.update(kept);
  }

  /** Forgets every secret made from `profileId` (its profile was deleted). */
  async forgetProfile(profileId: string): Promise<void> {
    const all = this.all();
    const kept = all.filter((r) => r.profileId !== profileId);
    if (kept.length !== all.length) await this.storage.update(kept);
  }
}

/** Record storage in memory, for tests and for running without a VS Code context. */
export class MemoryRecordStorage implements RecordStorage {
  private value: unknown = [];
  get(): unknown {
    return this.value;
  }
  update(records: readonly SessionSecretRecord[]): Promise<void> {
    this.value = JSON.parse(JSON.stringify(records)) as unknown;
    return Promise.resolve();
  }
}

/** A copy holding exactly the record's fields, so nothing else can reach globalState. */
function copyRecord(r: SessionSecretRecord): SessionSecretRecord {
  const copy = { name: r.name, profileId: r.profileId, scope: [...r.scope] };
  if (!r.definition) return copy;
  const d = r.definition;
  const parameters = d.parameters.map((p) => ({ key: p.key, value: p.value }));
  return { ...copy, definition: { type: d.type, keyIdParam: d.keyIdParam, secretParam: d.secretParam, parameters } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isRecord(r: unknown): r is SessionSecretRecord {
  if (!isObject(r)) return false;
  return (
    typeof r.name === 'string' &&
    typeof r.profileId === 'string' &&
    Array.isArray(r.scope) &&
    r.scope.every((s) => typeof s === 'string') &&
    (r.definition === undefined || isDefinition(r.definition))
  );
}

function isDefinition(d: unknown): d is SecretDefinition {
  if (!isObject(d)) return false;
  return (
    typeof d.type === 'string' &&
    typeof d.keyIdParam === 'string' &&
    typeof d.secretParam === 'string' &&
    Array.isArray(d.parameters) &&
    d.parameters.every((p: unknown) => isObject(p) && typeof p.key === 'string' && (typeof p.value === 'string' || typeof p.value === 'boolean'))
  );
}
