/**
 * Preview of one data file through DuckDB: its schema and first rows, and the read-only HTML table
 * the preview webview shows. DuckDB reads a Parquet file's footer and only the row groups the
 * LIMIT needs (range requests over httpfs), never the whole file. r2:// paths need the httpfs
 * extension; local paths work the same without it. No VS Code import.
 */
import { isNestedType, previewStatements, readFunctionFor, type ReadFunction } from './bucketQueries';
import { OPEN_RAW_OBJECT_COMMAND, translatePreviewError } from './previewErrors';
import type { SqlRunner } from '../duckdb/sqlRunner';
import { UserFacingError } from '../errors';
import { keyOfRemotePath, refusePathSyntax } from './keyPathSyntax';
import { formatBytes } from './bucketSource';
import { sqlString } from '../secrets/secretSql';

export const PREVIEW_ROWS = 100;
/** Longest cell text kept (shown whole on hover); the table cuts what it shows to its column width. */
const MAX_CELL = 10_000;

export interface PreviewColumn {
  readonly name: string;
  readonly type: string;
}

export interface ObjectPreview {
  /** What was read: `r2://bucket/key` or a local path. */
  readonly path: string;
  readonly reader: ReadFunction;
  readonly columns: readonly PreviewColumn[];
  /** Cell texts in column order; null for SQL NULL. */
  readonly rows: readonly (readonly (string | null)[])[];
  readonly limit: number;
  readonly elapsedMs: number;
  /** Rows in the whole file when known without reading it (Parquet metadata, or fewer rows than the limit). */
  readonly totalRows?: number;
}

export async function loadPreview(sql: SqlRunner, path: string, limit = PREVIEW_ROWS): Promise<ObjectPreview> {
  // Stryker disable next-line StringLiteral: a local path has no key; any text without path syntax is refused as little as ''
  refusePathSyntax(keyOfRemotePath(path) ?? '', 'Preview');
  const reader = readFunctionFor(path);
  if (!reader) {
    throw new UserFacingError(`Preview shows .parquet, .csv, .json and .ndjson files; ${baseNameOf(path)} is none of these.`);
  }
  const started = performance.now();
  try {
    const schema = await sql.query(previewStatements(path, reader, limit).schema, `preview schema (${reader})`);
    const columns = schema.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    const statements = previewStatements(path, reader, limit, columns.filter((c) => isNestedType(c.type)).map((c) => c.name));
    const rows = await sql.query(statements.rows, `preview rows (${reader})`);
    // Stryker disable next-line OptionalChaining: sum() answers one row, even over no row groups
    const counted = statements.count === undefined ? undefined : Number((await sql.query(statements.count, 'preview row count (parquet metadata)'))[0]?.n);
    const totalRows = Number.isFinite(counted) ? counted : rows.length < limit ? rows.length : undefined;
    return {
      path,
      reader,
      columns,
      rows: rows.map((row) => columns.map((c) => cellText(row[c.name]))),
      limit,
      elapsedMs: performance.now() - started,
      ...(totalRows !== undefined ? { totalRows } : {}),
    };
  } catch (error) {
    throw translatePreviewError(error, path);
  }
}

/**
 * A cell as text: strings as they are (nested values arrive as DuckDB's JSON text), NULL as null,
 * numbers as JavaScript writes them (NaN stays NaN, never JSON's null), anything else as JSON.
 */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL)}…` : text;
}

function baseNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Longest text a cell shows on one line; the whole text (up to MAX_CELL) is in its tooltip. */
const SHOWN_CELL = 120;

/** One cell: a long or multi-line text is shown cut, whole in its `title` (the hover). */
function cellHtml(text: string): string {
  const line = text.replace(/\r?\n/g, '↵');
  if (line.length <= SHOWN_CELL && line === text) return `<td>${escapeHtml(text)}</td>`;
  return `<td class="cut" title="${escapeHtml(text)}">${escapeHtml(line.length > SHOWN_CELL ? `${line.slice(0, SHOWN_CELL)}…` : line)}</td>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The preview page: a schema list and a table, themed with VS Code's CSS variables. No script;
 * the Content-Security-Policy allows only the one inline style block carrying `nonce`.
 */
export function previewHtml(preview: ObjectPreview, nonce: string, cspSource: string): string {
  const head = preview.columns.map((c) => `<th scope="col" title="${escapeHtml(c.type)}">${escapeHtml(c.name)}<span class="type">${escapeHtml(c.type)}</span></th>`).join('');
  const body = preview.rows
    .map((row, i) => `<tr><td class="n">${i + 1}</td>${row.map((v) => (v === null ? '<td class="null">NULL</td>' : cellHtml(v))).join('')}</tr>`)
    .join('\n');
  const schema = preview.columns.map((c) => `<li><code>${escapeHtml(c.name)}</code> <span class="type">${escapeHtml(c.type)}</span></li>`).join('');
  const shown = preview.rows.length;
  const total = preview.totalRows;
  const rowsText =
    (total ?? Infinity) <= shown
      ? `${shown.toLocaleString('en-US')} row${shown === 1 ? '' : 's'}`
      : `first ${shown.toLocaleString('en-US')} of ${total !== undefined ? `${total.toLocaleString('en-US')} rows` : 'more rows'}`;
  const summary = `${preview.columns.length} column${preview.columns.length === 1 ? '' : 's'} · ${rowsText} · ${preview.reader} · ${Math.round(preview.elapsedMs)} ms`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}' ${cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(baseNameOf(preview.path))}</title>
<style nonce="${nonce}">
  body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 16px 16px; }
  h1 { font-size: 1.1em; font-weight: 600; margin: 12px 0 2px; word-break: break-all; }
  .summary, .type { color: var(--vscode-descriptionForeground); }
  .type { font-size: 0.85em; margin-left: 6px; font-weight: normal; }
  details { margin: 8px 0; }
  ul { columns: 3 16em; margin: 4px 0; padding-left: 18px; }
  code { font-family: var(--vscode-editor-font-family); }
  .wrap { overflow: auto; max-height: calc(100vh - 120px); border: 1px solid var(--vscode-panel-border, transparent); }
  table { border-collapse: collapse; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
  th, td { padding: 2px 8px; border-bottom: 1px solid var(--vscode-panel-border, transparent); text-align: left; white-space: pre; vertical-align: top; }
  td { max-width: 40ch; overflow: hidden; text-overflow: ellipsis; }
  th { position: sticky; top: 0; z-index: 1; background: var(--vscode-editorWidget-background, var(--vscode-editor-background)); }
  th .type { display: block; margin-left: 0; }
  td { background: var(--vscode-editor-background); }
  tr:nth-child(even) td { background: var(--vscode-list-hoverBackground); }
  .n { position: sticky; left: 0; z-index: 2; }
  td.n { color: var(--vscode-editorLineNumber-foreground); text-align: right; background: var(--vscode-editor-background); }
  th.n { z-index: 3; }
  td.null { color: var(--vscode-descriptionForeground); font-style: italic; }
</style>
</head>
<body>
<h1>${escapeHtml(preview.path)}</h1>
<div class="summary">${escapeHtml(summary)}</div>
<details><summary>Schema</summary><ul>${schema}</ul></details>
<div class="wrap"><table>
<thead><tr><th scope="col" class="n">#</th>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>
</body>
</html>`;
}

/** What Open Raw Object shows: the object's bytes as text. */
export interface RawObject {
  readonly path: string;
  readonly text: string;
  readonly size: number;
  /** False when the bytes are not UTF-8 and are shown with `\x..` escapes. */
  readonly utf8: boolean;
}

/** Objects larger than this are not opened as text. */
export const RAW_OBJECT_LIMIT = 2_000_000;

/**
 * The whole object as text, for a preview that failed: UTF-8 as it is, other bytes escaped. Its size
 * is asked first (`read_blob` projecting `size` reads no content), so a large object is refused
 * before it is downloaded.
 */
export async function loadRawObject(sql: SqlRunner, path: string, limit = RAW_OBJECT_LIMIT): Promise<RawObject> {
  const literal = sqlString(path, 'The object path');
  try {
    const size = Number((await sql.query(`SELECT size::DOUBLE AS size FROM read_blob(${literal})`, 'raw object size'))[0]?.size ?? NaN);
    if (!Number.isFinite(size)) throw new UserFacingError(`${path} was not found.`);
    if (size > limit) {
      throw new UserFacingError(`${baseNameOf(path)} is ${formatBytes(size)}: too large to open as text here (the limit is ${formatBytes(limit)}). Query it, or download it.`);
    }
    try {
      const text = textOf((await sql.query(`SELECT content FROM read_text(${literal})`, 'raw object (text)'))[0]?.content);
      return { path, text, size, utf8: true };
    } catch {
      const text = textOf((await sql.query(`SELECT content::VARCHAR AS content FROM read_blob(${literal})`, 'raw object (bytes)'))[0]?.content);
      return { path, text, size, utf8: false };
    }
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    const translated = translatePreviewError(error, path);
    if (!(translated instanceof UserFacingError)) throw translated;
    throw new UserFacingError(translated.message, translated.detail, translated.actions.filter((a) => a.command !== OPEN_RAW_OBJECT_COMMAND));
  }
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
