/**
 * Checks for the fields of an R2 profile, each with a message that names the field. No VS Code
 * import. Secret values are never echoed: a message about a key says what is wrong with it, not
 * what it is, and neither does one about the account id (a key pasted into the wrong box would
 * otherwise be shown back).
 */
import { UserFacingError } from '../errors';
import {
  DEFAULT_BUCKET,
  isJurisdiction,
  locateEndpoint,
  type Jurisdiction,
  type ProfileInfo,
  type ProfileSecrets,
} from './profiles';

export type ProfileField = 'label' | 'accountId' | 'accessKeyId' | 'secretAccessKey' | 'bucket' | 'jurisdiction' | 'customEndpoint';

export const FIELD_NAMES: Readonly<Record<ProfileField, string>> = {
  label: 'Profile name',
  accountId: 'Account id',
  accessKeyId: 'Access key id',
  secretAccessKey: 'Secret access key',
  bucket: 'Bucket',
  jurisdiction: 'Jurisdiction',
  customEndpoint: 'Endpoint',
};

/**
 * The outcome of checking one field. `value` is what to store (trimmed, normalized); `note` says
 * what was fixed on the way, `warning` what breaks a rule the user may still choose to keep.
 */
export type FieldCheck =
  | { readonly ok: true; readonly value: string; readonly note?: string; readonly warning?: string }
  | { readonly ok: false; readonly error: string };

const ok = (value: string, extra: { note?: string; warning?: string } = {}): FieldCheck => ({ ok: true, value, ...extra });
const fail = (error: string): FieldCheck => ({ ok: false, error });

/** Adapts a check to an input box: the error to show while typing, or undefined. */
export function inputValidator(check: (value: string) => FieldCheck): (value: string) => string | undefined {
  return (value) => {
    const result = check(value);
    return result.ok ? undefined : result.error;
  };
}

export const MAX_LABEL_LENGTH = 64;

export function checkLabel(value: string, name = FIELD_NAMES.label): FieldCheck {
  const label = value.trim();
  if (!label) return fail(`${name} is empty: give the profile a short name such as dev or prod.`);
  if (label.length > MAX_LABEL_LENGTH) return fail(`${name} is longer than ${MAX_LABEL_LENGTH} characters.`);
  if (/[\r\n\t]/.test(label)) return fail(`${name} must be on one line.`);
  return ok(label);
}

const ACCOUNT_ID = /^[0-9a-f]{32}$/i;
const ACCOUNT_IN_ENDPOINT = /^(?:https?:\/\/)?([0-9a-f]{32})(?:\.(?:eu|fedramp))?\.r2\.cloudflarestorage\.com\/?$/i;

export function checkAccountId(value: string, name = FIELD_NAMES.accountId): FieldCheck {
  const trimmed = value.trim();
  if (!trimmed) return fail(`${name} is empty: copy it from the Cloudflare dashboard (R2 overview, "Account ID").`);
  if (ACCOUNT_ID.test(trimmed)) return ok(trimmed.toLowerCase());
  const fromEndpoint = ACCOUNT_IN_ENDPOINT.exec(trimmed)?.[1];
  if (fromEndpoint) return ok(fromEndpoint.toLowerCase(), { note: `${name}: took the account id from the endpoint URL that was entered.` });
  const hexOnly = /^[0-9a-f]+$/i.test(trimmed);
  const why = hexOnly ? `it has ${trimmed.length}` : 'it has characters other than 0-9 and a-f';
  return fail(`${name} must be 32 hexadecimal characters (0-9, a-f); ${why}.`);
}

/** Access key id or secret access key: non-empty, no inner whitespace; surrounding whitespace is trimmed with a note. */
export function checkKey(value: string, name: string): FieldCheck {
  const trimmed = value.trim();
  if (!trimmed) return fail(`${name} is empty.`);
  if (/\s/.test(trimmed)) return fail(`${name} contains a space or line break inside it: paste the key again, in one piece.`);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(trimmed)) return fail(`${name} contains a control character: paste the key again from its source.`);
  if (trimmed === value) return ok(trimmed);
  const what = /[\r\n]/.test(value) ? 'a line break' : 'spaces';
  return ok(trimmed, { note: `${name}: removed ${what} around the pasted value.` });
}

export const BUCKET_RULE = '3–63 characters of lowercase letters a-z, digits 0-9 and hyphens, starting and ending with a letter or digit';

/** Hard errors only for what cannot name a bucket at all; R2's naming rule gives a warning the user may overrule. */
export function checkBucket(value: string, name = FIELD_NAMES.bucket): FieldCheck {
  const bucket = value.trim();
  if (!bucket) return fail(`${name} is empty.`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(bucket)) return fail(`${name}: enter the bucket's name only, without ${bucket.split('//')[0]}//.`);
  if (bucket.includes('/')) return fail(`${name}: enter the bucket's name only, without a path ("/").`);
  if (/\s/.test(bucket)) return fail(`${name} must not contain spaces.`);
  const breaks = bucketRuleBreaks(bucket);
  if (breaks.length === 0) return ok(bucket);
  return ok(bucket, {
    warning: `${name} "${bucket}" does not follow R2's naming rule (${BUCKET_RULE}): ${breaks.join(', ')}. Keep it only if the bucket really has this name.`,
  });
}

function bucketRuleBreaks(bucket: string): string[] {
  const breaks: string[] = [];
  if (bucket.length < 3 || bucket.length > 63) breaks.push(`it has ${bucket.length} characters`);
  const others = [...new Set(bucket.replace(/[a-z0-9-]/g, ''))];
  if (others.length > 0) breaks.push(`it contains ${others.map((c) => `"${c}"`).join(' ')}`);
  if (/^-|-$/.test(bucket)) breaks.push('it starts or ends with a hyphen');
  return breaks;
}

/**
 * An endpoint as `host[:port]` or `https://host[:port]` / `http://host:port`, normalized to
 * `scheme://host[:port]` (https when no scheme is given). A doubled scheme or a path is rejected.
 */
export function parseEndpoint(value: string, name = FIELD_NAMES.customEndpoint): FieldCheck {
  const text = value.trim();
  if (!text) return fail(`${name} is empty: enter host:port or a URL such as https://host or http://127.0.0.1:9000.`);
  const doubled = /^[a-z][a-z0-9+.-]*:\/*[a-z][a-z0-9+.-]*:\/\//i.exec(text);
  if (doubled) return fail(`${name} has its scheme twice ("${doubled[0]}…"): keep one, e.g. https://host.`);
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  const scheme = schemeMatch?.[1]!.toLowerCase();
  if (scheme !== undefined && scheme !== 'https' && scheme !== 'http') {
    return fail(`${name} must start with https:// or http:// (or be just host:port), not ${scheme}://.`);
  }
  let url: URL;
  try {
    url = new URL(scheme ? text : `https://${text}`);
  } catch {
    return fail(`${name} is not a host name or URL: enter host:port, https://host or http://host:port.`);
  }
  if (url.username || url.password) return fail(`${name} must not contain a user name or password: keys go in their own fields.`);
  // An http(s) URL always has a host (else new URL throws) and a pathname of at least '/'.
  if (url.pathname !== '/' || url.search || url.hash) {
    const extra = `${url.pathname}${url.search}${url.hash}`;
    return fail(`${name} must be a host and optional port without a path ("${extra}" found): the bucket goes in the Bucket field.`);
  }
  return ok(`${url.protocol}//${url.host}`);
}

/** What commands, scripts and env import hand in: anything, checked here. */
export interface ProfileInput {
  readonly label?: unknown;
  readonly accountId?: unknown;
  readonly accessKeyId?: unknown;
  readonly secretAccessKey?: unknown;
  readonly bucket?: unknown;
  readonly jurisdiction?: unknown;
  readonly customEndpoint?: unknown;
}

export interface ValidProfile {
  readonly info: Omit<ProfileInfo, 'id'>;
  /** Absent keys (allowed with `keepSecrets`) mean: keep what is stored. */
  readonly secrets: Partial<ProfileSecrets>;
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
}

export interface ValidateOptions {
  /** Editing a stored profile: absent keys keep their stored values. */
  readonly keepSecrets?: boolean;
  /** Names to use in messages instead of FIELD_NAMES, e.g. the environment variables read. */
  readonly names?: Partial<Record<ProfileField, string>>;
}

/** Every problem with an R2 profile, in one message that names the fields. */
export class ProfileValidationError extends UserFacingError {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0]! : `R2 profile has ${problems.length} problems: ${problems.join(' ')}`);
    this.name = 'ProfileValidationError';
  }
}

/** Checks a whole profile; throws ProfileValidationError listing every field that is wrong. */
/** Keys shorter than this are not looked for in other fields (a 1-letter test key is in every word). */
const MIN_KEY_CHECK = 8;

export function validateProfile(input: ProfileInput, options: ValidateOptions = {}): ValidProfile {
  const name = (field: ProfileField) => options.names?.[field] ?? FIELD_NAMES[field];
  const problems: string[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];
  const take = (field: ProfileField, raw: unknown, check: (value: string, name: string) => FieldCheck): string | undefined => {
    if (raw !== undefined && typeof raw !== 'string') {
      problems.push(`${name(field)} must be text.`);
      return undefined;
    }
    const result = check(raw ?? '', name(field));
    if (!result.ok) {
      problems.push(result.error);
      return undefined;
    }
    if (result.note) notes.push(result.note);
    if (result.warning) warnings.push(result.warning);
    return result.value;
  };
  const optionalKey = (field: 'accessKeyId' | 'secretAccessKey', raw: unknown) =>
    options.keepSecrets && (raw === undefined || raw === '') ? undefined : take(field, raw, checkKey);

  const label = take('label', input.label, checkLabel);
  const accountId = take('accountId', input.accountId, checkAccountId);
  const accessKeyId = optionalKey('accessKeyId', input.accessKeyId);
  const secretAccessKey = optionalKey('secretAccessKey', input.secretAccessKey);
  const bucket = take('bucket', input.bucket === undefined || input.bucket === '' ? DEFAULT_BUCKET : input.bucket, checkBucket);
  const location = checkLocation(input, name, problems);
  // A key pasted (or imported) into a field that is not kept secret would be stored and shown.
  const keys = [accessKeyId, secretAccessKey].filter((k): k is string => k !== undefined && k.length >= MIN_KEY_CHECK).map((k) => k.toLowerCase());
  const exposed: [ProfileField, string | undefined][] = [
    ['label', label],
    ['accountId', accountId],
    ['bucket', bucket],
    ['customEndpoint', location?.customEndpoint],
  ];
  for (const [field, value] of exposed) {
    if (value !== undefined && keys.some((k) => value.toLowerCase().includes(k))) {
      problems.push(`${name(field)} holds one of the keys: keys go only in the access key id and secret key fields.`);
    }
  }

  if (problems.length > 0) throw new ProfileValidationError(problems);
  // Stryker disable next-line all: unreachable, a field check that gives undefined always adds a problem; this only narrows the types
  if (label === undefined || accountId === undefined || bucket === undefined || !location) throw new ProfileValidationError(problems);
  const secrets: Partial<ProfileSecrets> = {
    ...(accessKeyId !== undefined && { accessKeyId }),
    ...(secretAccessKey !== undefined && { secretAccessKey }),
  };
  return { info: { label, accountId, bucket, ...location }, secrets, notes, warnings };
}

function checkLocation(
  input: ProfileInput,
  name: (field: ProfileField) => string,
  problems: string[],
): { jurisdiction: Jurisdiction; customEndpoint?: string } | undefined {
  const hasEndpoint = input.customEndpoint !== undefined && input.customEndpoint !== '';
  const jurisdiction = input.jurisdiction ?? (hasEndpoint ? 'custom' : 'default');
  if (!isJurisdiction(jurisdiction)) {
    problems.push(`${name('jurisdiction')} must be one of default, eu, fedramp, custom.`);
    return undefined;
  }
  if (jurisdiction !== 'custom') return { jurisdiction };
  if (typeof input.customEndpoint !== 'string' && input.customEndpoint !== undefined) {
    problems.push(`${name('customEndpoint')} must be text.`);
    return undefined;
  }
  const endpoint = parseEndpoint(input.customEndpoint ?? '', name('customEndpoint'));
  if (!endpoint.ok) {
    problems.push(endpoint.error);
    return undefined;
  }
  return { jurisdiction, customEndpoint: endpoint.value };
}

/**
 * Reads an endpoint someone wrote down (R2_ENDPOINT) as a location: Cloudflare's hosts become
 * their jurisdiction, and the account id they carry must agree with the one given.
 */
export function endpointLocation(
  value: string,
  accountId: string | undefined,
  names: { endpoint: string; accountId: string },
): { ok: true; jurisdiction: Jurisdiction; accountId?: string; customEndpoint?: string } | { ok: false; error: string } {
  const parsed = parseEndpoint(value, names.endpoint);
  if (!parsed.ok) return parsed;
  const location = locateEndpoint(parsed.value);
  if (location.accountId && accountId && location.accountId !== accountId.trim().toLowerCase()) {
    return { ok: false, error: `${names.endpoint} points at a different Cloudflare account than ${names.accountId}: make them agree.` };
  }
  return { ok: true, ...location };
}
