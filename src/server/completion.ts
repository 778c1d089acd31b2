/**
 * Completion from what the client knows: secret names of the window's DuckDB session after
 * `DROP SECRET` and in `name = '…'` filters over `duckdb_secrets()` / `which_secret(…)`, and
 * `r2://` paths inside string literals from the last listing, one level at a time, folders first.
 */
import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver/node';
import type { BucketEntry } from '../core/lsp/protocol';

const DROP_SECRET = /\bDROP\s+(?:PERSISTENT\s+|TEMPORARY\s+)?SECRET\s+(?:IF\s+EXISTS\s+)?([A-Za-z0-9_]*)$/i;
const NAME_FILTER = /\bname\s*(?:=|<>|!=|I?LIKE|IN\s*\((?:\s*'[^'\n]*'\s*,)*)\s*'([^'\n]*)$/i;
const SECRET_FUNCTIONS = /\b(?:duckdb_secrets|which_secret)\s*\(/i;
const R2_IN_STRING = /(['"`])(r2:\/\/[^'"`\s]*)$/;
/** How far back a statement is searched for `duckdb_secrets(` (a `;` ends it earlier). */
const STATEMENT_LOOKBACK = 2000;

export interface CompletionSources {
  readonly secretNames: readonly string[];
  readonly bucket: readonly BucketEntry[];
}

/** `text` is the document, `offset` the cursor. */
export function completionsAt(text: string, offset: number, position: Position, sources: CompletionSources): CompletionItem[] {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const path = R2_IN_STRING.exec(before);
  if (path?.[2] !== undefined) return pathCompletions(path[2], position, sources.bucket);
  const drop = DROP_SECRET.exec(before);
  if (drop) return nameCompletions(drop[1] ?? '', position, sources.secretNames);
  const filter = NAME_FILTER.exec(before);
  if (filter) {
    const statementStart = Math.max(text.lastIndexOf(';', offset - 1) + 1, offset - STATEMENT_LOOKBACK);
    if (SECRET_FUNCTIONS.test(text.slice(statementStart, offset))) return nameCompletions(filter[1] ?? '', position, sources.secretNames);
  }
  return [];
}

function replaceRange(position: Position, typed: string) {
  return { start: { line: position.line, character: position.character - typed.length }, end: position };
}

function nameCompletions(typed: string, position: Position, names: readonly string[]): CompletionItem[] {
  const range = replaceRange(position, typed);
  return names.map((name) => ({ label: name, kind: CompletionItemKind.Value, detail: 'DuckDB secret', textEdit: { range, newText: name } }));
}

/** The children of the folder typed so far (`r2://bucket/sales/`), or the buckets after `r2://`. */
function pathCompletions(typed: string, position: Position, entries: readonly BucketEntry[]): CompletionItem[] {
  const cut = typed.lastIndexOf('/') + 1;
  const parent = typed.slice(0, cut);
  const partial = typed.slice(cut);
  const range = replaceRange(position, partial);
  const children = new Map<string, { folder: boolean; entry?: BucketEntry }>();
  for (const entry of entries) {
    if (!entry.uri.startsWith(parent) || entry.uri.length <= parent.length) continue;
    const rest = entry.uri.slice(parent.length);
    const slash = rest.indexOf('/');
    // A deeper entry still tells us its folder at this level exists.
    const name = slash < 0 ? rest : rest.slice(0, slash + 1);
    const folder = slash >= 0;
    const exact = folder ? slash === rest.length - 1 : true;
    const known = children.get(name);
    if (!known || (exact && !known.entry)) children.set(name, { folder, ...(exact ? { entry } : {}) });
  }
  return [...children].map(([name, { folder, entry }]) => ({
    label: name,
    kind: folder ? CompletionItemKind.Folder : CompletionItemKind.File,
    sortText: `${folder ? '0' : '1'}${name}`,
    filterText: name,
    ...(entry?.size !== undefined ? { detail: formatSize(entry.size) } : {}),
    textEdit: { range, newText: name },
    ...(folder ? { command: { title: 'Next level', command: 'editor.action.triggerSuggest' } } : {}),
  }));
}

export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
