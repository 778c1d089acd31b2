/**
 * An in-memory ListObjectsV2 server over sorted key lists, one per bucket (path style, no signature
 * check: put S3SigningFront in front for that). Each page costs it a binary search and the page's
 * keys, as an indexed store such as R2 does, where s3rver walks the bucket's whole directory tree on
 * every request: it holds a 1,000,000-object bucket that s3rver cannot serve here. Lists only; every
 * other request is answered 501. Checked against s3rver by test/unit/support/s3Server.test.ts.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export class MemoryS3 {
  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  /** `http://127.0.0.1:<port>`. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Serves `buckets` (bucket name → its keys, in any order; sorted here in place). */
  static async start(buckets: Readonly<Record<string, string[]>>): Promise<MemoryS3> {
    for (const keys of Object.values(buckets)) keys.sort(byCodeUnit);
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://memory');
      const bucket = decodeURIComponent(url.pathname.slice(1));
      const keys = buckets[bucket];
      if (req.method !== 'GET' || url.searchParams.get('list-type') !== '2') return answer(res, 501, error('NotImplemented', 'this store only lists'));
      if (!keys) return answer(res, 404, error('NoSuchBucket', `no bucket ${bucket}`));
      answer(res, 200, listPage(bucket, keys, url.searchParams));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new MemoryS3(server, (server.address() as AddressInfo).port);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The first index whose key is not before `x`. */
function lowerBound(keys: readonly string[], x: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((keys[mid] as string) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One ListObjectsV2 page: the continuation token is the last key or folder returned, as opaque to the client as S3's. */
function listPage(bucket: string, keys: readonly string[], query: URLSearchParams): string {
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const max = Math.min(1000, Number(query.get('max-keys') ?? 1000));
  const after = query.get('continuation-token') ?? query.get('start-after') ?? '';
  let i = lowerBound(keys, prefix);
  if (after) {
    // Past `after`, and past every key under it when it names a folder.
    const past = lowerBound(keys, after.endsWith(delimiter) && delimiter ? `${after}\uffff` : after);
    i = Math.max(i, keys[past] === after ? past + 1 : past);
  }
  const contents: string[] = [];
  const folders: string[] = [];
  let last = '';
  while (i < keys.length && (keys[i] as string).startsWith(prefix) && contents.length + folders.length < max) {
    const key = keys[i] as string;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (cut === -1) {
      contents.push(key);
      last = key;
      i++;
    } else {
      last = key.slice(0, cut + delimiter.length);
      folders.push(last);
      i = lowerBound(keys, `${last}\uffff`);
    }
  }
  const more = i < keys.length && (keys[i] as string).startsWith(prefix);
  return (
    `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix>` +
    (more ? `<NextContinuationToken>${xml(last)}</NextContinuationToken>` : '') +
    `<KeyCount>${contents.length + folders.length}</KeyCount><MaxKeys>${max}</MaxKeys>` +
    (delimiter ? `<Delimiter>${xml(delimiter)}</Delimiter>` : '') +
    `<IsTruncated>${more}</IsTruncated>` +
    contents.map((k) => `<Contents><Key>${xml(k)}</Key><LastModified>2024-05-01T00:00:00.000Z</LastModified><ETag>"1"</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>`).join('') +
    folders.map((p) => `<CommonPrefixes><Prefix>${xml(p)}</Prefix></CommonPrefixes>`).join('') +
    '</ListBucketResult>'
  );
}

function error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${xml(message)}</Message></Error>`;
}

function answer(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(body);
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
