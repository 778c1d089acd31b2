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
import type { Document, YAMLMap, YAMLSeq } from 'yaml';
import { parseYamlDocument } from './configText';
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
  if (kind === 's3' || !endpoint.isDefault) {
    fields.push(['endpoint', host], ['url_style', 'path']);
    // Only a custom endpoint can be plain http, and a custom endpoint is never the default one.
    if (!endpoint.useSsl) fields.push(['use_ssl', 'false']);
  }
  if (profile.bucket) fields.push(['scope', yamlValue(`${kind}://${profile.bucket}`)]);
  return { type: kind, fields };
}

export interface ProfilesEditResult {
  readonly text: string;
  /** `added` a new entry, `replaced` one of the same type and scope, `unchanged` when it was there already. */
  readonly action: 'added' | 'replaced' | 'unchanged';
}

type Yaml = typeof import('../vendor/yaml');

/** Adds `entry` to `profile.outputs.target.secrets`, replacing an entry of the same type and scope. */
export async function addTargetSecret(text: string, profile: string, target: string, entry: DbtSecretEntry): Promise<ProfilesEditResult> {
  const yaml = await import('../vendor/yaml');
  const doc = await parseYamlDocument(text, 'profiles.yml');
  const outputs = doc.getIn([profile, 'outputs']);
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
  if (!secretsPair) {
    const at = targetMap.range[1];
    next = insertLines(text, at, `${' '.repeat(mapColumn)}secrets:\n${renderItem(entry, mapColumn + step)}`);
    action = 'added';
  } else {
    const seq = secretsPair.value;
    if (seq === null || (yaml.isScalar(seq) && seq.value === null)) throw new Error(`target "${target}" has an empty secrets: key; remove it or add the entry by hand`);
    if (!yaml.isSeq(seq) || seq.flow || !seq.range) throw new Error(`target "${target}" has a secrets: value that is not a block list; add the entry by hand`);
    const dashColumn = column(text, seq.range[0]);
    const same = sameItem(yaml, seq, entry);
    if (same?.range) {
      // The old item's range starts after its `- `.
      const rendered = renderItem(entry, dashColumn).slice(dashColumn + 2);
      const old = text.slice(same.range[0], same.range[1]);
      next = text.slice(0, same.range[0]) + rendered + text.slice(same.range[1]);
      action = old === rendered ? 'unchanged' : 'replaced';
    } else {
      next = insertLines(text, seq.range[1], renderItem(entry, dashColumn));
      action = 'added';
    }
  }
  // The target's own key (a target `2024:` is the number 2024 in the document).
  verify(yaml, await parseYamlDocument(next, 'the edited profiles.yml'), [profile, 'outputs', targetPair.key.value], entry);
  return { text: next, action };
}

/** The map item of `seq` for the same secret: the same type, and the same scope (or neither has one). */
function sameItem(yaml: Yaml, seq: YAMLSeq, entry: DbtSecretEntry): YAMLMap | undefined {
  const scope = entry.fields.find(([key]) => key === 'scope')?.[1];
  const wantedScope: unknown = scope === undefined ? undefined : yaml.parse(scope);
  return seq.items.find((item): item is YAMLMap => {
    if (!yaml.isMap(item)) return false;
    const type: unknown = item.get('type');
    // A scope that is not a plain string (a list, an alias) is never this entry's: it is kept.
    return typeof type === 'string' && type.toLowerCase() === entry.type && item.get('scope') === wantedScope;
  });
}

/** `- type: r2\n  key_id: …\n` at `dashColumn`. */
function renderItem(entry: DbtSecretEntry, dashColumn: number): string {
  const pad = ' '.repeat(dashColumn);
  return entry.fields.map(([key, value], i) => `${i === 0 ? `${pad}- ` : `${pad}  `}${key}: ${value}\n`).join('');
}

function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** `lines` inserted at `at`, on a line of their own even when the file does not end with a newline. */
function insertLines(text: string, at: number, lines: string): string {
  return `${text.slice(0, at)}${text[at - 1] === '\n' ? '' : '\n'}${lines}${text.slice(at)}`;
}

/** Checks the edited document's target now holds the entry, so a wrong splice never reaches the disk. */
function verify(yaml: Yaml, doc: Document.Parsed, path: readonly unknown[], entry: DbtSecretEntry): void {
  const secrets = doc.getIn([...path, 'secrets']);
  if (!yaml.isSeq(secrets) || !sameItem(yaml, secrets, entry)) {
    throw new Error(`Editing profiles.yml went wrong (the ${entry.type} entry is not in its target afterwards); the file was left as it was`);
  }
}
