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
  /** For objects: the key whose value comes next; for arrays: the key the array is the value of. */
  key?: string;
  expectKey: boolean;
  owner?: Frame;
  cellType?: string;
  sourceKey?: string;
  readonly strings: StringToken[];
}

const SOURCE_KEYS = new Set(['source', 'text', 'text/plain']);

/** The notebook's cells and outputs as segments, or undefined when the text is not JSON-shaped. */
export function notebookSegments(text: string): Segment[] | undefined {
  if (!/^\s*\{/.test(text)) return undefined;
  const segments: Segment[] = [];
  const stack: Frame[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (end < 0) return segments;
      const token = { start: i, end };
      if (top?.type === 'object' && top.expectKey) {
        top.key = decode(text, token).text;
        top.expectKey = false;
      } else if (top?.type === 'object' && top.key !== undefined) {
        if (top.key === 'cell_type') top.cellType = decode(text, token).text;
        else if (SOURCE_KEYS.has(top.key)) {
          top.sourceKey = top.key;
          top.strings.push(token);
        }
      } else if (top?.type === 'array' && top.owner && top.key !== undefined && SOURCE_KEYS.has(top.key)) {
        top.owner.sourceKey = top.key;
        top.owner.strings.push(token);
      }
      i = end;
      continue;
    }
    if (c === '{' || c === '[') {
      const frame: Frame = { type: c === '{' ? 'object' : 'array', expectKey: c === '{', strings: [] };
      if (c === '[' && top?.type === 'object') {
        frame.key = top.key;
        frame.owner = top;
      }
      stack.push(frame);
    } else if (c === '}' || c === ']') {
      const frame = stack.pop();
      if (frame?.type === 'object' && frame.strings.length > 0) segments.push(cellSegment(text, frame));
    } else if (c === ',' && top?.type === 'object') {
      top.expectKey = true;
    }
    i++;
  }
  return segments;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
    else if (c === '\n') return -1;
  }
  return -1;
}

interface Decoded {
  readonly text: string;
  /** For each decoded UTF-16 unit: where its escape or character starts in the file, and its length there. */
  readonly at: number[];
  readonly width: number[];
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };

function decode(text: string, token: StringToken, into?: { parts: string[]; at: number[]; width: number[] }): Decoded {
  const parts: string[] = into?.parts ?? [];
  const at: number[] = into?.at ?? [];
  const width: number[] = into?.width ?? [];
  const first = parts.length;
  for (let i = token.start + 1; i < token.end - 1; ) {
    const c = text[i] ?? '';
    if (c !== '\\') {
      parts.push(c);
      at.push(i);
      width.push(1);
      i++;
      continue;
    }
    const e = text[i + 1] ?? '';
    if (e === 'u') {
      parts.push(String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16) || 0xfffd));
      at.push(i);
      width.push(6);
      i += 6;
    } else {
      parts.push(ESCAPES[e] ?? e);
      at.push(i);
      width.push(2);
      i += 2;
    }
  }
  return { text: parts.slice(first).join(''), at, width };
}

function kindOfCell(frame: Frame, source: string): { kind: FileKind; prose: boolean } {
  if (frame.sourceKey !== 'source') return { kind: 'text', prose: true };
  if (frame.cellType === 'markdown' || frame.cellType === 'raw') return { kind: 'text', prose: true };
  if (/^\s*%%?sql\b/.test(source)) return { kind: 'sql', prose: false };
  return { kind: 'python', prose: false };
}

function cellSegment(text: string, frame: Frame): Segment {
  const buffer = { parts: [] as string[], at: [] as number[], width: [] as number[] };
  for (const token of frame.strings) decode(text, token, buffer);
  const source = buffer.parts.join('');
  const { at, width } = buffer;
  const { kind, prose } = kindOfCell(frame, source);
  const fileStart = (offset: number): number => {
    if (offset < at.length) return at[offset] ?? 0;
    const last = at.length - 1;
    return last < 0 ? (frame.strings[0]?.start ?? 0) + 1 : (at[last] ?? 0) + (width[last] ?? 1);
  };
  return {
    text: source,
    kind,
    prose,
    jsonEscaped: true,
    toFile: (start, end) => {
      const fileStartOffset = fileStart(start);
      if (end <= start) return { start: fileStartOffset, end: fileStartOffset };
      return { start: fileStartOffset, end: (at[end - 1] ?? 0) + (width[end - 1] ?? 1) };
    },
  };
}
