/**
 * The UI seam every command goes through: questions (Prompter) and notifications. The product uses
 * VS Code's; integration tests swap in a scripted prompter and a recording message sink with `use`.
 */
import * as vscode from 'vscode';
import type { Prompter } from '../core/prompts';
import { scrub } from '../core/redaction';

/** Notifications commands show. They are never awaited on a command's path. */
export interface Messages {
  info(message: string, ...actions: string[]): Thenable<string | undefined>;
  warning(message: string, ...actions: string[]): Thenable<string | undefined>;
}

export const windowMessages: Messages = {
  info: (message, ...actions) => vscode.window.showInformationMessage(scrub(message), ...actions),
  warning: (message, ...actions) => vscode.window.showWarningMessage(scrub(message), ...actions),
};

export interface CommandUi {
  readonly prompter: Prompter;
  readonly messages: Messages;
}

/** Holds the UI the commands use, so tests can put a scripted one in for a while. */
export class CommandUiHolder {
  constructor(private current: CommandUi) {}

  /** A Prompter that always asks through the UI in use, for commands that take only a Prompter. */
  readonly prompter: Prompter = {
    input: (options) => this.current.prompter.input(options),
    pick: (items, options) => this.current.prompter.pick(items, options),
    pickMany: (items, options) => this.current.prompter.pickMany(items, options),
    confirm: (message, label, options) => this.current.prompter.confirm(message, label, options),
  };

  get ui(): CommandUi {
    return this.current;
  }
  use(ui: CommandUi): { dispose(): void } {
    const previous = this.current;
    this.current = ui;
    return { dispose: () => (this.current = previous) };
  }
}
