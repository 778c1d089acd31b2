/**
 * Offsets to LSP positions: 0-based lines, UTF-16 characters (JavaScript string indices are UTF-16
 * code units already). Lines end at `\n`, `\r\n` or a lone `\r`, as LSP says.
 */
import type { LspRange, Position, Span } from './finding';

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    // Stryker disable next-line ConditionalExpression,StringLiteral,BlockStatement: a shortcut; the loop below finds the same line starts
    if (!text.includes('\r')) {
      // The common case, with the native search: only \n ends lines.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    // Stryker disable next-line EqualityOperator: past the end, the character code is NaN and ends no line
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The line holding `offset` (an offset at a line's end belongs to that line). */
  lineAt(offset: number): number {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  positionAt(offset: number): Position {
    const line = this.lineAt(offset);
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    return { line, character: clamped - (this.starts[line] ?? 0) };
  }

  rangeOf(start: number, end: number): LspRange {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  span(start: number, end: number): Span {
    return { start, end, range: this.rangeOf(start, end) };
  }
}
