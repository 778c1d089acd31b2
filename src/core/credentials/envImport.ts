/**
 * Reads R2 credentials from environment variables: the extension host's environment first, then
 * `.env` files in the workspace folders (parsed by `dotenv`, never loaded into process.env). The
 * variable names come from settings. No VS Code import; nothing here logs or echoes a value.
 */
import { parse } from 'dotenv';
import * as path from 'node:path';
import { readConfigText } from './configText';
import { endpointLocation, validateProfile, type ProfileInput, type ValidProfile } from './profileValidation';

/** The environment variable names to read, from the `duckdbSecrets.env.*` settings. */
export interface EnvNames {
  readonly accessKeyId: string;
  readonly secretKey: string;
  readonly accountId: string;
  readonly bucket: string;
  readonly endpoint: string;
}

export const DEFAULT_ENV_NAMES: EnvNames = {
  accessKeyId: 'R2_ACCESS_KEY_ID',
  secretKey: 'R2_SECRET_KEY',
  accountId: 'CLOUDFLARE_ACCOUNT_ID',
  bucket: 'DUCKLAKE_NAME',
  endpoint: 'R2_ENDPOINT',
};

/** One place variables come from, in the order they are consulted (first one with a value wins). */
export interface EnvSource {
  /** For messages: "the extension host's environment", or the `.env` file's path. */
  readonly description: string;
  /** `host`: the extension host's own environment (the user's); `file`: a workspace `.env`, written by whoever wrote the repository. */
  readonly kind: 'host' | 'file';
  readonly values: Readonly<Record<string, string | undefined>>;
}

export function processEnvSource(env: NodeJS.ProcessEnv = process.env): EnvSource {
  return { description: "the extension host's environment", kind: 'host', values: env };
}

/** The `.env` file in `folder`, or undefined when there is none. */
export async function readDotEnv(folder: string): Promise<EnvSource | undefined> {
  const file = path.join(folder, '.env');
  let text: string;
  try {
    text = await readConfigText(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new Error(code ? `Could not read ${file}: ${code}` : (error as Error).message);
  }
  return { description: file, kind: 'file', values: parse(text) };
}

export interface EnvImport {
  /** The fields found, ready for `validateProfile`, and where each came from. */
  readonly input: ProfileInput;
  readonly found: ReadonlyMap<string, string>;
  /** Names of required variables that no source set, in settings order. */
  readonly missing: readonly string[];
  /** `DUCKLAKE_NAME` was not set, so the default bucket is used. */
  readonly defaultBucket: boolean;
  /** Problems with values that were found (never the values themselves). */
  readonly problems: readonly string[];
  readonly sources: readonly EnvSource[];
}

/** Collects what the sources hold. Empty values count as missing. */
export function collectEnv(names: EnvNames, sources: readonly EnvSource[]): EnvImport {
  const found = new Map<string, string>();
  const read = (name: string): string | undefined => {
    for (const source of sources) {
      const value = source.values[name];
      if (value !== undefined && value.trim() !== '') {
        found.set(name, source.description);
        return value;
      }
    }
    return undefined;
  };
  const accessKeyId = read(names.accessKeyId);
  const secretAccessKey = read(names.secretKey);
  let accountId = read(names.accountId);
  const bucket = read(names.bucket);
  const endpoint = read(names.endpoint);

  const problems: string[] = [];
  let location: Pick<ProfileInput, 'jurisdiction' | 'customEndpoint'> = {};
  if (endpoint !== undefined) {
    const located = endpointLocation(endpoint, accountId, { endpoint: names.endpoint, accountId: names.accountId });
    if (!located.ok) problems.push(located.error);
    else {
      location = { jurisdiction: located.jurisdiction, customEndpoint: located.customEndpoint };
      accountId ??= located.accountId; // Cloudflare's endpoint carries the account id
    }
  }
  const missing = [
    [names.accessKeyId, accessKeyId],
    [names.secretKey, secretAccessKey],
    [names.accountId, accountId],
  ]
    .filter(([, value]) => value === undefined)
    .map(([name]) => name as string);

  return {
    input: { accessKeyId, secretAccessKey, accountId, bucket, ...location },
    found,
    missing,
    defaultBucket: bucket === undefined,
    problems,
    sources,
  };
}

/**
 * Why saving this import's endpoint needs the user's yes (a modal), or an empty list. A profile's
 * keys are sent, signed, to its endpoint: an endpoint from another place than the keys (keys in
 * the host environment or typed in, `R2_ENDPOINT` in a workspace `.env`), or one that is not a
 * Cloudflare R2 host, would send them somewhere the keys' owner may never have chosen.
 * `keysTyped`: the keys were missing and the user typed them in.
 */
export function endpointConcerns(names: EnvNames, result: Pick<EnvImport, 'found' | 'input'>, keysTyped = false): string[] {
  const endpointFrom = result.found.get(names.endpoint);
  if (endpointFrom === undefined) return [];
  const concerns: string[] = [];
  const keysFrom = [names.accessKeyId, names.secretKey].map((name) => result.found.get(name) ?? 'typed in');
  const otherPlace = keysTyped ? 'typed in' : keysFrom.find((from) => from !== endpointFrom);
  if (otherPlace !== undefined) {
    const keysWhere = otherPlace === 'typed in' ? 'the keys were typed in' : `the keys come from ${otherPlace}`;
    concerns.push(`The endpoint (${names.endpoint}) comes from ${endpointFrom}, while ${keysWhere}.`);
  }
  if (result.input.jurisdiction === 'custom') {
    const host = hostOf(typeof result.input.customEndpoint === 'string' ? result.input.customEndpoint : '');
    concerns.push(`${names.endpoint} names ${host}, which is not a Cloudflare R2 host: listings, previews and DuckDB reads send requests signed with these keys there.`);
  }
  return concerns;
}

function hostOf(endpoint: string): string {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`).host || endpoint;
  } catch {
    return endpoint;
  }
}

/** "Missing R2 credentials: R2_SECRET_KEY, CLOUDFLARE_ACCOUNT_ID (looked in …)." */
export function missingMessage(result: Pick<EnvImport, 'missing' | 'sources'>): string {
  return `Missing R2 credentials: ${result.missing.join(', ')} (looked in ${describeSources(result.sources)}).`;
}

export function describeSources(sources: readonly EnvSource[]): string {
  const names = sources.map((s) => s.description);
  return names.length <= 1 ? (names[0] ?? 'nowhere') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Validates a complete import (label and any values typed in for missing variables merged in),
 * naming the environment variables in messages.
 */
export function validateEnvProfile(names: EnvNames, input: ProfileInput): ValidProfile {
  return validateProfile(input, {
    names: {
      accessKeyId: names.accessKeyId,
      secretAccessKey: names.secretKey,
      accountId: names.accountId,
      bucket: names.bucket,
      customEndpoint: names.endpoint,
    },
  });
}
