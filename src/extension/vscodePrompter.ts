/** The Prompter the product uses: VS Code input boxes, quick picks and message dialogs. */
import * as vscode from 'vscode';
import { CancelledError } from '../core/errors';
import type { ConfirmOptions, InputOptions, PickItem, PickOptions, Prompter } from '../core/prompts';

export class VsCodePrompter implements Prompter {
  async input(options: InputOptions): Promise<string> {
    const value = await vscode.window.showInputBox({
      title: options.title,
      prompt: options.prompt,
      value: options.value,
      placeHolder: options.placeHolder,
      password: options.password,
      ignoreFocusOut: true,
      validateInput: options.validate,
    });
    if (value === undefined) throw new CancelledError();
    return value;
  }

  async pick<T extends PickItem>(items: readonly T[], options: PickOptions): Promise<T> {
    const picked = await vscode.window.showQuickPick(items, { title: options.title, placeHolder: options.placeHolder, ignoreFocusOut: true });
    if (picked === undefined) throw new CancelledError();
    return picked;
  }

  async pickMany<T extends PickItem>(items: readonly T[], options: PickOptions): Promise<T[]> {
    const picked = await vscode.window.showQuickPick(items, {
      title: options.title,
      placeHolder: options.placeHolder,
      canPickMany: true,
      ignoreFocusOut: true,
    });
    if (picked === undefined) throw new CancelledError();
    return picked;
  }

  async confirm(message: string, confirmLabel: string, options: ConfirmOptions = {}): Promise<boolean> {
    const choice = await vscode.window.showWarningMessage(message, { modal: options.modal ?? false, detail: options.detail }, confirmLabel);
    return choice === confirmLabel;
  }
}
