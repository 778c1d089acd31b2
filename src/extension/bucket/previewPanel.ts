/**
 * Read-only preview of a data file (schema and first rows) in a webview themed by VS Code's CSS
 * variables. No script runs in it.
 *
 * Like the explorer's preview mode: one preview tab is reused for each file previewed, until it is
 * kept open ("Keep Preview Open" in its title bar, or previewing the same file twice in a row
 * quickly, the way a double-click does); a kept tab stays with its file and the next preview opens
 * a new reusable tab. Previewing a file whose kept tab is open refreshes that tab.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { previewHtml, type ObjectPreview } from '../../core/bucket/objectPreview';

export const PREVIEW_VIEW_TYPE = 'duckdbSecrets.preview';
export const KEEP_PREVIEW_OPEN_COMMAND = 'duckdbSecrets.keepPreviewOpen';
/** Two previews of one file within this many ms count as a double-click: the tab is kept. */
const DOUBLE_CLICK_MS = 600;

export class PreviewPanels implements vscode.Disposable {
  /** The reusable tab and the file it shows. */
  private reusable: { panel: vscode.WebviewPanel; path: string } | undefined;
  private readonly kept = new Map<string, vscode.WebviewPanel>();
  private lastRequest: { path: string; at: number } | undefined;

  /** Call when a preview is asked for (before loading it): true when it is the second click of a double-click. */
  requested(path: string, now = Date.now()): boolean {
    const double = this.lastRequest?.path === path && now - this.lastRequest.at < DOUBLE_CLICK_MS;
    this.lastRequest = { path, at: now };
    return double;
  }

  show(preview: ObjectPreview, options: { keep?: boolean } = {}): vscode.WebviewPanel {
    const name = preview.path.slice(preview.path.lastIndexOf('/') + 1);
    let panel = this.kept.get(preview.path);
    if (panel) {
      panel.reveal(undefined, false);
    } else if (this.reusable) {
      panel = this.reusable.panel;
      this.reusable.path = preview.path;
      panel.title = `Preview: ${name}`;
      panel.reveal(undefined, false);
    } else {
      panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, `Preview: ${name}`, vscode.ViewColumn.Active, {
        enableScripts: false,
        enableFindWidget: true,
        localResourceRoots: [],
      });
      const opened = panel;
      this.reusable = { panel: opened, path: preview.path };
      opened.onDidDispose(() => this.forget(opened));
    }
    panel.webview.html = previewHtml(preview, randomBytes(16).toString('base64'), panel.webview.cspSource);
    if (options.keep) this.keep(panel);
    return panel;
  }

  /** Keeps the reusable tab (or `panel`) open with its file: the next preview opens a new tab. */
  keep(panel = this.reusable?.panel): void {
    if (!this.reusable || this.reusable.panel !== panel) return;
    const { path } = this.reusable;
    this.kept.get(path)?.dispose();
    this.kept.set(path, panel);
    panel.title = path.slice(path.lastIndexOf('/') + 1);
    this.reusable = undefined;
  }

  /** The HTML shown for a path, or undefined when no preview of it is open (for tests). */
  htmlOf(path: string): string | undefined {
    return (this.kept.get(path) ?? (this.reusable?.path === path ? this.reusable.panel : undefined))?.webview.html;
  }

  /** How many preview tabs are open, and how many of them are kept (for tests). */
  counts(): { open: number; kept: number } {
    return { open: this.kept.size + (this.reusable ? 1 : 0), kept: this.kept.size };
  }

  dispose(): void {
    for (const panel of [...this.kept.values(), ...(this.reusable ? [this.reusable.panel] : [])]) panel.dispose();
    this.kept.clear();
    this.reusable = undefined;
  }

  private forget(panel: vscode.WebviewPanel): void {
    if (this.reusable?.panel === panel) this.reusable = undefined;
    for (const [path, kept] of this.kept) if (kept === panel) this.kept.delete(path);
  }
}
