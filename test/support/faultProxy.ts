/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of the test S3 server (issue 11's fault suite,
 * issue 18's latency proxy). Each request is passed to `rule`, which may answer with a fault:
 * a status with an S3 error code, a delay, no answer at all, a connection reset part way through the
 * body, a body cut short or replaced, or the head of the body sent at once and the rest held back.
 * `latencyMs` holds every answer that long (a far-away server). Requests pass on unchanged, so the
 * server still checks their signatures.
 *
 * It counts what a test asserts on: requests seen, requests open now and at most at once, in the
 * order they started and ended.
 */
import * as http from 'node:http';
import * as os from 'node:os';
import type { AddressInfo } from 'node:net';

export type Fault =
  /** An S3 error answer: `<Error><Code>…`. */
  | { readonly kind: 'status'; readonly status: number; readonly code?: string; readonly retryAfter?: string }
  /** Hold the request this long, then pass it on. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Accept and never answer (until the client gives up). */
  | { readonly kind: 'hang' }
  /** Send the headers (with the full Content-Length) and half the body, then reset the connection. */
  | { readonly kind: 'reset-mid-body' }
  /** Send half the body and end the answer cleanly (chunked: the client cannot tell it was cut). */
  | { readonly kind: 'truncate' }
  /** Answer with this body instead of the server's. */
  | { readonly kind: 'body'; readonly body: string; readonly status?: number }
  /** Send the first `headBytes` of the server's answer at once, the rest after `ms`. */
  | { readonly kind: 'stall-body'; readonly headBytes: number; readonly ms: number };

export interface ProxiedRequest {
  /** 1 for the first request the proxy saw. */
  readonly index: number;
  readonly method: string;
  /** As it arrived, e.g. `/lake?list-type=2&prefix=a%2F…`. */
  readonly target: string;
  /** Query parameters, decoded. */
  readonly query: URLSearchParams;
}

export type FaultRule = (request: ProxiedRequest) => Fault | undefined;

export interface RequestRecord extends ProxiedRequest {
  readonly fault?: Fault['kind'];
  /** Sequence numbers of the proxy's events: when it started and when its answer ended (or its connection closed). */
  started: number;
  ended?: number;
}

export class FaultProxy {
  rule: FaultRule | undefined;
  /** Every answer is held this long before the request is passed on. */
  latencyMs = 0;
  readonly requests: RequestRecord[] = [];
  private open = 0;
  private highest = 0;
  private sequence = 0;

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
    /** The address it listens on: 127.0.0.1 unless started on another. */
    readonly host: string,
  ) {}

  /** `http://127.0.0.1:<port>` (or the host it was started on). */
  get endpoint(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** Requests whose answer has not ended and whose connection is still open. */
  get openRequests(): number {
    return this.open;
  }

  /** The most requests open at once since the last `reset()`. */
  get maxOpenRequests(): number {
    return this.highest;
  }

  /**
   * A proxy in front of `upstreamPort` on 127.0.0.1. `host`: listen on another of this machine's
   * IPv4 addresses (a server the client cannot tell is on this machine, as far as its address says).
   */
  static async start(upstreamPort: number, host = '127.0.0.1'): Promise<FaultProxy> {
    const server = http.createServer();
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const proxy = new FaultProxy(server, (server.address() as AddressInfo).port, host);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => proxy.handle(req, res, upstreamPort));
    return proxy;
  }

  /** Forgets the requests seen and the rule; keeps `latencyMs`. */
  reset(): void {
    this.requests.length = 0;
    this.highest = this.open;
    this.rule = undefined;
  }

  /** Resolves once `count` requests are open (or throws after `limitMs`: the request never came). */
  async waitForOpen(count: number, limitMs = 10_000): Promise<void> {
    const until = Date.now() + limitMs;
    while (this.open < count) {
      if (Date.now() > until) throw new Error(`only ${this.open} of ${count} requests arrived`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Resolves once no request is open (or throws after `limitMs`, naming how many stay open). */
  async waitForNoneOpen(limitMs = 10_000): Promise<void> {
    const until = Date.now() + limitMs;
    while (this.open > 0) {
      if (Date.now() > until) throw new Error(`${this.open} requests still open`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, upstreamPort: number): void {
    const target = req.url ?? '/';
    const query = new URLSearchParams(target.includes('?') ? target.slice(target.indexOf('?') + 1) : '');
    const request: ProxiedRequest = { index: this.requests.length + 1, method: req.method ?? 'GET', target, query };
    const fault = this.rule?.(request);
    const record: RequestRecord = { ...request, ...(fault ? { fault: fault.kind } : {}), started: ++this.sequence };
    this.requests.push(record);
    this.open++;
    this.highest = Math.max(this.highest, this.open);
    let closed = false;
    const timers: NodeJS.Timeout[] = [];
    const later = (ms: number, work: () => void) => timers.push(setTimeout(() => !closed && work(), ms));
    res.on('close', () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      record.ended = ++this.sequence;
      this.open--;
    });
    req.resume();
    const hold = this.latencyMs + (fault?.kind === 'delay' ? fault.ms : 0);
    if (fault?.kind === 'hang') return;
    later(hold, () => {
      if (fault?.kind === 'status') return void answer(res, fault.status, s3Error(fault.code ?? 'InternalError', `injected ${fault.status}`), fault.retryAfter);
      if (fault?.kind === 'body') return void answer(res, fault.status ?? 200, fault.body);
      this.forward(req, res, upstreamPort, fault, later);
    });
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse, upstreamPort: number, fault: Fault | undefined, later: (ms: number, work: () => void) => void): void {
    const upstream = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        const headers = { ...answer.headers };
        delete headers['content-length'];
        delete headers['transfer-encoding'];
        const status = answer.statusCode ?? 502;
        if (fault?.kind === 'reset-mid-body') {
          res.writeHead(status, { ...headers, 'content-length': String(body.length) });
          res.write(body.subarray(0, Math.floor(body.length / 2)), () => later(10, () => res.socket?.destroy()));
        } else if (fault?.kind === 'truncate') {
          res.writeHead(status, headers);
          res.end(body.subarray(0, Math.floor(body.length / 2)));
        } else if (fault?.kind === 'stall-body') {
          res.writeHead(status, headers);
          res.write(body.subarray(0, fault.headBytes));
          later(fault.ms, () => res.end(body.subarray(fault.headBytes)));
        } else {
          res.writeHead(status, { ...headers, 'content-length': String(body.length) });
          res.end(body);
        }
      });
    });
    upstream.on('error', (error) => answer(res, 502, s3Error('InternalError', `upstream: ${error.message}`)));
    upstream.end();
  }
}

export function s3Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

function answer(res: http.ServerResponse, status: number, body: string, retryAfter?: string): void {
  res.writeHead(status, { 'content-type': 'application/xml', ...(retryAfter !== undefined ? { 'retry-after': retryAfter } : {}) });
  res.end(body);
}

/** An IPv4 address of this machine other than loopback, or undefined when it has none. */
export function nonLoopbackAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
}
