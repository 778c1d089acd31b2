/**
 * A file is scanned as one or more stretches, each in one syntax: a SQL file is one; Markdown is
 * its prose plus each fenced block in the fence's language; a notebook is each cell's decoded
 * source (see notebookCells.ts). Each stretch maps its offsets back to the file's.
 */
import type { Segment } from './candidate';
import type { FileKind } from './fileKind';
import { notebookSegments } from './notebookCells';

export function plainSegment(text: string, kind: FileKind, prose: boolean, offset = 0): Segment {
  return {
    text,
    kind,
    prose,
    jsonEscaped: false,
    toFile: (start, end) => ({ start: start + offset, end: end + offset }),
  };
}

export function segmentsOf(text: string, kind: FileKind): Segment[] {
  if (kind === 'markdown') return markdownSegments(text);
  if (kind === 'notebook') {
    const cells = notebookSegments(text);
    // Not JSON after all (a notebook being typed, another format): scan it as text.
    return cells ?? [plainSegment(text, 'text', true)];
  }
  return [plainSegment(text, kind, kind === 'text')];
}

const FENCE_KINDS: Readonly<Record<string, FileKind>> = {
  sql: 'sql',
  duckdb: 'sql',
  postgres: 'sql',
  postgresql: 'sql',
  pgsql: 'sql',
  jinja: 'sql',
  jinja2: 'sql',
  dbt: 'sql',
  python: 'python',
  py: 'python',
  python3: 'python',
  ipython: 'python',
  pycon: 'python',
  yaml: 'yaml',
  yml: 'yaml',
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
  shell: 'shell',
  console: 'shell',
  'shell-session': 'shell',
  fish: 'shell',
  ksh: 'shell',
  powershell: 'shell',
  ps1: 'shell',
  env: 'env',
  dotenv: 'env',
  ini: 'env',
  properties: 'env',
  toml: 'env',
  conf: 'env',
  cfg: 'env',
};

/** Markdown: prose (fences blanked out, offsets kept) plus one segment per fenced block. */
export function markdownSegments(text: string): Segment[] {
  const blocks: { start: number; end: number; kind: FileKind }[] = [];
  // The language after the marker, bare or in braces (`{python}`, `{.sql}`, `{r, echo=FALSE}`).
  const fence = /^ {0,3}(`{3,}|~{3,})[ \t]*\{?\.?([^\s`{},]*)[^\n\r]*/gm;
  let open: { marker: string; start: number; kind: FileKind } | undefined;
  let match: RegExpExecArray | null;
  while ((match = fence.exec(text)) !== null) {
    const marker = match[1] ?? '';
    if (!open) {
      // The block starts after the fence line's end (after its `\r` in a CRLF file: a block may start with its `\n`).
      const contentStart = match.index + match[0].length + 1;
      const info = (match[2] ?? '').toLowerCase();
      open = { marker, start: Math.min(contentStart, text.length), kind: FENCE_KINDS[info] ?? 'text' };
    } else if (marker[0] === open.marker[0] && marker.length >= open.marker.length && match[0].trim() === marker) {
      blocks.push({ start: open.start, end: Math.max(open.start, match.index), kind: open.kind });
      open = undefined;
    }
  }
  if (open) blocks.push({ start: open.start, end: text.length, kind: open.kind });
  const prose: string[] = [];
  let at = 0;
  for (const block of blocks) {
    prose.push(text.slice(at, block.start), text.slice(block.start, block.end).replace(/[^\r\n]/g, ' '));
    at = block.end;
  }
  prose.push(text.slice(at));
  return [
    plainSegment(prose.join(''), 'text', true),
    ...blocks.map((block) => plainSegment(text.slice(block.start, block.end), block.kind, false, block.start)),
  ];
}
