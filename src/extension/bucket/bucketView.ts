/**
 * The Bucket view: the folders and objects of one BucketSource (a Test R2 Bucket listing folded in
 * memory, or a live listing), one class per node kind. The state lives in BucketTreeModel; this
 * file only turns it into tree items and refreshes the node whose folder changed.
 */
import * as vscode from 'vscode';
import { folderTooltipMarkdown, objectTooltipMarkdown } from '../../core/bucket/bucketTooltips';
import { MessageNode } from '../messageNode';
import { FoldedListing } from '../../core/bucket/bucketFolding';
import { readFunctionFor } from '../../core/bucket/bucketQueries';
import { FailedSource, baseName, formatBytes, hivePartition, r2Uri, type BucketFolder, type BucketObject, type BucketSource } from '../../core/bucket/bucketSource';
import { BucketTreeModel } from '../../core/bucket/bucketTreeModel';
import { noMatchText } from '../../core/bucket/bucketFilter';
import { SHOW_LOG_COMMAND } from '../commands';
import { readSetting } from '../config';
import { CONTEXT } from '../contextValues';
import type { Logger } from '../../core/logger';

export const BUCKET_VIEW_ID = 'duckdbSecrets.bucket';
export const LOAD_MORE_COMMAND = 'duckdbSecrets.loadMoreBucket';
export const PREVIEW_OBJECT_COMMAND = 'duckdbSecrets.previewObject';
export const REFRESH_FOLDER_COMMAND = 'duckdbSecrets.refreshBucketFolder';
/** How long after a folder's rows are handed to VS Code its sub-folders start being listed ahead. */
const PREFETCH_AFTER_MS = 100;
/** Context keys the view's title menus use. */
const SHOWN_KEY = 'duckdbSecrets.bucketShown';
const FILTERED_KEY = 'duckdbSecrets.bucketFiltered';

export class BucketFolderNode {
  constructor(
    readonly bucket: string,
    readonly folder: BucketFolder,
    readonly isRoot: boolean,
  ) {}

  get prefix(): string {
    return this.folder.prefix;
  }

  get uri(): string {
    return r2Uri(this.bucket, this.folder.prefix);
  }

  toTreeItem(): vscode.TreeItem {
    const f = this.folder;
    const partition = this.isRoot ? undefined : hivePartition(f.prefix);
    const label = this.isRoot ? this.uri : baseName(f.prefix);
    const item = new vscode.TreeItem(label, this.isRoot ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `folder:${this.bucket}/${f.prefix}`;
    const counts = f.objectCount === undefined ? undefined : `${f.objectCount.toLocaleString('en-US')} object${f.objectCount === 1 ? '' : 's'} · ${formatBytes(f.totalSize ?? 0)}`;
    item.description = [partition ? 'partition' : undefined, counts].filter(Boolean).join(' · ');
    // symbol-key draws as "abc", which reads as text: a folder with a shelf reads as a slice of a table.
    item.iconPath = new vscode.ThemeIcon(this.isRoot ? 'database' : partition ? 'folder-library' : 'folder');
    item.contextValue = CONTEXT.bucketFolder(this.isRoot ? 'root' : partition ? 'partition' : undefined);
    item.tooltip = new vscode.MarkdownString(
      folderTooltipMarkdown({ uri: this.uri, ...(partition ? { partition } : {}), ...(counts ? { counts } : {}), ...(f.lastModified ? { newest: formatTime(f.lastModified) } : {}) }),
    );
    item.accessibilityInformation = { label: `${partition ? 'Partition' : 'Folder'} ${label}${counts ? `, ${counts}` : ''}` };
    return item;
  }
}

export class BucketObjectNode {
  constructor(
    readonly bucket: string,
    readonly object: BucketObject,
  ) {}

  get uri(): string {
    return r2Uri(this.bucket, this.object.key);
  }

  toTreeItem(): vscode.TreeItem {
    const o = this.object;
    const name = baseName(o.key);
    const previewable = readFunctionFor(o.key) !== undefined;
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
    item.id = `object:${this.bucket}/${o.key}`;
    // The full time is in the tooltip; the row keeps it short so the size is not cut off in a narrow sidebar.
    item.description = [formatBytes(o.size), o.lastModified && formatShortTime(o.lastModified)].filter(Boolean).join(' · ');
    item.iconPath = vscode.ThemeIcon.File;
    item.resourceUri = vscode.Uri.from({ scheme: 'r2', authority: this.bucket, path: `/${o.key}` });
    item.contextValue = CONTEXT.bucketObject(previewable);
    // The tooltip is made when hovered (resolveTreeItem): a folder of 1,000 objects sends 1,000 rows
    // to the workbench, and their Markdown would triple what crosses over.
    if (previewable) item.command = { title: 'Preview Object', command: PREVIEW_OBJECT_COMMAND, arguments: [this] };
    item.accessibilityInformation = { label: `Object ${name}, ${formatBytes(o.size)}` };
    return item;
  }

  tooltip(): vscode.MarkdownString {
    const o = this.object;
    return new vscode.MarkdownString(objectTooltipMarkdown(this.uri, o.size, o.lastModified ? formatTime(o.lastModified) : undefined));
  }
}

export class LoadMoreNode {
  constructor(
    readonly bucket: string,
    readonly prefix: string,
    readonly listed: number,
    readonly hidden: number,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.id = `more:${this.bucket}/${this.prefix}:${this.listed}`;
    item.description = `${this.listed.toLocaleString('en-US')} listed${this.hidden ? `, ${this.hidden.toLocaleString('en-US')} hidden by the filter` : ''}`;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = CONTEXT.bucketLoadMore;
    item.command = { title: 'Load More', command: LOAD_MORE_COMMAND, arguments: [this] };
    return item;
  }
}

export type BucketTreeNode = BucketFolderNode | BucketObjectNode | LoadMoreNode | MessageNode;

export class BucketTreeProvider implements vscode.TreeDataProvider<BucketTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BucketTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The folder node VS Code last received for each prefix: refreshing one folder fires it. */
  private readonly folderNodes = new Map<string, BucketFolderNode>();
  private prefetchTimer: ReturnType<typeof setTimeout> | undefined;
  /** The folders shown since the timer started, one batch per folder opened, with the source they belong to. */
  private prefetchWaiting: { readonly source: BucketSource; readonly batches: readonly (readonly string[])[] } | undefined;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly model: BucketTreeModel,
    /** How many sub-folders of a live folder to list ahead of a click (0: none). */
    private readonly prefetchLimit: () => number = () => 0,
  ) {
    this.subscription = model.onDidChange((prefix) => {
      if (prefix === undefined) this.folderNodes.clear();
      this.changed.fire(prefix === undefined ? undefined : this.folderNodes.get(prefix));
    });
  }

  getTreeItem(node: BucketTreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  resolveTreeItem(item: vscode.TreeItem, node: BucketTreeNode): vscode.TreeItem {
    if (node instanceof BucketObjectNode) item.tooltip ??= node.tooltip();
    return item;
  }

  async getChildren(node?: BucketTreeNode): Promise<BucketTreeNode[]> {
    const source = this.model.source;
    if (!source) return [];
    if (!node) {
      // A folded listing knows the whole bucket's totals: the root row shows them (the view's title bar cuts them off).
      const root = source instanceof FoldedListing ? source.folder(source.rootPrefix) : undefined;
      return [this.folderNode(source.bucket, root ?? { prefix: source.rootPrefix }, true)];
    }
    if (!(node instanceof BucketFolderNode)) return [];
    const state = await this.model.children(node.prefix);
    if (state.kind === 'failed') {
      const retry = source instanceof FailedSource ? source.retry : { command: REFRESH_FOLDER_COMMAND, args: [{ prefix: node.prefix }] };
      return [
        new MessageNode(`${state.message} — click for log`, 'error', { title: 'Show Log', command: SHOW_LOG_COMMAND }),
        ...(retry ? [retryNode(retry.command, retry.args)] : []),
      ];
    }
    const visible = this.model.visible(node.prefix);
    if (!visible) return [];
    // Live browsing: the sub-folders just shown are listed ahead, so opening one shows its rows at
    // once; started once these rows are on their way, so signing and parsing those answers never
    // share the machine with showing them (a person's click comes later than that).
    if (visible.folders.length > 0) this.prefetchSoon(source, visible.folders.map((f) => f.prefix));
    const children: BucketTreeNode[] = [
      ...visible.folders.map((f) => this.folderNode(source.bucket, f, false)),
      ...visible.objects.map((o) => new BucketObjectNode(source.bucket, o)),
    ];
    const hidden = visible.hiddenObjects + visible.hiddenFolders;
    if (visible.incomplete !== undefined) {
      // The next page failed: say the folder is incomplete, never let the rows pass for all of it.
      children.push(new MessageNode(`incomplete: ${visible.incomplete}`, 'warning', { title: 'Show Log', command: SHOW_LOG_COMMAND }));
      children.push(retryNode(LOAD_MORE_COMMAND, [{ prefix: node.prefix }]));
    } else if (visible.hasMore) children.push(new LoadMoreNode(source.bucket, node.prefix, visible.listed, hidden));
    else if (children.length === 0) {
      const pattern = this.model.filter?.pattern;
      children.push(new MessageNode(hidden && pattern ? noMatchText(pattern, visible.hiddenObjects, visible.hiddenFolders) : 'Empty folder', 'info'));
    }
    return children;
  }

  /** The folder node for a prefix as the tree shows it now, for commands given a prefix. */
  nodeFor(prefix: string): BucketFolderNode | undefined {
    return this.folderNodes.get(prefix);
  }

  dispose(): void {
    clearTimeout(this.prefetchTimer);
    this.subscription.dispose();
    this.changed.dispose();
  }

  private prefetchSoon(source: BucketSource, prefixes: readonly string[]): void {
    const pending = this.prefetchWaiting;
    this.prefetchWaiting = { source, batches: pending?.source === source ? [...pending.batches, prefixes] : [prefixes] };
    if (this.prefetchTimer !== undefined) return;
    this.prefetchTimer = setTimeout(() => {
      const waiting = this.prefetchWaiting;
      this.prefetchTimer = undefined;
      this.prefetchWaiting = undefined;
      // Another source shown meanwhile: its folders are not these.
      if (waiting && this.model.source === waiting.source) for (const batch of waiting.batches) this.model.prefetch(batch, this.prefetchLimit());
    }, PREFETCH_AFTER_MS);
  }

  private folderNode(bucket: string, folder: BucketFolder, isRoot: boolean): BucketFolderNode {
    const node = new BucketFolderNode(bucket, folder, isRoot);
    this.folderNodes.set(folder.prefix, node);
    return node;
  }
}

/** A row that runs the failed listing again. */
function retryNode(command: string, args: readonly unknown[]): MessageNode {
  return new MessageNode('Retry', 'refresh', { title: 'Retry', command, arguments: [...args] });
}

/** The view with its model and provider; `show` is what Test R2 Bucket and Browse Bucket call. */
export class BucketView implements vscode.Disposable {
  readonly model: BucketTreeModel;
  readonly provider: BucketTreeProvider;
  readonly treeView: vscode.TreeView<BucketTreeNode>;
  private readonly subscription: { dispose(): void };

  /** `treeView`: the view activation created (its provider forwards to this one once connected). */
  constructor(log: Logger, treeView?: vscode.TreeView<BucketTreeNode>) {
    this.model = new BucketTreeModel(log);
    this.provider = new BucketTreeProvider(this.model, () => readSetting('bucket.prefetchFolders'));
    this.treeView = treeView ?? vscode.window.createTreeView(BUCKET_VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true });
    this.subscription = this.model.onDidChange((prefix) => {
      if (prefix === undefined) this.describe();
    });
  }

  /** Shows a source in the view and, unless told otherwise, brings the view forward. */
  async show(source: BucketSource, options: { reveal?: boolean } = {}): Promise<void> {
    this.model.show(source);
    if (options.reveal ?? true) await vscode.commands.executeCommand(`${BUCKET_VIEW_ID}.focus`);
  }

  /** The node selected in the view, for commands run from the palette. */
  selected(): BucketTreeNode | undefined {
    return this.treeView.selection[0];
  }

  dispose(): void {
    this.subscription.dispose();
    this.model.dispose();
    this.treeView.dispose();
    this.provider.dispose();
  }

  private describe(): void {
    const source = this.model.source;
    const filter = this.model.filter;
    this.treeView.description = source?.description;
    this.treeView.message =
      source && filter
        ? `Filter: ${filter.pattern}${source.foldersHolding ? '' : ' (live: a folder is checked when opened)'}`
        : undefined;
    void vscode.commands.executeCommand('setContext', SHOWN_KEY, source !== undefined);
    void vscode.commands.executeCommand('setContext', FILTERED_KEY, filter !== undefined);
  }
}

/** One formatter for every row: making one per call costs more than the rest of the row. */
const MONTH_DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });

/** A time short enough for a tree row, in local time: `12:03` today, `May 1` this year, `2023-05-01` before. */
export function formatShortTime(date: Date, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  if (date.toDateString() === now.toDateString()) return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  if (date.getFullYear() === now.getFullYear()) return MONTH_DAY.format(date);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `2024-05-01 12:03` in local time. */
export function formatTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

