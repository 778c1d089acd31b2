/**
 * Preview of one data file through DuckDB: its schema and first rows, and the read-only HTML table
 * the preview webview shows. DuckDB reads a Parquet file's footer and only the row groups the
 * LIMIT needs (range requests over httpfs), never the whole file. r2:// paths need the httpfs
 * extension; local paths work the same without it. No VS Code import.
 */
import { previewStatements, readFunctionFor, type ReadFunction } from './bucketQueries';
import { translateDuckDBError } from '../duckdb/duckdbErrors';
import type { SqlRunner } from '../duckdb/sqlRunner';
import { UserFacingError } from '../errors';
import { keyOfRemotePath, refusePathSyntax } from './keyPathSyntax';

export const PREVIEW_ROWS = 100;
/** Longest cell text shown; the rest is cut with an ellipsis. */
const MAX_CELL = 400;

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
}

export async function loadPreview(sql: SqlRunner, path: string, limit = PREVIEW_ROWS): Promise<ObjectPreview> {
  refusePathSyntax(keyOfRemotePath(path) ?? '', 'Preview');
  const reader = readFunctionFor(path);
  if (!reader) {
    throw new UserFacingError(`Preview shows .parquet, .csv, .json and .ndjson files; ${baseNameOf(path)} is none of these.`);
  }
  const statements = previewStatements(path, reader, limit);
  const started = performance.now();
  try {
    const schema = await sql.query(statements.schema, `preview schema (${reader})`);
    const columns = schema.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    const rows = await sql.query(statements.rows, `preview rows (${reader})`);
    return {
      path,
      reader,
      columns,
      rows: rows.map((row) => columns.map((c) => cellText(row[c.name]))),
      limit,
      elapsedMs: performance.now() - started,
    };
  } catch (error) {
    throw translateDuckDBError(error, { kind: 'query', what: `preview ${path}` });
  }
}

/** A cell as text: strings as they are, NULL as null, lists and structs as JSON. */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL)}…` : text;
}

function baseNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
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
    .map((row, i) => `<tr><td class="n">${i + 1}</td>${row.map((v) => (v === null ? '<td class="null">NULL</td>' : `<td>${escapeHtml(v)}</td>`)).join('')}</tr>`)
    .join('\n');
  const schema = preview.columns.map((c) => `<li><code>${escapeHtml(c.name)}</code> <span class="type">${escapeHtml(c.type)}</span></li>`).join('');
  const shown = preview.rows.length;
  const summary = `${preview.columns.length} column${preview.columns.length === 1 ? '' : 's'} · ${shown < preview.limit ? `${shown} row${shown === 1 ? '' : 's'}` : `first ${shown} rows`} · ${preview.reader} · ${Math.round(preview.elapsedMs)} ms`;
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
  th { position: sticky; top: 0; background: var(--vscode-editorWidget-background, var(--vscode-editor-background)); }
  th .type { display: block; margin-left: 0; }
  tr:nth-child(even) td { background: var(--vscode-list-hoverBackground); }
  td.n { color: var(--vscode-editorLineNumber-foreground); text-align: right; }
  td.null { color: var(--vscode-descriptionForeground); font-style: italic; }
</style>
</head>
<body>
<h1>${escapeHtml(preview.path)}</h1>
<div class="summary">${escapeHtml(summary)}</div>
<details><summary>Schema</summary><ul>${schema}</ul></details>
<div class="wrap"><table>
<thead><tr><th scope="col">#</th>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>
</body>
</html>`;
}
