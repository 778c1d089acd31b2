/**
 * The MotherDuck status bar item: connected / not connected / failed. It shows only once a token
 * is stored (a globalState flag, so activation never reads the keychain) or a connection was
 * tried. Clicking connects; when connected it opens the MotherDuck actions (Disconnect, …). It also
 * keeps the `duckdbSecrets.motherDuckConnected` context key for menus.
 */
import * as vscode from 'vscode';
import type { MotherDuckConnection } from '../../core/motherduck/motherDuck';
import { scrub } from '../../core/redaction';

/** What the item needs to know about the token: whether one is stored, and when that changes. */
export interface TokenPresence {
  hasMotherDuckToken(): boolean;
  onDidChangeMotherDuckToken(listener: () => void): { dispose(): void };
}

export const CONNECT_COMMAND = 'duckdbSecrets.connectMotherDuck';
/** Context key for menus: true while MotherDuck is attached (Connect or Disconnect in the Secrets view's title). */
export const CONNECTED_CONTEXT = 'duckdbSecrets.motherDuckConnected';

export class MotherDuckStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('duckdbSecrets.motherduck', vscode.StatusBarAlignment.Left, 49);
  private readonly subscriptions: { dispose(): void }[];
  private shown = false;
  private connectedContext = false;

  constructor(
    private readonly connection: Pick<MotherDuckConnection, 'state' | 'onDidChange'>,
    private readonly tokens: TokenPresence,
  ) {
    this.item.name = 'DuckDB Secrets: MotherDuck';
    this.subscriptions = [connection.onDidChange(() => this.update()), tokens.onDidChangeMotherDuckToken(() => this.update())];
    this.update();
  }

  /** What the item shows, for tests. */
  get text(): string {
    return this.item.text;
  }
  get tooltip(): string {
    return typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? '');
  }
  get visible(): boolean {
    return this.shown;
  }

  private update(): void {
    const state = this.connection.state;
    this.item.backgroundColor = undefined;
    switch (state.kind) {
      case 'disconnected':
        this.set('$(cloud) MotherDuck: not connected', 'MotherDuck is not attached to this window\'s DuckDB session. Click to connect.', 'MotherDuck not connected. Connect.');
        this.item.command = CONNECT_COMMAND;
        break;
      case 'connecting':
        this.set('$(loading~spin) MotherDuck: connecting…', 'Attaching MotherDuck to this window\'s DuckDB session…', 'Connecting to MotherDuck');
        this.item.command = undefined;
        break;
      case 'connected':
        this.set(
          state.account ? `$(cloud) MotherDuck: ${state.account}` : '$(cloud) MotherDuck: connected',
          `MotherDuck is attached to this window's DuckDB session (since ${state.since.toLocaleTimeString()}) ` +
            `${state.account ? `as ${state.account}` : 'with the stored token (the account name could not be read)'}. Click for Disconnect and the MotherDuck actions.`,
          `MotherDuck connected${state.account ? ` as ${state.account}` : ''}. Show MotherDuck actions.`,
        );
        this.item.command = { title: 'MotherDuck', command: CONNECT_COMMAND, arguments: [{ menu: true }] };
        break;
      case 'failed':
        this.set('$(error) MotherDuck: failed', `${state.message}\n\nClick to try again.`, 'Connecting to MotherDuck failed. Try again.');
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        this.item.command = CONNECT_COMMAND;
        break;
    }
    const connected = state.kind === 'connected';
    if (connected !== this.connectedContext) {
      this.connectedContext = connected;
      void vscode.commands.executeCommand('setContext', CONNECTED_CONTEXT, connected);
    }
    const show = state.kind !== 'disconnected' || this.tokens.hasMotherDuckToken();
    if (show !== this.shown) {
      this.shown = show;
      if (show) this.item.show();
      else this.item.hide();
    }
  }

  private set(text: string, tooltip: string, accessible: string): void {
    this.item.text = text;
    this.item.tooltip = scrub(tooltip);
    this.item.accessibilityInformation = { label: accessible };
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
