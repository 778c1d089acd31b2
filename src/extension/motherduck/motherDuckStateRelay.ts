/**
 * What the MotherDuck status bar item reads at activation, before the MotherDuck service exists:
 * "disconnected" (nothing can attach MotherDuck until a command or the Secrets view loads the
 * features), then the real connection's state and changes once it is attached.
 */
import type { MotherDuckConnection, MotherDuckState } from '../../core/motherduck/motherDuck';

const DISCONNECTED: MotherDuckState = { kind: 'disconnected' };

export class MotherDuckStateRelay {
  private connection: MotherDuckConnection | undefined;
  private readonly listeners = new Set<() => void>();

  get state(): MotherDuckState {
    return this.connection?.state ?? DISCONNECTED;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  attach(connection: MotherDuckConnection): void {
    this.connection = connection;
    connection.onDidChange(() => this.notify());
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
