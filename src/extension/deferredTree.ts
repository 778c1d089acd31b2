/**
 * A view registered at activation whose rows come from a provider loaded later: until the real
 * provider connects it answers with no rows, or, when `load` is given, loads the provider on the
 * view's first request (the Secrets view's rows are what opening it is for). Nodes only ever come
 * from the real provider, so every other call goes straight to it.
 */
import * as vscode from 'vscode';

export class DeferredTree<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  readonly view: vscode.TreeView<T>;
  private real: vscode.TreeDataProvider<T> | undefined;
  private readonly changed = new vscode.EventEmitter<T | T[] | undefined | null | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private forwarding: vscode.Disposable | undefined;
  private asked = false;

  /** `firstRows` hears how long the view's first request for its top rows took (for the log). */
  constructor(
    viewId: string,
    private readonly load?: () => void,
    private readonly firstRows?: (ms: number) => void,
  ) {
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this, showCollapseAll: true });
  }

  /** Hands the view to the real provider; from now on every call and change event is its. */
  connect(provider: vscode.TreeDataProvider<T>): void {
    this.real = provider;
    this.forwarding = provider.onDidChangeTreeData?.((node) => this.changed.fire(node));
  }

  getTreeItem(node: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    if (!this.real) throw new Error('no tree node exists before its provider is loaded');
    return this.real.getTreeItem(node);
  }

  getChildren(node?: T): vscode.ProviderResult<T[]> {
    const started = performance.now();
    if (!this.real) this.load?.();
    const rows = this.real ? this.real.getChildren(node) : [];
    if (node !== undefined || this.asked || !this.firstRows) return rows;
    this.asked = true;
    const report = this.firstRows;
    return Promise.resolve(rows).then((result) => {
      report(performance.now() - started);
      return result;
    });
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
    this.view.dispose();
  }
}
