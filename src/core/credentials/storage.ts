/**
 * The two stores the credential store needs, as structural interfaces: VS Code's `SecretStorage`
 * (the OS keychain) and `Memento` (globalState) satisfy them as they are, the unit tier passes
 * in-memory fakes, and no layer below the extension imports `vscode` for them.
 */

/** Secret values by key: the OS keychain in the extension. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  /** Fires when a key changes, in this window or another one. */
  onDidChange(listener: (event: { readonly key: string }) => unknown): { dispose(): unknown };
}

/** Non-secret values by key: globalState in the extension. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}
