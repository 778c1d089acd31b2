/**
 * The logging surface the plain-Node modules use. VS Code's LogOutputChannel satisfies it, and tests
 * pass an in-memory logger. Callers never pass secret values: messages are built from names, types
 * and DuckDB's own (already redacted) error texts.
 */
export interface Logger {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that remembers every line, for tests and for the canary checks. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  trace(message: string): void {
    this.lines.push(`trace ${message}`);
  }
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
}
