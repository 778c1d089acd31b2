/**
 * Live browsing: one folder at a time with S3 `ListObjectsV2` and `delimiter=/`, pages of 1,000,
 * signed (SigV4, service `s3`, region `auto`) with the active profile's credentials against the
 * profile's endpoint. DuckDB's `glob` has no delimiter listing, so it would page through a whole
 * subtree to show one level; this asks for exactly one level.
 *
 * Transient failures (5xx, SlowDown, a reset connection) are retried a bounded number of times
 * (retry.ts); a timeout is not. Loaded with `await import('./s3Listing')` so aws4fetch stays out
 * of activation. No VS Code import.
 */
import { AwsClient } from '../vendor/s3Client';
import type { BucketPage, BucketSource } from './bucketSource';
import { SET_CREDENTIALS_COMMAND } from '../credentials/credentialStore';
import { CancelledError, UserFacingError, errorText, type ErrorAction } from '../errors';
import { resolveEndpoint, type Credentials, type Endpoint } from '../credentials/profiles';
import { registerSecretValue } from '../redaction';
import { s3AnswerError, transportError, type S3AdviceContext, type TransportFailure } from './s3Advice';
import { earlyContinuation, parseListing } from './s3ListingXml';
import { DEFAULT_RETRY, S3RequestError, retryAfterMs, withRetry, type RetryEvent, type RetryPolicy } from './retry';

export interface LiveListingOptions {
  readonly bucket: string;
  /** Where browsing starts (`''` or ending in `/`), for tokens that may only list a prefix. */
  readonly rootPrefix?: string;
  /**
   * Reads the profile's credentials. Without `credentialsChanged` they are read for every request
   * and not kept; with it, read once and kept until it fires (keys saved, the profile deleted),
   * a read fails, or the listing is disposed: a keychain read is a round trip to the window that
   * took 10–130 ms in code-server, on every folder opened.
   */
  readonly credentials: () => Promise<Credentials>;
  /** Subscribes to changes of the stored profiles; lets the listing keep the credentials between requests. */
  readonly credentialsChanged?: (listener: () => void) => { dispose(): void };
  /** Keys per page, at most 1,000 (S3's limit). */
  readonly maxKeys?: number;
  /** Milliseconds before a request is given up. Default 30 s. */
  readonly timeoutMs?: number;
  /** Retries of transient failures. Default DEFAULT_RETRY. */
  readonly retry?: RetryPolicy;
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

/**
 * The most of one answer read. A 1,000-key page is about 300 KB; with 1,024-byte keys full of
 * `&amp;` it stays under 7 MB. Anything longer is not a listing page, and reading it would let a
 * hostile endpoint fill the extension host's memory.
 */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;


export class LiveListing implements BucketSource {
  readonly kind = 'live';
  readonly description = 'Live';
  readonly bucket: string;
  readonly rootPrefix: string;

  private kept: Promise<Credentials> | undefined;
  private readonly subscription: { dispose(): void } | undefined;

  constructor(private readonly options: LiveListingOptions) {
    this.bucket = options.bucket;
    this.rootPrefix = options.rootPrefix ?? '';
    this.subscription = options.credentialsChanged?.(() => (this.kept = undefined));
  }

  async listPrefix(prefix: string, continuation?: string, signal?: AbortSignal): Promise<BucketPage> {
    return await signedList(await this.credentials(), {
      bucket: this.bucket,
      prefix,
      delimiter: '/',
      maxKeys: Math.min(this.options.maxKeys ?? 1000, 1000),
      ...(continuation !== undefined ? { continuation } : {}),
      ...(signal ? { signal } : {}),
      ...(this.options.timeoutMs !== undefined ? { timeoutMs: this.options.timeoutMs } : {}),
      ...(this.options.retry ? { retry: this.options.retry } : {}),
    });
  }

  /** Forgets the kept credentials and stops listening for changes (the view shows another source). */
  dispose(): void {
    this.kept = undefined;
    this.subscription?.dispose();
  }

  private credentials(): Promise<Credentials> {
    if (!this.subscription) return this.options.credentials();
    const read = (this.kept ??= this.options.credentials());
    // A failed read is not kept: the next request reads again (the keychain may be back).
    read.catch(() => {
      if (this.kept === read) this.kept = undefined;
    });
    return read;
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
  /** List keys after this one (ignored by S3 when `continuation` is given). */
  readonly startAfter?: string;
  readonly signal?: AbortSignal;
  /** Milliseconds before one attempt is given up (never retried). Default 30 s. */
  readonly timeoutMs?: number;
  /** Retries of transient failures. Default DEFAULT_RETRY; `{ ...DEFAULT_RETRY, attempts: 1 }` for none. */
  readonly retry?: RetryPolicy;
  readonly onRetry?: (event: RetryEvent) => void;
  /** Called once with the next page's token as soon as the answer's head names it, while the rest still streams. */
  readonly onContinuation?: (token: string) => void;
  /** Keep the folder marker object whose key is the prefix itself (a full listing counts it). */
  readonly keepPrefixMarker?: boolean;
}

/**
 * Lists one page, signed (SigV4, service `s3`, region `auto`) with `credentials` against their
 * endpoint, retrying transient failures; failures become what the user should do next (an
 * S3RequestError), an abort of `signal` a CancelledError.
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
  const url = listUrl(endpoint, request);
  const client = clientFor(credentials);
  return await withRetry(() => listOnce(client, url, request, context), {
    policy: request.retry ?? DEFAULT_RETRY,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onRetry ? { onRetry: request.onRetry } : {}),
  });
}

async function listOnce(client: AwsClient, url: string, request: ListRequest, context: RequestContext): Promise<BucketPage> {
  const { signal } = request;
  const timeoutMs = request.timeoutMs ?? 30_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response | undefined;
  let body: string;
  try {
    response = await client.fetch(url, { method: 'GET', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    const onContinuation = request.onContinuation;
    const watch = response.ok && onContinuation ? headWatcher(onContinuation) : undefined;
    body = await readCapped(response, MAX_ANSWER_BYTES, context, watch);
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    if (error instanceof UserFacingError) throw error;
    if (timeout.aborted) {
      const advice = transportError('timeout', `no answer within ${timeoutMs / 1000} s`, adviceContext(context), `${errorText(error)} (listing ${where(context)} at ${context.host})`);
      throw new S3RequestError(advice.message, advice.detail, advice.actions, { transient: false });
    }
    throw translateNetworkError(error, context, response?.status);
  }
  if (!response.ok) throw translateS3Error(response.status, body, context, response.headers.get('retry-after'));
  return await parseListing(body, request.prefix, { keepPrefixMarker: request.keepPrefixMarker ?? false });
}

/** Looks for the next page's token in the answer's head (the first 64 KB) and reports it once. */
function headWatcher(report: (token: string) => void): (text: string) => void {
  let done = false;
  return (text) => {
    if (done) return;
    const token = earlyContinuation(text);
    if (token !== undefined || text.length > 65_536 || /<(Contents|CommonPrefixes)>/.test(text)) done = true;
    if (token !== undefined) report(token);
  };
}

/** The answer's text, refusing (and no longer reading) one longer than `limit` bytes; `watch` sees the text so far after each chunk. */
export async function readCapped(response: Response, limit: number, c: Pick<RequestContext, 'host' | 'bucket' | 'prefix'>, watch?: (text: string) => void): Promise<string> {
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
    watch?.(text);
  }
  return text + decoder.decode();
}

/** The signer of the last credentials used: aws4fetch keeps the derived signing key in it, so pages after the first reuse it. */
let cachedClient: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly client: AwsClient } | undefined;

function clientFor(credentials: Credentials): AwsClient {
  const { accessKeyId, secretAccessKey } = credentials;
  if (cachedClient?.accessKeyId !== accessKeyId || cachedClient.secretAccessKey !== secretAccessKey) {
    cachedClient = { accessKeyId, secretAccessKey, client: new AwsClient({ accessKeyId, secretAccessKey, service: 's3', region: 'auto', retries: 0 }) };
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
export function listUrl(endpoint: Endpoint, request: Pick<ListRequest, 'bucket' | 'prefix' | 'delimiter' | 'maxKeys' | 'continuation' | 'startAfter'>): string {
  const query: [string, string][] = [
    ['list-type', '2'],
    ['prefix', request.prefix],
  ];
  if (request.delimiter !== undefined) query.push(['delimiter', request.delimiter]);
  query.push(['max-keys', String(request.maxKeys ?? 1000)]);
  if (request.continuation !== undefined) query.push(['continuation-token', request.continuation]);
  else if (request.startAfter !== undefined) query.push(['start-after', request.startAfter]);
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

/** Statuses worth another attempt: the server failed or is busy, not the request. */
const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);

/** Turns an S3 error answer into what the user should do next; 5xx and 429 are marked transient (retried). */
export function translateS3Error(status: number, body: string, c: RequestContext, retryAfter: string | null = null): S3RequestError {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  const detail = `HTTP ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''} (listing ${where(c)} at ${c.host})`;
  const transient = TRANSIENT_STATUS.has(status);
  const after = retryAfterMs(retryAfter);
  const failure = { status, transient, slowDown: code === 'SlowDown' || status === 429 || status === 503, ...(after !== undefined ? { retryAfterMs: after } : {}) };
  const make = (text: string, actions: UserFacingError['actions'] = []) => new S3RequestError(text, detail, actions, failure);
  if (code === 'InvalidBucketName') return make(`"${c.bucket}" is not a valid bucket name. Check the profile's default bucket or the path you opened.`);
  const advised = s3AnswerError(status, code, adviceContext(c), detail);
  if (advised) return make(advised.message, advised.actions);
  if (status === 400 && /https/i.test(body) && !c.useSsl) return make(`${c.host} expects HTTPS: write the endpoint of profile "${c.profile}" as https://${c.host}.`);
  const busy = transient ? ` ${c.host} is failing or busy: try again in a minute.` : '';
  return make(`Listing ${where(c)} failed: HTTP ${status}${code ? ` ${code}` : ''}${message ? ` (${message})` : ''}.${busy}`);
}

/** Turns a failed fetch (no HTTP answer, or one cut short) into what the user should do next; a lost connection is transient. */
export function translateNetworkError(error: unknown, c: RequestContext, status?: number): S3RequestError {
  const cause = (error as { cause?: unknown } | undefined)?.cause ?? error;
  const rawCode = (cause as { code?: unknown } | undefined)?.code;
  const code = typeof rawCode === 'string' ? rawCode : '';
  const text = `${errorText(error)}${cause !== error ? `: ${errorText(cause)}` : ''}`;
  const detail = `${text}${code ? ` [${code}]` : ''}${status !== undefined ? ` after HTTP ${status}` : ''} (listing ${where(c)} at ${c.host})`;
  const failure = fetchFailure(code, text);
  const advice = transportError(failure, fetchFailureWords(code, text), adviceContext(c), detail);
  return new S3RequestError(advice.message, advice.detail, advice.actions, { transient: failure === 'connection-lost', ...(status !== undefined ? { status } : {}) });
}

/** Node's fetch failure, sorted by cause from the socket's error code. */
function fetchFailure(code: string, text: string): TransportFailure {
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown-host';
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO' || /wrong version number|packet length too long/i.test(text)) return 'plain-http-server';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return 'untrusted-certificate';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code.startsWith('UND_ERR') || /^terminated$|other side closed/i.test(text)) return 'connection-lost';
  return 'other';
}

function fetchFailureWords(code: string, text: string): string {
  if (code === 'ECONNREFUSED') return 'connection refused';
  return code || text;
}
