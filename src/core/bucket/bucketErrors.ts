/**
 * DuckDB httpfs failures while listing or reading a bucket, translated into what the user should do
 * next. The texts matched here are DuckDB's own (test/unit/bucketErrors.test.ts holds the exact ones,
 * taken from a real httpfs against a loopback S3 server). Extension problems (httpfs missing or not
 * loadable) are left to duckdbErrors.ts. No VS Code import.
 *
 * Shapes, from httpfs's s3fs.cpp (`GetS3Error`, `ParseS3Error`, `GetS3AuthError`) and its curl client:
 *   HTTP Error: HTTP GET error reading '<url>' in region '<region>' (HTTP 403 Forbidden)\n\n<Code>: <Message>…
 *   IO Error: <curl error text> error for HTTP <METHOD> to '<url>'
 */
import { SET_CREDENTIALS_COMMAND } from '../credentials/credentialStore';
import { stripStatementEcho, translateDuckDBError } from '../duckdb/duckdbErrors';
import { describeHttpLimits, httpLimits, type HttpLimits } from '../duckdb/httpLimits';
import { CancelledError, UserFacingError, errorText, urlHost, type ErrorAction } from '../errors';
import { s3AnswerError, transportError, type S3AdviceContext, type TransportFailure } from './s3Advice';

/** What was being done, and with which secret, for the wording. Never holds a secret value. */
export interface BucketErrorContext {
  readonly stage: 'list' | 'read';
  readonly bucket: string;
  /** Folder listed (`''` or ending in `/`). */
  readonly prefix: string;
  /** The object read, for `stage: 'read'`. */
  readonly key?: string;
  /** The secret `which_secret` picked for the path. */
  readonly secretName?: string;
  /** The secret's ENDPOINT as DuckDB lists it (`host[:port]`). */
  readonly endpoint?: string;
  /** True when the endpoint is Cloudflare's default one, derived from the account id. */
  readonly defaultEndpoint?: boolean;
  /** The credential profile the secret was made from, when known (for the Set R2 Credentials button). */
  readonly profileId?: string;
  /** What to say after "not found" for a read; default: check Test R2 Bucket's readObject setting. */
  readonly notFoundHint?: string;
  /** The session's httpfs wait limits, for a timeout's wording; the defaults when absent. */
  readonly httpLimits?: HttpLimits;
}

/** What DuckDB's error text says, parsed. */
export interface HttpfsFailure {
  /** HTTP status of an answered request. */
  readonly status?: number;
  /** S3 error code from the answer's XML (`InvalidAccessKeyId`, `NoSuchBucket`, …). */
  readonly code?: string;
  /** The URL DuckDB requested (or the `r2://` path it names). */
  readonly url?: string;
  /** The client's text for a request that got no answer (`Couldn't connect to server`). */
  readonly transport?: string;
}

const HTTP_ERROR = /HTTP (?:GET|HEAD|PUT|POST|DELETE) error (?:reading|on) '([^']*)'(?: in region '[^']*')? \(HTTP (\d{3})[^)]*\)(?:\s*\n\n([A-Za-z]+): )?/;
const TRANSPORT_ERROR = /IO Error: (.+?) error for HTTP [A-Z]+ to '([^']*)'/;
const HTTP_STATUS_ONLY = /\(HTTP (\d{3})\b/;

/** Parses DuckDB's text of an httpfs failure; an empty object for anything else. */
export function parseHttpfsError(text: string): HttpfsFailure {
  const http = HTTP_ERROR.exec(text);
  if (http) {
    const status = Number(http[2]);
    return http[3] ? { status, code: http[3], url: http[1] } : { status, url: http[1] };
  }
  const transport = TRANSPORT_ERROR.exec(text);
  if (transport?.[1] !== undefined) return { transport: transport[1], url: transport[2] };
  const status = HTTP_STATUS_ONLY.exec(text)?.[1];
  return status ? { status: Number(status) } : {};
}

/**
 * DuckDB's text with the statement echo cut off and the access key id that an S3 server may echo
 * (`Invalid Access Key: "…"`) removed: fit for the log.
 */
export function cleanDetail(text: string): string {
  return stripStatementEcho(text).replace(/Invalid Access Key: "[^"]*"/g, 'Invalid Access Key: "…"');
}

/** True when DuckDB failed because httpfs is missing or cannot be loaded (not an HTTP failure that links to httpfs docs). */
export function isExtensionFailure(text: string): boolean {
  return (
    /Extension Autoloading Error|Missing Extension Error|requires the extension httpfs|does not exist, but it exists in the httpfs extension/.test(text) ||
    /Extension "[^"]*httpfs[^"]*" not found|httpfs\.duckdb_extension/.test(text)
  );
}

export function isInterrupt(text: string): boolean {
  return /^INTERRUPT Error|Interrupted!/.test(text);
}

/** The translation of a DuckDB failure while testing a bucket; cancellation stays a CancelledError. */
export function translateBucketError(error: unknown, c: BucketErrorContext): UserFacingError | CancelledError {
  if (error instanceof UserFacingError || error instanceof CancelledError) return error;
  const text = errorText(error);
  if (isInterrupt(text)) return new CancelledError();
  const detail = cleanDetail(text);
  if (isExtensionFailure(text)) {
    const what = c.stage === 'list' ? `list r2://${c.bucket}/${c.prefix}` : `read ${objectPath(c)}`;
    return translateDuckDBError(new Error(detail), { kind: 'query', what });
  }
  const failure = parseHttpfsError(text);
  const fail = (message: string, actions: readonly ErrorAction[] = []) => new UserFacingError(message, detail, actions);
  const secret = c.secretName ? `secret "${c.secretName}"` : 'the R2 secret';
  const fixCredentials: ErrorAction = { title: 'Set R2 Credentials', command: SET_CREDENTIALS_COMMAND, args: c.profileId ? [c.profileId] : [] };
  const doing = c.stage === 'list' ? `listing r2://${c.bucket}/${c.prefix}` : `reading ${objectPath(c)}`;
  const host = urlHost(failure.url) ?? c.endpoint ?? 'the endpoint';
  const advice: S3AdviceContext = {
    host,
    bucket: c.bucket,
    doing,
    holder: secret,
    viaSecret: true,
    fixCredentials,
    // Stryker disable next-line ConditionalExpression: an absent defaultEndpoint and one set to undefined read the same (only `=== false` is asked)
    ...(c.defaultEndpoint !== undefined ? { defaultEndpoint: c.defaultEndpoint } : {}),
  };

  // Stryker disable next-line StringLiteral: the fallback only stands for "no URL"; no text without "://" can look doubled
  const doubled = /^(https?:\/\/)+https?:\/\//i.exec(failure.url ?? '');
  if (doubled) {
    return fail(
      `The endpoint of ${secret} is written with its scheme (DuckDB requested ${doubled[0]}…). DuckDB's ENDPOINT takes host[:port] only, without https:// or http://: ` +
        `fix the profile's endpoint and create the secret again.`,
      [fixCredentials],
    );
  }
  if (failure.transport !== undefined) {
    const kind = transportFailure(failure.transport);
    // DuckDB's own waits are bounded (httpLimits.ts): say how long it waited, and where to change that.
    const shown = kind === 'timeout' ? `${failure.transport}; ${describeHttpLimits(c.httpLimits ?? httpLimits({}))}` : failure.transport;
    return transportError(kind, shown, advice, detail);
  }
  if (failure.code === 'NoSuchKey') {
    return fail(`${objectPath(c)} does not exist (HTTP 404 NoSuchKey). ${c.notFoundHint ?? READ_OBJECT_HINT}`);
  }
  // Stryker disable next-line ConditionalExpression: a code comes only with a status, and s3AnswerError has no advice for neither
  const answered = failure.status === undefined ? undefined : s3AnswerError(failure.status, failure.code, advice, detail);
  if (answered) return answered;
  if (failure.status === 404) {
    return c.stage === 'read'
      ? fail(`${objectPath(c)} was not found (HTTP 404). ${c.notFoundHint ?? READ_OBJECT_HINT}`)
      : fail(`Bucket "${c.bucket}" not found at ${host} (HTTP 404). Check the bucket name and the profile's endpoint.`);
  }
  if (failure.status === 400) {
    return fail(`${host} rejected the request ${doing} (HTTP 400${failure.code ? ` ${failure.code}` : ''}). Check the profile's endpoint and jurisdiction.`);
  }
  if (failure.status !== undefined) {
    return fail(`${host} answered HTTP ${failure.status}${failure.code ? ` ${failure.code}` : ''} ${doing}. Try again later; if it persists, check the endpoint.`);
  }
  const firstLine = detail.split('\n')[0]!.replace(/^[A-Za-z ]+ Error: /, '');
  return fail(`DuckDB failed ${doing}: ${firstLine}`);
}

const READ_OBJECT_HINT = 'Check the duckdbSecrets.testBucket.readObject setting.';

/** The curl client's words for a request that got no answer, sorted by cause. */
function transportFailure(transport: string): TransportFailure {
  if (/SSL connect error|wrong version number|SSL routines/i.test(transport)) return 'plain-http-server';
  if (/certificate|SSL peer|CA cert/i.test(transport)) return 'untrusted-certificate';
  if (/Couldn't resolve host|Could not resolve/i.test(transport)) return 'unknown-host';
  if (/Couldn't connect to server|Could not establish connection|Connection refused/i.test(transport)) return 'refused';
  if (/Timeout|timed out|Failed to read connection/i.test(transport)) return 'timeout';
  return 'other';
}

function objectPath(c: BucketErrorContext): string {
  return `r2://${c.bucket}/${c.key ?? c.prefix}`;
}
