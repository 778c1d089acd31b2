/**
 * An in-memory Memento (globalState) implementing VS Code's real interface. Values go through JSON
 * as in VS Code's storage, and `update(key, undefined)` removes the key. `failWith` makes updates
 * reject.
 */
import type { Memento } from 'vscode';

export class FakeMemento implements Memento {
  private readonly data = new Map<string, string>();
  failWith: Error | undefined;

  keys(): readonly string[] {
    return [...this.data.keys()];
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    const raw = this.data.get(key);
    return raw === undefined ? defaultValue : (JSON.parse(raw) as T);
  }

  async update(key: string, value: unknown): Promise<void> {
    await Promise.resolve();
    if (this.failWith) throw this.failWith;
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.stringify(value));
  }

  /** Everything stored, as text: what a canary search looks through. */
  dump(): string {
    return [...this.data].map(([key, value]) => `${key}=${value}`).join('\n');
  }
}
