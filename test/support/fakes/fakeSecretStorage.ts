/**
 * An in-memory SecretStorage implementing VS Code's real interface, for the plain-Node tier.
 * `failWith` makes every call reject the way a Linux machine without a running keyring does;
 * `failWhen` fails only chosen calls (e.g. the second write of a save).
 */
import type { Event, SecretStorage, SecretStorageChangeEvent } from 'vscode';

export type SecretOperation = 'get' | 'store' | 'delete';

export class FakeSecretStorage implements SecretStorage {
  readonly data = new Map<string, string>();
  failWith: Error | undefined;
  failWhen: ((operation: SecretOperation, key: string) => boolean) | undefined;
  readonly calls: { operation: SecretOperation; key: string }[] = [];
  private readonly listeners = new Set<(event: SecretStorageChangeEvent) => unknown>();

  readonly onDidChange: Event<SecretStorageChangeEvent> = (listener, thisArgs?: unknown, disposables?) => {
    const bound = (event: SecretStorageChangeEvent) => {
      listener.call(thisArgs, event);
    };
    this.listeners.add(bound);
    const disposable = { dispose: () => this.listeners.delete(bound) };
    disposables?.push(disposable);
    return disposable;
  };

  get(key: string): Promise<string | undefined> {
    return this.run('get', key, () => this.data.get(key));
  }

  store(key: string, value: string): Promise<void> {
    return this.run('store', key, () => {
      this.data.set(key, value);
      this.fire(key);
    });
  }

  delete(key: string): Promise<void> {
    return this.run('delete', key, () => {
      if (this.data.delete(key)) this.fire(key);
    });
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  private async run<T>(operation: SecretOperation, key: string, work: () => T): Promise<T> {
    this.calls.push({ operation, key });
    await Promise.resolve(); // the real one answers asynchronously, over IPC
    if (this.failWith) throw this.failWith;
    if (this.failWhen?.(operation, key)) throw keyringError();
    return work();
  }

  private fire(key: string): void {
    for (const listener of [...this.listeners]) listener({ key });
  }
}

/** The kind of error VS Code surfaces when libsecret finds no keyring. */
export function keyringError(): Error {
  return new Error('Cannot get password: The name org.freedesktop.secrets was not provided by any .service files');
}
