/** The Secrets view: storage groups holding the secrets `duckdb_secrets()` lists. */
import * as vscode from 'vscode';
import { escapeMarkdown } from '../../core/markdown';
import { MessageNode } from '../messageNode';
import { SHOW_LOG_COMMAND } from '../commands';
import { CONTEXT } from '../contextValues';
import { isR2Backed, storageLabel, type SecretInfo, type StorageGroup } from '../../core/secrets/secretsModel';
import type { SecretMark, SecretsTreeModel } from '../../core/secrets/secretsTreeModel';
import { plaintextSecret, type PlaintextSecret } from '../../core/secrets/plaintextSecrets';

export class StorageGroupNode {
  constructor(readonly group: StorageGroup) {}
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.group.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `storage:${this.group.storage}`;
    item.description = `${this.group.secrets.length}`;
    item.iconPath = new vscode.ThemeIcon(storageIcon(this.group.storage));
    item.contextValue = CONTEXT.storageGroup(this.group.storage);
    return item;
  }
}

export class SecretNode {
  constructor(
    readonly secret: SecretInfo,
    /** Set when `which_secret` chose this secret for a path. */
    readonly appliesTo?: string,
    /** Set for a local persistent secret: its plaintext file, and whether Move to Keychain takes it. */
    readonly plaintext?: PlaintextSecret,
  ) {}
  toTreeItem(): vscode.TreeItem {
    const s = this.secret;
    const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
    item.id = `secret:${s.storage}:${s.name}`;
    const r2Backed = s.type !== 'r2' && isR2Backed(s);
    item.description = [r2Backed ? `${s.type} (R2)` : s.type, s.scope.join(', '), this.plaintext && 'plaintext', this.appliesTo && `applies to ${this.appliesTo}`]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = this.appliesTo
      ? new vscode.ThemeIcon('target', new vscode.ThemeColor('charts.green'))
      : this.plaintext
        ? new vscode.ThemeIcon('unlock', new vscode.ThemeColor('list.warningForeground'))
        : new vscode.ThemeIcon('key');
    item.contextValue = CONTEXT.secret(s.type, s.storage, r2Backed);
    item.tooltip = secretTooltip(s, this.appliesTo, this.plaintext);
    item.accessibilityInformation = { label: `Secret ${s.name}, type ${s.type}, ${s.storage}${this.plaintext ? ', stored in plaintext' : ''}` };
    return item;
  }
}

export type SecretsTreeNode = StorageGroupNode | SecretNode | MessageNode;

export class SecretsTreeProvider implements vscode.TreeDataProvider<SecretsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SecretsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly model: SecretsTreeModel) {
    this.subscription = model.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: SecretsTreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  async getChildren(node?: SecretsTreeNode): Promise<SecretsTreeNode[]> {
    if (node instanceof StorageGroupNode) {
      const state = this.model.state;
      const directory = state.kind === 'loaded' ? state.secretDirectory : undefined;
      return node.group.secrets.map((s) => new SecretNode(s, appliesTo(s, this.model.mark), directory === undefined ? undefined : plaintextSecret(s, directory)));
    }
    if (node) return [];
    const state = await this.model.ensureLoaded();
    switch (state.kind) {
      case 'loaded':
        return state.groups.map((g) => new StorageGroupNode(g));
      case 'failed':
        return [
          new MessageNode(`Could not read secrets: ${state.message} — click for log`, 'error', {
            title: 'Show Log',
            command: SHOW_LOG_COMMAND,
          }),
        ];
      case 'unloaded':
        return [];
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function storageIcon(storage: string): string {
  if (storage === 'memory') return 'vm';
  if (storage === 'local_file') return 'file';
  if (storage === 'motherduck') return 'cloud';
  return 'database';
}

function appliesTo(s: SecretInfo, mark: SecretMark | undefined): string | undefined {
  return mark && mark.name === s.name && mark.storage === s.storage ? mark.path : undefined;
}

function secretTooltip(s: SecretInfo, appliesTo?: string, plaintext?: PlaintextSecret): vscode.MarkdownString {
  const r2Backed = s.type !== 'r2' && isR2Backed(s) ? ' (R2-backed: Cloudflare R2 through s3:// paths)' : '';
  const lines = [`**${escapeMarkdown(s.name)}** · ${escapeMarkdown(s.type)}${r2Backed}`, ''];
  const row = (label: string, value: string | undefined) => {
    if (value) lines.push(`${label}: \`${value.replace(/`/g, "'")}\`  `);
  };
  row('Provider', s.provider);
  row('Storage', storageText(s));
  row('Scope', s.scope.join(', '));
  row('Endpoint', s.fields.get('endpoint'));
  row('Key id', maskKeyId(s.fields.get('key_id')));
  row('Region', s.fields.get('region'));
  row('Which secret', appliesTo && `used for ${appliesTo}`);
  if (plaintext) {
    lines.push('', `**Stored in plaintext** (unencrypted) in \`${plaintext.file.replace(/`/g, "'")}\`  `);
    lines.push("(secret_directory as this window's DuckDB session reports it: `current_setting('secret_directory')`)  ");
    lines.push(plaintext.notMovable ? `Stays on disk: ${escapeMarkdown(plaintext.notMovable)}.` : 'Move to Keychain takes its keys into the OS keychain and deletes the file.');
  }
  const md = new vscode.MarkdownString(lines.join('\n'));
  md.supportHtml = false;
  return md;
}

/** The storage as the tree's group names it (`Session (memory)`), so the tooltip and the group agree. */
function storageText(s: SecretInfo): string {
  const label = storageLabel(s.storage);
  return s.persistent && !/persistent/i.test(label) ? `${label} (persistent)` : label;
}

/** Enough of an access key id to tell keys apart, not enough to use one: `abcd…wxyz`. */
export function maskKeyId(keyId: string | undefined): string | undefined {
  if (!keyId) return undefined;
  return keyId.length < 16 ? '••••' : `${keyId.slice(0, 4)}…${keyId.slice(-4)}`;
}

