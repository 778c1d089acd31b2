/** A one-line tree row that is not data: an error ("… click for log"), an empty folder, a note. Both views use it. */
import * as vscode from 'vscode';
import { CONTEXT } from './contextValues';
import { scrub } from '../core/redaction';

export class MessageNode {
  constructor(
    readonly text: string,
    readonly icon: string,
    readonly command?: vscode.Command,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const text = scrub(this.text);
    const item = new vscode.TreeItem(text, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = CONTEXT.message;
    item.command = this.command;
    item.tooltip = text;
    return item;
  }
}
