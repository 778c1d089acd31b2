/**
 * What to tell the user when an S3 request fails: one table keyed by S3 error code and one keyed by
 * transport failure, shared by the live listing (s3Listing.ts, S3 XML answers and fetch errors) and
 * the bucket test (bucketErrors.ts, DuckDB httpfs texts). Each caller parses its own input and keeps
 * its own detail text for the log. No VS Code import.
 */
import { UserFacingError, type ErrorAction } from '../errors';

/** What the advice names. Never holds a secret value. */
export interface S3AdviceContext {
  /** `host[:port]` the request went to. */
  readonly host: string;
  readonly bucket: string;
  /** What was being done: `listing r2://lake/a/`, `reading r2://lake/a/x.csv`. */
  readonly doing: string;
  /** Where the credentials come from: `profile "Prod"`, `secret "r2_main"`. */
  readonly holder: string;
  /** True when the credentials reached the request through a DuckDB secret, which must be created again after a fix. */
  readonly viaSecret: boolean;
  /** False when the endpoint is not Cloudflare's default one (no jurisdiction hint); unknown gives the hint. */
  readonly defaultEndpoint?: boolean;
  /** Set R2 Credentials for the profile. */
  readonly fixCredentials: ErrorAction;
  /** Offered instead of fixCredentials on access denied, where a path inside the bucket can be opened. */
  readonly openNarrower?: ErrorAction;
}

/** A request that got no HTTP answer, by cause. */
export type TransportFailure = 'refused' | 'unknown-host' | 'plain-http-server' | 'untrusted-certificate' | 'timeout' | 'connection-lost' | 'other';

interface Advice {
  readonly message: string;
  readonly actions?: readonly ErrorAction[];
}

const again = (c: S3AdviceContext) => (c.viaSecret ? ', and create the secret again' : '');

const CODE_ADVICE = new Map<string, (c: S3AdviceContext) => Advice>([
  ['InvalidAccessKeyId', (c) => ({
    message:
      `${c.host} does not know the access key id of ${c.holder} (HTTP 403 InvalidAccessKeyId). The API token may have been deleted, or belong to another ` +
      `Cloudflare account: create an API token, update the profile's credentials${again(c)}.`,
    actions: [c.fixCredentials],
  })],
  ['SignatureDoesNotMatch', (c) => ({
    message:
      `The secret access key of ${c.holder} does not match its access key id (HTTP 403 SignatureDoesNotMatch): the secret key is wrong. ` +
      `Re-enter the secret access key shown when the API token was created${again(c)}.`,
    actions: [c.fixCredentials],
  })],
  ['NoSuchBucket', (c) =>
    c.defaultEndpoint === false
      ? { message: `Bucket "${c.bucket}" not found at ${c.host} (HTTP 404 NoSuchBucket). Check the bucket name.` }
      : {
          message:
            `Bucket "${c.bucket}" not found at ${c.host} (HTTP 404 NoSuchBucket). Check the bucket name; a bucket in the EU or FedRAMP jurisdiction is not ` +
            `found through the default endpoint: set the profile's jurisdiction${again(c)}.`,
          actions: [c.fixCredentials],
        }],
]);

/** Access refused for any other reason (AccessDenied, or a 401/403 without a known code). */
function accessDenied(status: number, code: string | undefined, c: S3AdviceContext): Advice {
  return {
    message:
      `Access denied ${c.doing} (HTTP ${status}${code ? ` ${code}` : ''}). Check that the API token behind ${c.holder} has Object Read permission for ` +
      `bucket "${c.bucket}" (Cloudflare dashboard: R2, Manage API tokens)` +
      (c.openNarrower ? `; a token limited to a prefix can browse it with ${c.openNarrower.title}` : '') +
      '.',
    actions: [c.openNarrower ?? c.fixCredentials],
  };
}

const TRANSPORT_ADVICE: Readonly<Record<TransportFailure, (c: S3AdviceContext, shown: string) => Advice>> = {
  refused: (c, shown) => ({
    message: `Nothing answers at ${c.host} (${shown}). Check the endpoint of ${c.holder}, that the server runs, and the network or proxy.`,
    actions: [c.fixCredentials],
  }),
  'unknown-host': (c) => ({
    message: `The host ${c.host} was not found ${c.doing}. Check the account id or endpoint of ${c.holder}, and that this machine is online (or has a proxy set).`,
    actions: [c.fixCredentials],
  }),
  'plain-http-server': (c) => ({
    message:
      `The TLS handshake with ${c.host} failed ${c.doing}: the endpoint of ${c.holder} speaks plain HTTP. Write the profile's endpoint as http://${c.host}` +
      (c.viaSecret ? ' (the secret then gets USE_SSL false) and create the secret again.' : '.'),
    actions: [c.fixCredentials],
  }),
  'untrusted-certificate': (c, shown) => ({
    message: `The TLS certificate of ${c.host} is not trusted (${shown}). A proxy may be intercepting TLS: add its certificate to the system's trust store.`,
  }),
  timeout: (c, shown) => ({ message: `${c.host} did not answer in time ${c.doing} (${shown}). Check the network or a proxy, then try again.` }),
  'connection-lost': (c, shown) => ({ message: `The connection to ${c.host} failed ${c.doing} (${shown}). Check the network or a proxy, then try again.` }),
  other: (c, shown) => ({ message: `The request to ${c.host} failed ${c.doing}: ${shown}.` }),
};

/** The advice for an S3 error answer, or undefined when the code and status have none (the caller words it). */
export function s3AnswerError(status: number, code: string | undefined, c: S3AdviceContext, detail: string): UserFacingError | undefined {
  const byCode = code && CODE_ADVICE.get(code);
  const advice = byCode ? byCode(c) : code === 'AccessDenied' || status === 401 || status === 403 ? accessDenied(status, code, c) : undefined;
  return advice && new UserFacingError(advice.message, detail, advice.actions);
}

/** The advice for a request that got no answer; `shown` is the client's own words for the failure. */
export function transportError(failure: TransportFailure, shown: string, c: S3AdviceContext, detail: string): UserFacingError {
  const advice = TRANSPORT_ADVICE[failure](c, shown);
  return new UserFacingError(advice.message, detail, advice.actions);
}
