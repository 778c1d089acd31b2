/**
 * Legacy `SET s3_*` hooks in `dbt_project.yml` (`on-run-start: - "SET s3_access_key_id='{{
 * env_var('R2_ACCESS_KEY_ID') }}'"`, …) and their replacement: one `TYPE s3` entry under `secrets:`
 * of the profile's targets (dbtProfilesEdit.ts), which dbt-duckdb turns into `CREATE SECRET`.
 * `findS3Hooks` reports them (the language server can offer a quick fix from it), `removeS3Hooks`
 * takes them out of the text by splicing only their ranges, as the profiles.yml edit does.
 *
 * A key written literally in a hook is never copied: the entry refers to the key variables
 * (`env_var`) instead and the result says so, so the key can be rotated. No VS Code import.
 */
import { parseYamlDocument } from './configText';
import type { EnvNames } from './envImport';
import { envVarRef, yamlValue, type DbtSecretEntry } from './dbtProfilesEdit';

/** `SET [GLOBAL|SESSION|LOCAL] s3_name = value` (or `TO value`), one statement. */
const SET_S3 = /^\s*SET\s+(?:(?:GLOBAL|SESSION|LOCAL)\s+)?s3_([a-z_]+)\s*(?:=|\bTO\b)\s*([\s\S]*?)\s*$/i;

/** The DuckDB setting each `s3_*` name maps to in a secret, in the order the entry lists them. */
const SETTING_FIELDS: readonly (readonly [string, string])[] = [
  ['access_key_id', 'key_id'],
  ['secret_access_key', 'secret'],
  ['session_token', 'session_token'],
  ['region', 'region'],
  ['endpoint', 'endpoint'],
  ['url_style', 'url_style'],
  ['use_ssl', 'use_ssl'],
  ['url_compatibility_mode', 'url_compatibility_mode'],
];
const SECRET_FIELDS = new Set(['key_id', 'secret', 'session_token']);

export interface S3Hook {
  /** `on-run-start` or `on-run-end`. */
  readonly key: string;
  /** Offsets of the hook's list item in the text (for diagnostics and the edit). */
  readonly start: number;
  readonly end: number;
  /** The `s3_*` settings it sets: setting name (without `s3_`) → value as written (quotes removed). */
  readonly settings: ReadonlyMap<string, string>;
  /** Statements of the same hook that are not `SET s3_*` (kept when the hook is edited). */
  readonly rest: readonly string[];
  /** Whether it is an item of a flow list (`on-run-start: ["SET …", …]`), which is edited inside its line. */
  readonly inFlowList: boolean;
}

export interface S3HooksMigration {
  readonly hooks: readonly S3Hook[];
  /** The dbt profile dbt_project.yml names (`profile:`), whose targets get the entry. */
  readonly profile?: string;
  readonly entry: DbtSecretEntry;
  /** Settings whose value was a literal key: the entry refers to the environment instead. */
  readonly literalKeys: readonly string[];
}

/**
 * The `SET s3_*` hooks of a dbt_project.yml text, and the `secrets:` entry that replaces them; undefined when there are none.
 * The text is checked as profiles.yml is (size, NUL bytes, syntax, duplicate keys): "dbt_project.yml is not valid YAML: …".
 */
export async function findS3Hooks(text: string, names: EnvNames): Promise<S3HooksMigration | undefined> {
  const yaml = await import('../vendor/yaml');
  const doc = await parseYamlDocument(text, 'dbt_project.yml');
  const hooks: S3Hook[] = [];
  for (const key of ['on-run-start', 'on-run-end']) {
    const node = doc.get(key, true);
    // A missing key gives [undefined], which the scalar check below skips.
    const items = yaml.isSeq(node) ? node.items : [node];
    const inFlowList = yaml.isSeq(node) ? node.flow === true : false;
    for (const item of items) {
      if (!yaml.isScalar(item) || typeof item.value !== 'string' || !item.range) continue;
      const statements = splitStatements(item.value);
      const settings = new Map<string, string>();
      const rest: string[] = [];
      for (const statement of statements) {
        const match = SET_S3.exec(statement);
        // Stryker disable next-line ConditionalExpression: group 2 takes part in every match; the check only narrows the type
        if (match?.[1] && match[2] !== undefined) settings.set(match[1].toLowerCase(), unquote(match[2]));
        else rest.push(statement);
      }
      if (settings.size > 0) hooks.push({ key, start: item.range[0], end: item.range[1], settings, rest, inFlowList });
    }
  }
  if (hooks.length === 0) return undefined;
  const all = new Map<string, string>();
  for (const hook of hooks) for (const [k, v] of hook.settings) all.set(k, v);
  const literalKeys: string[] = [];
  const fields: [string, string][] = [['type', 's3']];
  for (const [setting, field] of SETTING_FIELDS) {
    const value = all.get(setting);
    if (value === undefined) continue;
    const env = /^\{\{\s*env_var\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*(?:,[^)]*)?\)\s*\}\}$/.exec(value);
    if (env?.[1]) fields.push([field, envVarRef(env[1])]);
    else if (SECRET_FIELDS.has(field)) {
      literalKeys.push(`s3_${setting}`);
      if (field === 'key_id') fields.push([field, envVarRef(names.accessKeyId)]);
      if (field === 'secret') fields.push([field, envVarRef(names.secretKey)]);
      // A literal session token has no variable to stand for it; it is left out.
    } else fields.push([field, yamlValue(value)]);
  }
  const profile = doc.get('profile');
  return { hooks, ...(typeof profile === 'string' ? { profile } : {}), entry: { type: 's3', fields }, literalKeys };
}

/** The text without the hooks: a hook of `SET s3_*` only is removed (its key too when nothing is left), a mixed one keeps its other statements. */
export function removeS3Hooks(text: string, migration: S3HooksMigration): string {
  let next = text;
  // Last first, so earlier offsets stay right.
  for (const hook of [...migration.hooks].sort((a, b) => b.start - a.start)) {
    if (hook.rest.length > 0) {
      next = next.slice(0, hook.start) + JSON.stringify(hook.rest.join('; ')) + next.slice(hook.end);
      continue;
    }
    const lineStart = next.lastIndexOf('\n', hook.start - 1) + 1;
    const before = next.slice(lineStart, hook.start);
    // A list item (`  - "SET …"`) goes with its line; a hook written as the key's only value (`on-run-start: "SET …"`) takes the key along.
    // A block scalar's range ends after its last line break; a quoted one's at its closing quote, so the line's end (and a comment) go too.
    const end = next[hook.end - 1] !== '\n' ? next.indexOf('\n', hook.end) + 1 || next.length : hook.end;
    if (before.trim() === '-' || /^\s*[\w-]+:\s*$/.test(before)) {
      next = next.slice(0, lineStart) + next.slice(end);
      continue;
    }
    const after = next.slice(hook.end);
    if (hook.inFlowList) {
      // The item goes with the comma after it, else the one before it (`["SET …", "INSTALL httpfs"]`), and the rest stays.
      const following = /^\s*,\s*/.exec(after);
      const preceding = /\s*,\s*$/.exec(next.slice(0, hook.start));
      if (following) next = next.slice(0, hook.start) + after.slice(following[0].length);
      else if (preceding) next = next.slice(0, hook.start - preceding[0].length) + after;
      else next = next.slice(0, hook.start) + after;
    } else {
      // After an anchor or a tag (`on-run-start: &h "SET …"`) or in a flow mapping, the value becomes "" and the rest stays.
      next = next.slice(0, hook.start) + (next[hook.end - 1] === '\n' ? '""\n' : '""') + after;
    }
  }
  // A hook key whose list is now empty goes too.
  for (const key of new Set(migration.hooks.map((h) => h.key))) {
    next = next.replace(new RegExp(`^${key}:[ \\t]*(#.*)?\\n(?![ \\t]+-|[ \\t]+\\S)`, 'm'), '');
  }
  return next;
}

/** Splits a hook's SQL at `;` outside quotes and Jinja `{{ }}`; empty statements are dropped. */
function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  let jinja = 0;
  // Stryker disable next-line EqualityOperator: one step past the end reads "" and adds nothing
  for (let i = 0; i < sql.length; i++) {
    const c = sql.charAt(i);
    const pair = sql.slice(i, i + 2);
    // Jinja first: its quotes (`env_var('X')`) may sit inside the SQL's own quotes.
    if (pair === '{{' || (pair === '}}' && jinja > 0)) {
      jinja += pair === '{{' ? 1 : -1;
      current += pair;
      i++;
      continue;
    }
    if (jinja === 0) {
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === ';') {
        if (current.trim()) out.push(current.trim());
        current = '';
        continue;
      }
    }
    current += c;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** A value without its quotes; SET_S3 has already trimmed it. */
function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1);
  return v;
}
