/**
 * The questions commands ask, behind a small interface: VS Code's input boxes and quick picks in the
 * product (vscodePrompter.ts), scripted answers in tests (which fail instead of hanging). Escape
 * rejects with CancelledError, which the command wrapper treats as silence.
 */
export interface InputOptions {
  readonly title: string;
  readonly prompt: string;
  readonly value?: string;
  readonly placeHolder?: string;
  /** Masks what is typed (secret keys). */
  readonly password?: boolean;
  /** Returns an error message for an unacceptable value, or undefined. */
  readonly validate?: (value: string) => string | undefined;
}

export interface PickItem {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly picked?: boolean;
}

export interface PickOptions {
  readonly title: string;
  readonly placeHolder?: string;
}

export interface ConfirmOptions {
  readonly detail?: string;
  /** A modal dialog, for destructive or risky actions. */
  readonly modal?: boolean;
}

export interface Prompter {
  input(options: InputOptions): Promise<string>;
  pick<T extends PickItem>(items: readonly T[], options: PickOptions): Promise<T>;
  pickMany<T extends PickItem>(items: readonly T[], options: PickOptions): Promise<T[]>;
  /** Resolves true only when the user chose `confirmLabel`. */
  confirm(message: string, confirmLabel: string, options?: ConfirmOptions): Promise<boolean>;
}
