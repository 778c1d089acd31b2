/** The "DuckDB Secrets" log output channel, seen through a Logger that scrubs secret values. */
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { scrub } from '../core/redaction';

export class ExtensionLog implements Logger, vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('DuckDB Secrets', { log: true });

  trace(message: string): void {
    this.channel.trace(scrub(message));
  }
  info(message: string): void {
    this.channel.info(scrub(message));
  }
  warn(message: string): void {
    this.channel.warn(scrub(message));
  }
  error(message: string): void {
    this.channel.error(scrub(message));
  }
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.channel.dispose();
  }
}
