/**
 * Everything the CLI prints goes through here: results on stdout, progress, warnings and errors on
 * stderr, every line scrubbed of the secret values registered with the core's redaction. Colour
 * only on a TTY, never with NO_COLOR or --no-color.
 */
import type { Logger } from '../core/logger';
import { scrub } from '../core/redaction';

export interface Stream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface TerminalOptions {
  readonly color?: boolean;
  readonly verbose?: boolean;
}

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
type Style = keyof typeof CODES;

export class Terminal {
  readonly color: boolean;
  /** Colour on stderr (errors, warnings): its own TTY check. */
  private readonly errColor: boolean;
  readonly verbose: boolean;
  private progressShown = false;

  constructor(
    readonly stdout: Stream,
    readonly stderr: Stream,
    options: TerminalOptions = {},
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
    this.color = (options.color ?? true) && !noColor && stdout.isTTY === true;
    this.errColor = (options.color ?? true) && !noColor && stderr.isTTY === true;
    this.verbose = options.verbose ?? false;
  }

  style(style: Style, text: string): string {
    return this.color ? `\x1b[${CODES[style]}m${text}\x1b[0m` : text;
  }

  /** A result line on stdout. */
  out(line = ''): void {
    this.clearProgress();
    this.stdout.write(`${scrub(line)}\n`);
  }

  json(value: unknown): void {
    this.out(JSON.stringify(value, null, 2));
  }

  /** A note or warning on stderr. */
  note(line: string): void {
    this.clearProgress();
    this.stderr.write(`${scrub(line)}\n`);
  }

  warn(line: string): void {
    this.note(`${this.errStyle('yellow', 'warning:')} ${line}`);
  }

  error(line: string): void {
    this.note(`${this.errStyle('red', 'error:')} ${line}`);
  }

  /** Only with --verbose: DuckDB's own text and the session's log, scrubbed. */
  detail(line: string): void {
    if (this.verbose) this.note(this.errStyle('dim', line));
  }

  /** A live progress line: on a TTY it is rewritten in place; on a pipe nothing is printed. */
  progress(line: string): void {
    if (this.stderr.isTTY !== true) return;
    const width = Math.max(20, (this.stderr as { columns?: number }).columns ?? 80) - 1;
    this.stderr.write(`\r\x1b[K${scrub(line).slice(0, width)}`);
    this.progressShown = true;
  }

  clearProgress(): void {
    if (!this.progressShown) return;
    this.stderr.write('\r\x1b[K');
    this.progressShown = false;
  }

  /** The session's logger: lines only with --verbose. */
  logger(): Logger {
    const line = (level: string) => (message: string) => this.detail(`${level} ${message}`);
    return { trace: line('trace'), info: line('info'), warn: line('warn'), error: line('error') };
  }

  private errStyle(style: Style, text: string): string {
    return this.errColor ? `\x1b[${CODES[style]}m${text}\x1b[0m` : text;
  }
}
