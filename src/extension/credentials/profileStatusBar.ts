/**
 * The status bar item showing the active R2 profile; clicking it runs Select Credential Profile.
 * With no profile it stays visible as "No R2 profile", and with saved profiles but none active as
 * "R2: none active", so the way to set one up or pick one is one click away. It reads globalState
 * only (labels are not secret), never the keychain.
 */
import * as vscode from 'vscode';
import type { CredentialStore } from '../../core/credentials/credentialStore';
import { describeLocation } from '../../core/credentials/profiles';

export class ProfileStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('duckdbSecrets.profile', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: CredentialStore) {
    this.item.name = 'DuckDB Secrets: R2 Profile';
    this.item.command = 'duckdbSecrets.selectProfile';
    this.subscription = store.onDidChange(() => this.update());
    this.update();
    this.item.show();
  }

  /** What the item shows, for tests. */
  get text(): string {
    return this.item.text;
  }
  get tooltip(): string {
    return typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? '');
  }

  private update(): void {
    const profile = this.store.activeProfile();
    const saved = this.store.list().length;
    if (!profile && saved > 0) {
      // Profiles exist but none is active (the active one was deleted): say so, one click to pick one.
      this.item.text = '$(key) R2: none active';
      this.item.tooltip = `${saved === 1 ? 'One R2 credential profile is' : `${saved} R2 credential profiles are`} saved, but none is active. Click to select one.`;
      this.item.accessibilityInformation = { label: 'No R2 profile is active. Select one of the saved credential profiles.' };
      return;
    }
    if (!profile) {
      this.item.text = '$(key) No R2 profile';
      this.item.tooltip = 'No R2 credential profile is active. Click to set one up or select one.';
      this.item.accessibilityInformation = { label: 'No R2 profile is active. Select or set up a credential profile.' };
      return;
    }
    this.item.text = `$(key) R2: ${profile.label}`;
    this.item.tooltip = `R2 profile "${profile.label}": bucket ${profile.bucket}, ${describeLocation(profile)}, account ${profile.accountId}. Click to switch profile.`;
    this.item.accessibilityInformation = { label: `R2 profile ${profile.label} is active. Switch profile.` };
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
