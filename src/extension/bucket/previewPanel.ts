/**
 * Read-only preview of a data file (schema and first rows) in a webview themed by VS Code's CSS
 * variables. No script runs in it. One panel per path: previewing the same file again refreshes it.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { previewHtml, type ObjectPreview } from '../../core/bucket/objectPreview';

export const PREVIEW_VIEW_TYPE = 'duckdbSecrets.preview';

export class PreviewPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  show(preview: ObjectPreview): vscode.WebviewPanel {
    let panel = this.panels.get(preview.path);
    if (panel) {
      panel.reveal(undefined, false);
    } else {
      const name = preview.path.slice(preview.path.lastIndexOf('/') + 1);
      panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, `Preview: ${name}`, vscode.ViewColumn.Active, {
        enableScripts: false,
        enableFindWidget: true,
        localResourceRoots: [],
      });
      const opened = panel;
      this.panels.set(preview.path, opened);
      opened.onDidDispose(() => {
        if (this.panels.get(preview.path) === opened) this.panels.delete(preview.path);
      });
    }
    panel.webview.html = previewHtml(preview, randomBytes(16).toString('base64'), panel.webview.cspSource);
    return panel;
  }

  /** The HTML shown for a path, or undefined when no preview of it is open (for tests). */
  htmlOf(path: string): string | undefined {
    return this.panels.get(path)?.webview.html;
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }
}
