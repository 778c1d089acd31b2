/** Hover on an `r2://` path: the secret DuckDB applies to it (asked of the client) and, when listed, size and modified time. */
import type { Hover, Position } from 'vscode-languageserver/node';
import type { BucketEntry, WhichSecretResult } from '../core/lsp/protocol';
import { formatSize } from './completion';

const R2_PATH = /r2:\/\/[^\s'"`,;()<>{}]+/g;

/** The `r2://` path under the cursor on its line, with its range. */
export function r2PathAt(lineText: string, position: Position): { path: string; start: number; end: number } | undefined {
  const re = new RegExp(R2_PATH.source, R2_PATH.flags);
  let match: RegExpExecArray | null;
  while ((match = re.exec(lineText)) !== null) {
    const start = match.index;
    const end = start + match[0].length;
    if (position.character >= start && position.character <= end) return { path: match[0], start, end };
  }
  return undefined;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export function hoverText(path: string, which: WhichSecretResult | undefined, listed: BucketEntry | undefined): string {
  const lines = [`**${escapeMarkdown(path)}**`];
  if (which?.kind === 'secret') lines.push(`Secret: \`${which.name.replace(/`/g, "'")}\` (${escapeMarkdown(which.storage)}), chosen by \`which_secret\``);
  else if (which?.kind === 'none') lines.push('No DuckDB secret applies to this path in this window: run **DuckDB Secrets: Create R2 Secret**.');
  else if (which?.kind === 'unavailable') lines.push(`Secret: unknown (${escapeMarkdown(which.reason)})`);
  if (listed) {
    const facts = [listed.kind === 'folder' ? 'folder' : 'object'];
    if (listed.size !== undefined) facts.push(formatSize(listed.size));
    if (listed.modified) facts.push(`modified ${listed.modified.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}`);
    lines.push(facts.join(' · '));
  }
  return lines.join('\n\n');
}

export function toHover(path: string, start: number, end: number, line: number, markdown: string): Hover {
  return { contents: { kind: 'markdown', value: markdown }, range: { start: { line, character: start }, end: { line, character: end } } };
}

export function listedEntry(path: string, entries: readonly BucketEntry[]): BucketEntry | undefined {
  return entries.find((e) => e.uri === path) ?? entries.find((e) => e.kind === 'folder' && e.uri === `${path}/`);
}
