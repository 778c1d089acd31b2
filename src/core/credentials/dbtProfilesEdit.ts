/**
 * Writes a `secrets:` entry into a dbt target of `profiles.yml`, in dbt-duckdb's format, so `dbt
 * run` in any terminal creates the R2 secret itself from environment variables: the entry holds
 * only `{{ env_var('…') }}` references for the keys and the account, never a value.
 *
 * The edit keeps the file as it was around the change: the `yaml` library's Document API finds the
 * target and its nodes' source ranges, and only those ranges are spliced, so comments, blank lines,
 * quoting and indentation elsewhere stay byte for byte. (Re-serializing the whole document would
 * normalize indentation and spacing.) The result is parsed again and checked. No VS Code import.
 */
import { parseYaml, parseYamlDocument } from './configText';
import { resolveEndpoint, type ProfileInfo } from './profiles';
import type { EnvNames } from './envImport';

/** One `secrets:` entry: ordered fields, values already in their YAML form (see `yamlValue`). */
export interface DbtSecretEntry {
  readonly type: 'r2' | 's3';
  readonly fields: readonly (readonly [string, string])[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `"{{ env_var('NAME') }}"`, double-quoted as YAML needs (a plain `{` would start a flow mapping). */
export function envVarRef(name: string, suffix = ''): string {
  if (!ENV_NAME.test(name)) throw new Error(`"${name.slice(0, 40)}" is not an environment variable name (letters, digits, _)`);
  return `"{{ env_var('${name}') }}${suffix}"`;
}

/** A plain YAML scalar when that reads back as the same string, else a double-quoted one. */
export function yamlValue(value: string): string {
  const plain = /^[A-Za-z0-9_./:-]+$/.test(value) && !/^(true|false|yes|no|on|off|null|~|[-+]?[0-9][0-9._]*)$/i.test(value) && !value.includes(': ');
  return plain ? value : JSON.stringify(value);
}

/**
 * The entry for a profile: `type: r2` (for `r2://` paths) with `account_id`, or `type: s3` (for
 * `s3://` paths on R2) with the R2 endpoint; `scope` when the profile has a bucket. The endpoint is
 * written from the account id variable (`{{ env_var('CLOUDFLARE_ACCOUNT_ID') }}.eu.r2…`) or, for a
 * custom endpoint, the endpoint variable, so no account id or key is ever written to the file.
 */
export function dbtSecretEntry(profile: ProfileInfo, names: EnvNames, kind: 'r2' | 's3'): DbtSecretEntry {
  const endpoint = resolveEndpoint(profile);
  const host =
    profile.jurisdiction === 'custom'
      ? envVarRef(names.endpoint)
      : envVarRef(names.accountId, profile.jurisdiction === 'default' ? '.r2.cloudflarestorage.com' : `.${profile.jurisdiction}.r2.cloudflarestorage.com`);
  const fields: [string, string][] = [
    ['type', kind],
    ['key_id', envVarRef(names.accessKeyId)],
    ['secret', envVarRef(names.secretKey)],
  ];
  if (kind === 'r2') fields.push(['account_id', envVarRef(names.accountId)]);
  fields.push(['region', 'auto']);
  if (kind === 's3' || !endpoint.isDefault) fields.push(['endpoint', host], ['url_style', 'path']);
  if ((kind === 's3' || !endpoint.isDefault) && !endpoint.useSsl) fields.push(['use_ssl', 'false']);
  if (profile.bucket) fields.push(['scope', yamlValue(`${kind}://${profile.bucket}`)]);
  return { type: kind, fields };
}

export interface ProfilesEditResult {
  readonly text: string;
  /** `added` a new entry, `replaced` one of the same type and scope, `unchanged` when it was there already. */
  readonly action: 'added' | 'replaced' | 'unchanged';
}

/** Adds `entry` to `profile.outputs.target.secrets`, replacing an entry of the same type and scope. */
export async function addTargetSecret(text: string, profile: string, target: string, entry: DbtSecretEntry): Promise<ProfilesEditResult> {
  const yaml = await import('../vendor/yaml');
  const doc = await parseYamlDocument(text, 'profiles.yml');
  const outputs = doc.getIn([profile, 'outputs'], true);
  if (!yaml.isMap(outputs)) throw new Error(`profiles.yml has no outputs for profile "${profile}"`);
  const targetPair = outputs.items.find((p) => yaml.isScalar(p.key) && String(p.key.value) === target);
  const targetMap = targetPair?.value;
  if (!targetPair || !yaml.isMap(targetMap) || !targetMap.range || !yaml.isScalar(targetPair.key) || !targetPair.key.range) {
    throw new Error(`profiles.yml has no target "${target}" in profile "${profile}"`);
  }
  if (targetMap.flow) throw new Error(`target "${target}" in profiles.yml is written as a flow mapping ({ … }); add the secrets: entry by hand`);

  const mapColumn = column(text, targetMap.range[0]);
  const step = Math.max(2, mapColumn - column(text, targetPair.key.range[0]));
  const secretsPair = targetMap.items.find((p) => yaml.isScalar(p.key) && p.key.value === 'secrets');
  let next: string;
  let action: ProfilesEditResult['action'];
  if (!secretsPair || secretsPair.value === null || (yaml.isScalar(secretsPair.value) && secretsPair.value.value === null)) {
    if (secretsPair) throw new Error(`target "${target}" has an empty secrets: key; remove it or add the entry by hand`);
    const at = targetMap.range[1];
    const block = `${' '.repeat(mapColumn)}secrets:\n${renderItem(entry, mapColumn + step)}`;
    next = splice(text, at, at, `${text[at - 1] === '\n' ? '' : '\n'}${block}`);
    action = 'added';
  } else {
    const seq = secretsPair.value;
    if (!yaml.isSeq(seq) || seq.flow || !seq.range) throw new Error(`target "${target}" has a secrets: value that is not a block list; add the entry by hand`);
    const dashColumn = column(text, seq.range[0]);
    const same = seq.items.find((item) => yaml.isMap(item) && sameEntry(item.toJSON() as Record<string, unknown>, entry));
    if (same && yaml.isMap(same) && same.range) {
      const rendered = renderItem(entry, dashColumn).replace(/^ *- /, '');
      const old = text.slice(same.range[0], same.range[1]);
      next = splice(text, same.range[0], same.range[1], rendered);
      action = old === rendered ? 'unchanged' : 'replaced';
    } else {
      const at = seq.range[1];
      next = splice(text, at, at, `${text[at - 1] === '\n' ? '' : '\n'}${renderItem(entry, dashColumn)}`);
      action = 'added';
    }
  }
  await verify(next, profile, target, entry);
  return { text: next, action };
}

/** The same entry: same type, and the same scope (or neither has one). */
function sameEntry(item: Record<string, unknown>, entry: DbtSecretEntry): boolean {
  const scope = entry.fields.find(([k]) => k === 'scope')?.[1];
  const wantedScope = scope === undefined ? undefined : scopeText(scope);
  const type = typeof item.type === 'string' ? item.type.toLowerCase() : undefined;
  const scopeOf = typeof item.scope === 'string' ? item.scope : undefined;
  return type === entry.type && scopeOf === wantedScope;
}

function scopeText(yamlScalar: string): string {
  return yamlScalar.startsWith('"') ? (JSON.parse(yamlScalar) as string) : yamlScalar;
}

/** `- type: r2\n  key_id: …\n` at `dashColumn`. */
function renderItem(entry: DbtSecretEntry, dashColumn: number): string {
  const pad = ' '.repeat(dashColumn);
  return entry.fields.map(([key, value], i) => `${i === 0 ? `${pad}- ` : `${pad}  `}${key}: ${value}\n`).join('');
}

function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function splice(text: string, from: number, to: number, insert: string): string {
  return text.slice(0, from) + insert + text.slice(to);
}

/** Parses the edited text and checks the target now holds the entry, so a wrong splice never reaches the disk. */
async function verify(text: string, profile: string, target: string, entry: DbtSecretEntry): Promise<void> {
  const parsed = (await parseYaml(text, 'profiles.yml')) as Record<string, { outputs?: Record<string, { secrets?: unknown }> }> | null;
  const secrets = parsed?.[profile]?.outputs?.[target]?.secrets;
  const found = Array.isArray(secrets) && secrets.some((s) => typeof s === 'object' && s !== null && sameEntry(s as Record<string, unknown>, entry));
  if (!found) throw new Error(`Editing profiles.yml went wrong (the ${entry.type} entry is not in target "${target}" afterwards); the file was left as it was`);
}
