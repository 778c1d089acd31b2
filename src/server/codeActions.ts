/**
 * Code actions on findings: "Replace with a reference" (a WorkspaceEdit), "Store in a credential
 * profile" (a client command told where the values are, never what they are) and, in `.env` files,
 * "Import into a credential profile". Only a client that said it can run the commands gets them.
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import type { FileKind } from '../core/detect/fileKind';
import type { Finding, LspRange, SecretStatement } from '../core/detect/finding';
import { IMPORT_ENV_COMMAND, STORE_IN_PROFILE_COMMAND, type StoreInProfileArgs, type StoredValueLocation } from '../core/lsp/protocol';
import { referenceFix } from '../core/lsp/references';

export interface ActionContext {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly path: string;
  readonly fileKind: FileKind;
  readonly clientCommands: boolean;
}

/** The fields of a `CREATE SECRET` a profile takes, by field key. */
const PROFILE_FIELDS: Readonly<Record<string, StoredValueLocation['role']>> = { key_id: 'key_id', secret: 'secret', account_id: 'account_id' };

export function codeActionsFor(findings: readonly { finding: Finding; diagnostic: Diagnostic }[], context: ActionContext): CodeAction[] {
  const actions: CodeAction[] = [];
  const statementsDone = new Set<SecretStatement>();
  let importOffered = false;
  for (const { finding, diagnostic } of findings) {
    const fix = referenceFix(finding, context.text, context.path);
    if (fix) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        edit: { changes: { [context.uri]: fix.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
      });
    }
    if (!context.clientCommands) continue;
    const store = storeArgs(finding, context, fix?.reference);
    if (store && !(finding.statement && statementsDone.has(finding.statement))) {
      if (finding.statement) statementsDone.add(finding.statement);
      actions.push({
        title: store.replaceWith.kind === 'statement' ? 'Store this secret in a credential profile' : 'Store in a credential profile',
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: 'Store in a credential profile', command: STORE_IN_PROFILE_COMMAND, arguments: [store] },
      });
    }
    if (context.fileKind === 'env' && !importOffered) {
      importOffered = true;
      actions.push({
        title: 'Import into a credential profile',
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: 'Import into a credential profile', command: IMPORT_ENV_COMMAND },
      });
    }
  }
  return actions;
}

function storeArgs(finding: Finding, context: ActionContext, reference: string | undefined): StoreInProfileArgs | undefined {
  const statement = finding.statement;
  if (statement) {
    const values = statement.fields.flatMap((field) => {
      const role = PROFILE_FIELDS[field.key];
      return role && field.value.end > field.value.start ? [{ role, provider: statement.provider, range: field.value.range }] : [];
    });
    const hasKeys = values.some((v) => v.role === 'key_id') && values.some((v) => v.role === 'secret');
    if (!hasKeys || (statement.provider !== 'r2' && statement.provider !== 'unknown')) return undefined;
    return {
      uri: context.uri,
      version: context.version,
      values,
      replace: statement.range.range,
      replaceWith: { kind: 'statement', ...(statement.name ? { secretName: statement.name } : {}), commentPrefix: '--' },
    };
  }
  const storable = finding.role === 'motherduck_token' || ((finding.role === 'key_id' || finding.role === 'secret') && (finding.provider === 'r2' || finding.provider === 'unknown'));
  if (!storable || finding.kind === 'account_id') return undefined;
  const replace: LspRange = reference ? finding.literal.range : finding.range;
  return {
    uri: context.uri,
    version: context.version,
    values: [{ role: finding.role, provider: finding.provider, range: finding.range }],
    replace,
    replaceWith: { kind: 'literal', ...(reference ? { reference } : {}) },
  };
}
