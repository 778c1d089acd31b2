/**
 * Jupyter notebooks (`.ipynb`) are JSON: each cell's `source` (a string or a list of lines) and
 * each stream output's `text` is decoded into a segment, scanned in the cell's language (Python,
 * or SQL under `%%sql`), and offsets are mapped back through the JSON escapes to the file.
 * A linear walk over the JSON text; no JSON.parse, so positions stay known.
 */
import type { FileKind } from './fileKind';
import type { Segment } from './candidate';

interface StringToken {
  readonly start: number; // at the opening quote
  readonly end: number; // after the closing quote
}

interface Frame {
  readonly type: 'object' | 'array';
  /** For objects: the key whose value comes next (an array open in an object is that key's value). */
  key?: string;
  /** Read for objects only: a string now is a key. */
  expectKey: boolean;
  /** The frame this one is open in. */
  readonly parent: Frame | undefined;
  cellType?: string;
  sourceKey?: string;
  readonly strings: StringToken[];
}

const SOURCE_KEYS: ReadonlySet<string | undefined> = new Set(['source', 'text', 'text/plain']);

/** The notebook's cells and outputs as segments, or undefined when the text is not JSON-shaped. */
export function notebookSegments(text: string): Segment[] | undefined {
  if (!/^\s*\{/.test(text)) return undefined;
  const segments: Segment[] = [];
  // Stryker disable next-line ArrayDeclaration: a non-frame at the bottom reads as no frame (its type is undefined)
  const stack: Frame[] = [];
  let i = 0;
  // Stryker disable next-line EqualityOperator: past the end, the character is undefined and matches nothing
  while (i < text.length) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      const end = stringEnd(text, i);
      // Stryker disable next-line EqualityOperator: a string's end is after its opening quote, never 0
      if (end < 0) return segments;
      const token = { start: i, end };
      if (top?.type === 'object' && top.expectKey) {
        top.key = decodeString(text, token);
        top.expectKey = false;
      } else if (top?.type === 'object') {
        // The object's key is set: it expects one until its first string.
        if (top.key === 'cell_type') top.cellType = decodeString(text, token);
        else if (SOURCE_KEYS.has(top.key)) {
          top.sourceKey = top.key;
          top.strings.push(token);
        }
      } else if (top?.type === 'array' && top.parent && SOURCE_KEYS.has(top.parent.key)) {
        // A list of lines: the strings of the cell (or output) the list is the source of.
        top.parent.sourceKey = top.parent.key;
        top.parent.strings.push(token);
      }
      i = end;
      continue;
    }
    if (c === '{' || c === '[') {
      // Stryker disable next-line ArrayDeclaration: a non-token in `strings` decodes to nothing
      stack.push({ type: c === '{' ? 'object' : 'array', expectKey: true, parent: top, strings: [] });
    } else if (c === '}' || c === ']') {
      const frame = stack.pop();
      // Only objects hold strings (a list's go to the object it is the value of).
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a cell without strings is an empty segment, where no rule finds anything
      if (frame && frame.strings.length > 0) segments.push(cellSegment(text, frame));
    } else if (c === ',' && top?.type === 'object') {
      top.expectKey = true;
    }
    i++;
  }
  return segments;
}

function stringEnd(text: string, start: number): number {
  // Stryker disable next-line EqualityOperator: past the end, the character is undefined and matches nothing
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
    else if (c === '\n') return -1;
  }
  return -1;
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };

function decodeString(text: string, token: StringToken): string {
  const parts: string[] = [];
  decodeInto(text, token, parts);
  return parts.join('');
}

/** Appends the string's decoded UTF-16 units to `parts`; with `at` and `width`, where each one's escape or character starts in the file and its length there. */
function decodeInto(text: string, token: StringToken, parts: string[], at?: number[], width?: number[]): void {
  for (let i = token.start + 1; i < token.end - 1; ) {
    const c = text.charAt(i);
    if (c !== '\\') {
      parts.push(c);
      at?.push(i);
      width?.push(1);
      i++;
      continue;
    }
    const e = text.charAt(i + 1);
    if (e === 'u') {
      parts.push(String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16) || 0xfffd));
      at?.push(i);
      width?.push(6);
      i += 6;
    } else {
      parts.push(ESCAPES[e] ?? e);
      at?.push(i);
      width?.push(2);
      i += 2;
    }
  }
}

function kindOfCell(frame: Frame, source: string): { kind: FileKind; prose: boolean } {
  if (frame.sourceKey !== 'source') return { kind: 'text', prose: true };
  if (frame.cellType === 'markdown' || frame.cellType === 'raw') return { kind: 'text', prose: true };
  if (/^\s*%%?sql\b/.test(source)) return { kind: 'sql', prose: false };
  return { kind: 'python', prose: false };
}

function cellSegment(text: string, frame: Frame): Segment {
  const parts: string[] = [];
  const at: number[] = [];
  const width: number[] = [];
  for (const token of frame.strings) decodeInto(text, token, parts, at, width);
  const source = parts.join('');
  const { kind, prose } = kindOfCell(frame, source);
  return {
    text: source,
    kind,
    prose,
    jsonEscaped: true,
    // Every caller maps a stretch that starts inside the source (a value, a literal, a statement). An
    // empty one (`SECRET ''`) ends right after its opening quote, in the same JSON string: where it starts.
    toFile: (start, end) => ({ start: at[start] ?? 0, end: (at[end - 1] ?? 0) + (width[end - 1] ?? 1) }),
  };
}
