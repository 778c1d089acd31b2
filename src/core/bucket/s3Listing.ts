/**
 * Live browsing: one folder at a time with S3 `ListObjectsV2` and `delimiter=/`, pages of 1,000,
 * signed (SigV4, service `s3`, region `auto`) with the active profile's credentials against the
 * profile's endpoint. DuckDB's `glob` has no delimiter listing, so it would page through a whole
 * subtree to show one level; this asks for exactly one level.
 *
 * Loaded with `await import('./s3Listing')` so aws4fetch and fast-xml-parser stay out of
 * activation. No VS Code import.
 */
import { AwsClient, XMLParser } from '../vendor/s3Client';
import type { BucketObject, BucketPage, BucketSource } from './bucketSource';
import { SET_CREDENTIALS_COMMAND } from '../credentials/credentialStore';
import { CancelledError, UserFacingError, errorText, type ErrorAction } from '../errors';
import { resolveEndpoint, type Credentials, type Endpoint } from '../credentials/profiles';
import { registerSecretValue } from '../redaction';
import { s3AnswerError, transportError, type S3AdviceContext, type TransportFailure } from './s3Advice';

export interface LiveListingOptions {
  readonly bucket: string;
  /** Where browsing starts (`''` or ending in `/`), for tokens that may only list a prefix. */
  readonly rootPrefix?: string;
  /** Reads the profile's credentials fresh for every request; they are not kept. */
  readonly credentials: () => Promise<Credentials>;
  /** Keys per page, at most 1,000 (S3's limit). */
  readonly maxKeys?: number;
  /** Milliseconds before a request is given up. Default 30 s. */
  readonly timeoutMs?: number;
}

/** What an error message names: never a secret value. */
export interface RequestContext {
  readonly profileId: string;
  readonly profile: string;
  readonly host: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly useSsl: boolean;
  /** Cloudflare's default endpoint (not EU, FedRAMP or a custom one): only there can a missing bucket be a jurisdiction mix-up. */
  readonly defaultEndpoint?: boolean;
}

const OPEN_BUCKET_PATH: ErrorAction = { title: 'Open Bucket Path…', command: 'duckdbSecrets.openBucketPath' };

/** Entries parsed per slice: fast-xml-parser takes 50–170 ms for a whole 1,000-key page (measured). */
const ENTRIES_PER_SLICE = 100;
/**
 * The most of one answer read. A 1,000-key page is about 300 KB; with 1,024-byte keys full of
 * `&amp;` it stays under 7 MB. Anything longer is not a listing page, and reading it would let a
 * hostile endpoint fill the extension host's memory.
 */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  htmlEntities: true,
  isArray: (name) => name === 'Contents' || name === 'CommonPrefixes',
});

export class LiveListing implements BucketSource {
  readonly kind = 'live';
  readonly description = 'Live';
  readonly bucket: string;
  readonly rootPrefix: string;

  constructor(private readonly options: LiveListingOptions) {
    this.bucket = options.bucket;
    this.rootPrefix = options.rootPrefix ?? '';
  }

  async listPrefix(prefix: string, continuation?: string, signal?: AbortSignal): Promise<BucketPage> {
    return await signedList(await this.options.credentials(), {
      bucket: this.bucket,
      prefix,
      delimiter: '/',
      maxKeys: Math.min(this.options.maxKeys ?? 1000, 1000),
      ...(continuation !== undefined ? { continuation } : {}),
      ...(signal ? { signal } : {}),
      ...(this.options.timeoutMs !== undefined ? { timeoutMs: this.options.timeoutMs } : {}),
    });
  }
}

/** One ListObjectsV2 request. */
export interface ListRequest {
  readonly bucket: string;
  readonly prefix: string;
  /** `/` lists one folder level; without it every key under the prefix is listed. */
  readonly delimiter?: string;
  /** Keys per page, at most 1,000 (S3's limit). Default 1,000. */
  readonly maxKeys?: number;
  readonly continuation?: string;
  readonly signal?: AbortSignal;
  /** Milliseconds before the request is given up. Default 30 s. */
  readonly timeoutMs?: number;
}

/**
 * Lists one page, signed (SigV4, service `s3`, region `auto`) with `credentials` against their
 * endpoint; failures become what the user should do next, an abort of `signal` a CancelledError.
 */
export async function signedList(credentials: Credentials, request: ListRequest): Promise<BucketPage> {
  registerSecretValue(credentials.accessKeyId);
  registerSecretValue(credentials.secretAccessKey);
  const endpoint = endpointOf(credentials);
  const context: RequestContext = {
    profileId: credentials.id,
    profile: credentials.label,
    host: endpoint.host,
    bucket: request.bucket,
    prefix: request.prefix,
    useSsl: endpoint.useSsl,
    defaultEndpoint: endpoint.isDefault,
  };
  const { signal } = request;
  const timeoutMs = request.timeoutMs ?? 30_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let body: string;
  try {
    response = await clientFor(credentials).fetch(listUrl(endpoint, request), { method: 'GET', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    body = await readCapped(response, MAX_ANSWER_BYTES, context);
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    if (error instanceof UserFacingError) throw error;
    if (timeout.aborted) throw transportError('timeout', `no answer within ${timeoutMs / 1000} s`, adviceContext(context), `${errorText(error)} (listing ${where(context)} at ${context.host})`);
    throw translateNetworkError(error, context);
  }
  if (!response.ok) throw translateS3Error(response.status, body, context);
  return await parseListing(body, request.prefix);
}

/** The answer's text, refusing (and no longer reading) one longer than `limit` bytes. */
export async function readCapped(response: Response, limit: number, c: Pick<RequestContext, 'host' | 'bucket' | 'prefix'>): Promise<string> {
  const tooLong = () =>
    new UserFacingError(
      `${c.host} answered the listing of ${where(c)} with more than ${Math.round(limit / (1024 * 1024))} MB, which is not an S3 listing page: stopped reading. Check the profile's endpoint.`,
    );
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLong();
  }
  if (!response.body) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLong();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** The signer of the last credentials used: aws4fetch keeps the derived signing key in it, so pages after the first reuse it. */
let cachedClient: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly client: AwsClient } | undefined;

function clientFor(credentials: Credentials): AwsClient {
  const { accessKeyId, secretAccessKey } = credentials;
  if (cachedClient?.accessKeyId !== accessKeyId || cachedClient.secretAccessKey !== secretAccessKey) {
    cachedClient = { accessKeyId, secretAccessKey, client: new AwsClient({ accessKeyId, secretAccessKey, service: 's3', region: 'auto', retries: 2 }) };
  }
  return cachedClient.client;
}

function endpointOf(credentials: Credentials): Endpoint {
  const custom = credentials.customEndpoint ?? '';
  if (credentials.jurisdiction === 'custom' && /^\s*https?:\/\/+\s*https?:\/\//i.test(custom)) {
    throw new UserFacingError(
      `The endpoint of profile "${credentials.label}" has the scheme twice (${custom.trim()}). Write it once, e.g. https://host or http://host:port.`,
    );
  }
  try {
    return resolveEndpoint(credentials);
  } catch (error) {
    throw new UserFacingError(
      `The endpoint of profile "${credentials.label}" is not a URL: "${custom}". Write it as https://host or http://host:port.`,
      errorText(error),
    );
  }
}

/**
 * The ListObjectsV2 URL for one page, path style (`<endpoint>/<bucket>?…`) or virtual-host style.
 * The query is written exactly as SigV4 signs it (RFC 3986: a space is `%20`, `+` is `%2B`, only
 * `A-Z a-z 0-9 - . _ ~` left as they are), not with `URLSearchParams`, which writes a space as `+`:
 * R2 reads that `+` as a plus sign, so the request no longer matches its signature (403
 * SignatureDoesNotMatch on every folder with a space).
 */
export function listUrl(endpoint: Endpoint, request: Pick<ListRequest, 'bucket' | 'prefix' | 'delimiter' | 'maxKeys' | 'continuation'>): string {
  const query: [string, string][] = [
    ['list-type', '2'],
    ['prefix', request.prefix],
  ];
  if (request.delimiter !== undefined) query.push(['delimiter', request.delimiter]);
  query.push(['max-keys', String(request.maxKeys ?? 1000)]);
  if (request.continuation !== undefined) query.push(['continuation-token', request.continuation]);
  const base =
    endpoint.urlStyle === 'vhost'
      ? endpoint.url.replace('://', `://${encodeRfc3986(request.bucket)}.`) + '/'
      : `${endpoint.url}/${encodeRfc3986(request.bucket)}`;
  return `${base}?${query.map(([name, value]) => `${name}=${encodeRfc3986(value)}`).join('&')}`;
}

/** Percent-encodes every byte but RFC 3986's unreserved characters, as SigV4's canonical request does. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

interface ListBucketResult {
  IsTruncated?: string;
  NextContinuationToken?: string;
  Contents?: { Key?: string; Size?: string; LastModified?: string }[];
  CommonPrefixes?: { Prefix?: string }[];
}

/**
 * Parses a ListObjectsV2 answer into one page; the folder marker object (key == prefix) is left out.
 * fast-xml-parser reads the page a slice of entries at a time, yielding to the event loop between
 * slices, so a 1,000-key page never blocks it for long. (An entry's end tag cannot occur inside its
 * text, where `<` is always escaped, so cutting at end tags is safe.)
 */
export async function parseListing(xml: string, prefix: string, entriesPerSlice = ENTRIES_PER_SLICE): Promise<BucketPage> {
  const { entries, rest } = splitEntries(xml);
  const result = (parser.parse(rest) as { ListBucketResult?: ListBucketResult }).ListBucketResult;
  if (result === undefined || typeof result !== 'object') {
    throw new UserFacingError('The endpoint answered the listing with something that is not an S3 listing.', xml.slice(0, 300));
  }
  const objects: BucketObject[] = [];
  const folders: { prefix: string }[] = [];
  for (let i = 0; i < entries.length; i += entriesPerSlice) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const slice = (parser.parse(`<L>${entries.slice(i, i + entriesPerSlice).join('')}</L>`) as { L?: ListBucketResult }).L;
    for (const c of slice?.Contents ?? []) {
      if (c.Key === undefined || c.Key === prefix) continue;
      const time = c.LastModified ? new Date(c.LastModified) : undefined;
      const size = Number(c.Size ?? 0);
      objects.push(time && !Number.isNaN(+time) ? { key: c.Key, size, lastModified: time } : { key: c.Key, size });
    }
    for (const p of slice?.CommonPrefixes ?? []) if (p.Prefix) folders.push({ prefix: p.Prefix });
  }
  const more = result.IsTruncated === 'true' && result.NextContinuationToken;
  return more ? { folders, objects, continuation: result.NextContinuationToken } : { folders, objects };
}

const ENTRY_TAGS = ['Contents', 'CommonPrefixes'] as const;

/**
 * Cuts the `<Contents>` and `<CommonPrefixes>` entries out of a listing in one pass: each search
 * starts where the last one ended, so the work is linear in the answer's length, whatever the
 * endpoint sent. An entry that is never closed makes the answer "not an S3 listing" (a lazy regex
 * would rescan the rest of the text from every unclosed tag: quadratic).
 */
export function splitEntries(xml: string): { entries: string[]; rest: string } {
  const entries: string[] = [];
  const kept: string[] = [];
  let at = 0;
  for (;;) {
    const open = nextEntryOpen(xml, at);
    if (!open) break;
    const closeTag = `</${open.tag}>`;
    const close = xml.indexOf(closeTag, open.index + open.tag.length + 2);
    if (close === -1) {
      throw new UserFacingError('The endpoint answered the listing with something that is not an S3 listing (an entry is never closed).', xml.slice(0, 300));
    }
    kept.push(xml.slice(at, open.index));
    at = close + closeTag.length;
    entries.push(xml.slice(open.index, at));
  }
  kept.push(xml.slice(at));
  return { entries, rest: kept.join('') };
}

/** The next `<Contents>` or `<CommonPrefixes>` at or after `from`; one forward scan of `<`. */
function nextEntryOpen(xml: string, from: number): { index: number; tag: (typeof ENTRY_TAGS)[number] } | undefined {
  for (let i = xml.indexOf('<', from); i !== -1; i = xml.indexOf('<', i + 1)) {
    for (const tag of ENTRY_TAGS) {
      if (xml.startsWith(tag, i + 1) && xml.charCodeAt(i + 1 + tag.length) === 62 /* > */) return { index: i, tag };
    }
  }
  return undefined;
}

function where(c: Pick<RequestContext, 'bucket' | 'prefix'>): string {
  return `r2://${c.bucket}/${c.prefix}`;
}

function adviceContext(c: RequestContext): S3AdviceContext {
  return {
    host: c.host,
    bucket: c.bucket,
    doing: `listing ${where(c)}`,
    holder: `profile "${c.profile}"`,
    viaSecret: false,
    ...(c.defaultEndpoint !== undefined ? { defaultEndpoint: c.defaultEndpoint } : {}),
    fixCredentials: { title: 'Set R2 Credentials', command: SET_CREDENTIALS_COMMAND, args: [c.profileId] },
    openNarrower: OPEN_BUCKET_PATH,
  };
}

/** Turns an S3 error answer into what the user should do next. */
export function translateS3Error(status: number, body: string, c: RequestContext): UserFacingError {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  const detail = `HTTP ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''} (listing ${where(c)} at ${c.host})`;
  if (code === 'InvalidBucketName') {
    return new UserFacingError(`"${c.bucket}" is not a valid bucket name. Check the profile's default bucket or the path you opened.`, detail);
  }
  const advised = s3AnswerError(status, code, adviceContext(c), detail);
  if (advised) return advised;
  if (status === 400 && /https/i.test(body) && !c.useSsl) {
    return new UserFacingError(`${c.host} expects HTTPS: write the endpoint of profile "${c.profile}" as https://${c.host}.`, detail);
  }
  return new UserFacingError(`Listing ${where(c)} failed: HTTP ${status}${code ? ` ${code}` : ''}${message ? ` (${message})` : ''}.`, detail);
}

/** Turns a failed fetch (no HTTP answer at all) into what the user should do next. */
export function translateNetworkError(error: unknown, c: RequestContext): UserFacingError {
  const cause = (error as { cause?: unknown } | undefined)?.cause ?? error;
  const rawCode = (cause as { code?: unknown } | undefined)?.code;
  const code = typeof rawCode === 'string' ? rawCode : '';
  const text = `${errorText(error)}${cause !== error ? `: ${errorText(cause)}` : ''}`;
  const detail = `${text}${code ? ` [${code}]` : ''} (listing ${where(c)} at ${c.host})`;
  return transportError(fetchFailure(code, text), fetchFailureWords(code, text), adviceContext(c), detail);
}

/** Node's fetch failure, sorted by cause from the socket's error code. */
function fetchFailure(code: string, text: string): TransportFailure {
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown-host';
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO' || /wrong version number|packet length too long/i.test(text)) return 'plain-http-server';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return 'untrusted-certificate';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ECONNRESET' || code.startsWith('UND_ERR')) return 'connection-lost';
  return 'other';
}

function fetchFailureWords(code: string, text: string): string {
  if (code === 'ECONNREFUSED') return 'connection refused';
  return code || text;
}
