/**
 * The Markdown of the Bucket view's tooltips. Folder and object names come from the bucket, that
 * is from whoever may write to it, so every one of them goes through `escapeMarkdown` (never into
 * a code span, which backslashes cannot escape). No VS Code import.
 */
import { escapeMarkdown } from '../markdown';

export interface FolderTooltip {
  readonly uri: string;
  readonly partition?: { readonly key: string; readonly value: string };
  readonly counts?: string;
  /** Already formatted for the reader's locale. */
  readonly newest?: string;
}

export function folderTooltipMarkdown(t: FolderTooltip): string {
  const lines = [`**${escapeMarkdown(t.uri)}**`, ''];
  if (t.partition) lines.push(`Hive partition: **${escapeMarkdown(t.partition.key)}** = **${escapeMarkdown(t.partition.value)}**  `);
  if (t.counts) lines.push(`${escapeMarkdown(t.counts)}  `);
  if (t.newest) lines.push(`Newest object: ${escapeMarkdown(t.newest)}  `);
  return lines.join('\n');
}

export function objectTooltipMarkdown(uri: string, size: number, modified: string | undefined): string {
  return [`**${escapeMarkdown(uri)}**`, '', `${size.toLocaleString('en-US')} bytes  `, modified ? `Modified ${escapeMarkdown(modified)}` : ''].join('\n');
}
