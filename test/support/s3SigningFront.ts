/**
 * A loopback front for the test S3 server that checks every request's SigV4 signature with AWS's
 * own signer (`@smithy/signature-v4`) before passing it on, the way R2 does: the request is read
 * as it arrived on the wire (percent-decoding only, so a `+` in the query is a plus sign), its
 * canonical form rebuilt, signed again with the key pair the Authorization header names, and
 * answered 403 SignatureDoesNotMatch when the signatures differ. s3rver alone is lenient here (it
 * reads `+` as a space), so a client that sends something other than what it signed passes there.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

export interface CheckedRequest {
  /** The request line's target as it arrived, e.g. `/lake?list-type=2&prefix=a%20b%2F`. */
  readonly target: string;
  readonly ok: boolean;
  /** When the request arrived (`performance.now()` of the front's process) and when its answer ended. */
  readonly arrivedAt: number;
  endedAt?: number;
}

export class S3SigningFront {
  private constructor(
    private readonly server: http.Server,
    readonly port: number,
    /** Every request seen, in order, with whether its signature held. */
    readonly requests: readonly CheckedRequest[],
  ) {}

  /** `http://127.0.0.1:<port>`. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Starts a front for `upstreamPort`, knowing the secret of each access key id in `keys`; a request
   * for a bucket named in `routes` (path style) goes to that bucket's port instead (e.g. a MemoryS3).
   */
  static async start(upstreamPort: number, keys: ReadonlyMap<string, string>, routes: ReadonlyMap<string, number> = new Map()): Promise<S3SigningFront> {
    const requests: CheckedRequest[] = [];
    const server = http.createServer((req, res) => {
      const arrivedAt = performance.now();
      void verify(req, keys).then(
        (problem) => {
          const seen: CheckedRequest = { target: req.url ?? '', ok: problem === undefined, arrivedAt };
          requests.push(seen);
          res.on('close', () => (seen.endedAt = performance.now())); // also when the client gives up first
          if (problem !== undefined) return reject(res, problem);
          const bucket = decodeURIComponent(/^\/([^/?]*)/.exec(req.url ?? '')?.[1] ?? '');
          const upstream = http.request({ host: '127.0.0.1', port: routes.get(bucket) ?? upstreamPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          });
          upstream.on('error', (error) => reject(res, `upstream: ${error.message}`, 502));
          req.pipe(upstream);
        },
        (error: unknown) => reject(res, String(error), 500),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new S3SigningFront(server, (server.address() as AddressInfo).port, requests);
  }

  /** Forgets the requests seen so far. */
  forget(): void {
    (this.requests as CheckedRequest[]).length = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/** Undefined when the signature holds, else what is wrong. */
async function verify(req: http.IncomingMessage, keys: ReadonlyMap<string, string>): Promise<string | undefined> {
  const match = AUTHORIZATION.exec(String(req.headers.authorization ?? ''));
  if (!match) return 'no SigV4 Authorization header';
  const [, keyId = '', , region = '', service = '', signedHeaders = '', signature = ''] = match;
  const secret = keys.get(keyId);
  if (secret === undefined) return `unknown access key id`;
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!date) return 'no x-amz-date';
  const signingDate = new Date(`${date[1]}-${date[2]}-${date[3]}T${date[4]}:${date[5]}:${date[6]}Z`);

  const target = req.url ?? '/';
  const questionMark = target.indexOf('?');
  const rawPath = questionMark === -1 ? target : target.slice(0, questionMark);
  const rawQuery = questionMark === -1 ? '' : target.slice(questionMark + 1);
  // S3's canonical URI: the path decoded, then each segment encoded once per RFC 3986.
  const path = rawPath.split('/').map((segment) => rfc3986(decodeURIComponent(segment))).join('/');
  const query: Record<string, string | string[]> = {};
  for (const pair of rawQuery ? rawQuery.split('&') : []) {
    const equals = pair.indexOf('=');
    const name = decodeURIComponent(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? '' : decodeURIComponent(pair.slice(equals + 1));
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const names = signedHeaders.split(';');
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (value === undefined) return `signed header ${name} missing`;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: keyId, secretAccessKey: secret },
    region,
    service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    { method: req.method ?? 'GET', protocol: 'http:', hostname: '127.0.0.1', path, query, headers },
    { signingDate, signableHeaders: new Set(names) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? signed.headers.Authorization ?? ''))?.[1];
  return expected === signature ? undefined : 'signature does not match';
}

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function reject(res: http.ServerResponse, message: string, status = 403): void {
  const code = status === 403 ? 'SignatureDoesNotMatch' : 'InternalError';
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}
