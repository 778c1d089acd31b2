/**
 * A language client for tests and benchmarks: spawns the server as another editor would
 * (`node <server> --stdio`), speaks LSP over its pipes, and records every byte the server writes
 * (stdout and stderr) so canary tests can search all of it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';

export const SERVER_ENTRY = path.resolve(__dirname, '../../src/server/main.js');

export class LspHarness {
  readonly connection: ProtocolConnection;
  /** Everything the server wrote to stdout (its messages) and stderr. */
  private readonly traffic: Buffer[] = [];
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: { uri: string; version: number | undefined; resolve: (d: Diagnostic[]) => void }[] = [];

  private constructor(readonly child: ChildProcess) {
    const stdout = child.stdout;
    const stdin = child.stdin;
    if (!stdout || !stdin || !child.stderr) throw new Error('the server has no pipes');
    stdout.on('data', (chunk: Buffer) => this.traffic.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => this.traffic.push(chunk));
    this.connection = createProtocolConnection(new StreamMessageReader(stdout), new StreamMessageWriter(stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === params.uri && (waiter.version === undefined || params.version === waiter.version)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(params.diagnostics);
        }
      }
    });
    this.connection.listen();
  }

  static start(entry = SERVER_ENTRY, env: NodeJS.ProcessEnv = process.env): LspHarness {
    const child = spawn(process.execPath, [entry, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env });
    return new LspHarness(child);
  }

  /** The next diagnostics published for `uri` (for `version`, when given). */
  nextDiagnostics(uri: string, version?: number): Promise<Diagnostic[]> {
    return new Promise((resolve) => this.waiters.push({ uri, version, resolve }));
  }

  /** All the server wrote so far, as text. */
  written(): string {
    return Buffer.concat(this.traffic).toString('utf8');
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // Already gone.
    }
    this.connection.dispose();
    if (this.child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.child.kill();
          resolve();
        }, 2000);
        this.child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
