/**
 * "Store in a credential profile", run by the language server's code action. The server says
 * where the values are; this reads them from the editor's own copy of the document, saves them in
 * SecretStorage through the CredentialStore (a new profile, or keys of an existing one; a profile
 * already holding the same keys is reused, so nothing is stored twice), then replaces the statement
 * with a comment (or the literal with a reference) in one WorkspaceEdit, so Undo restores the text.
 */
import * as vscode from 'vscode';
import type { CredentialStore } from '../../core/credentials/credentialStore';
import { checkAccountId, checkLabel, inputValidator, validateProfile } from '../../core/credentials/profileValidation';
import type { ProfileInfo } from '../../core/credentials/profiles';
import { UserFacingError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { storedStatementComment, type StoreInProfileArgs } from '../../core/lsp/protocol';
import type { Prompter } from '../../core/prompts';
import { registerSecretValue } from '../../core/redaction';

export interface StoreDeps {
  readonly store: CredentialStore;
  readonly prompter: Prompter;
  readonly log: Logger;
  /** The secret Create R2 Secret makes by default (`secretName.dev` or `.prod`, by target). */
  readonly defaultSecretName: () => string;
}

export interface StoreResult {
  readonly profile?: ProfileInfo;
  readonly reused: boolean;
  readonly replaced: boolean;
}

const NEW_PROFILE = 'New credential profile…';

export async function storeInProfile(raw: unknown, deps: StoreDeps): Promise<StoreResult> {
  const args = parseArgs(raw);
  const uri = vscode.Uri.parse(args.uri, true);
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
  if (document.version !== args.version) throw new UserFacingError('The file changed since the fix was offered: run the fix again from the light bulb.');
  const read = (role: string): string | undefined => {
    const location = args.values.find((v) => v.role === role);
    if (!location) return undefined;
    const value = document.getText(toRange(location.range)).trim();
    registerSecretValue(value);
    return value;
  };
  const token = read('motherduck_token');
  let profile: ProfileInfo | undefined;
  let reused = false;
  if (token !== undefined) {
    const stored = deps.store.hasMotherDuckToken() ? await deps.store.motherDuckToken() : undefined;
    reused = stored === token;
    if (!reused) await deps.store.setMotherDuckToken(token);
  } else {
    const keys = { accessKeyId: read('key_id'), secretAccessKey: read('secret'), accountId: read('account_id') };
    const existing = await profileHolding(deps.store, keys.accessKeyId, keys.secretAccessKey);
    reused = existing !== undefined;
    profile = existing ?? (await saveKeys(keys, args, deps));
  }
  const replaced = await replaceText(document, args, profile, deps);
  deps.log.info(`Stored hardcoded credentials from ${vscode.workspace.asRelativePath(uri)} ${profile ? `in profile "${profile.label}"` : 'as the MotherDuck token'}${reused ? ' (already stored: nothing saved again)' : ''}`);
  return { ...(profile ? { profile } : {}), reused, replaced };
}

/** A stored profile with these keys (both given ones equal), read fresh from the keychain. */
async function profileHolding(store: CredentialStore, keyId: string | undefined, secret: string | undefined): Promise<ProfileInfo | undefined> {
  if (keyId === undefined && secret === undefined) return undefined;
  for (const profile of store.list()) {
    const credentials = await store.credentials(profile.id).catch(() => undefined);
    if (!credentials) continue;
    if ((keyId === undefined || credentials.accessKeyId === keyId) && (secret === undefined || credentials.secretAccessKey === secret)) return profile;
  }
  return undefined;
}

async function saveKeys(keys: { accessKeyId?: string; secretAccessKey?: string; accountId?: string }, args: StoreInProfileArgs, deps: StoreDeps): Promise<ProfileInfo> {
  const { store, prompter } = deps;
  const choices = [{ label: NEW_PROFILE, id: undefined as string | undefined }, ...store.list().map((p) => ({ label: p.label, description: 'replace its keys', id: p.id }))];
  const choice = choices.length === 1 ? choices[0] : await prompter.pick(choices, { title: 'Store in a credential profile', placeHolder: 'A new profile, or an existing one whose keys these replace' });
  const chosen = choice?.id !== undefined ? store.get(choice.id) : undefined;
  if (chosen) {
    return store.save(chosen.id, chosen, { ...(keys.accessKeyId ? { accessKeyId: keys.accessKeyId } : {}), ...(keys.secretAccessKey ? { secretAccessKey: keys.secretAccessKey } : {}) }, { activate: false });
  }
  const suggested = args.replaceWith.kind === 'statement' && args.replaceWith.secretName ? args.replaceWith.secretName : '';
  const label = await prompter.input({ title: 'New credential profile', prompt: 'Profile name', value: suggested, validate: inputValidator(checkLabel) });
  const accountId = keys.accountId ?? (await prompter.input({ title: 'New credential profile', prompt: 'Cloudflare account id (32 hex characters)', validate: inputValidator(checkAccountId) }));
  const accessKeyId = keys.accessKeyId ?? (await prompter.input({ title: 'New credential profile', prompt: 'Access key id', password: true }));
  const secretAccessKey = keys.secretAccessKey ?? (await prompter.input({ title: 'New credential profile', prompt: 'Secret access key', password: true }));
  registerSecretValue(accessKeyId);
  registerSecretValue(secretAccessKey);
  const valid = validateProfile({ label, accountId, accessKeyId, secretAccessKey });
  return store.save(undefined, valid.info, valid.secrets);
}

async function replaceText(document: vscode.TextDocument, args: StoreInProfileArgs, profile: ProfileInfo | undefined, deps: StoreDeps): Promise<boolean> {
  let newText: string | undefined;
  if (args.replaceWith.kind === 'statement') {
    newText = storedStatementComment(args.replaceWith.commentPrefix === '#' ? '#' : '--', profile?.label ?? 'MotherDuck token', args.replaceWith.secretName ?? deps.defaultSecretName());
  } else newText = args.replaceWith.reference;
  if (newText === undefined) return false;
  if (document.version !== args.version) throw new UserFacingError('The file changed while the credentials were stored: they are stored; remove them from the file by hand.');
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, toRange(args.replace), newText);
  return vscode.workspace.applyEdit(edit);
}

function toRange(range: StoreInProfileArgs['replace']): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** The arguments come from the language server: checked before use. */
function parseArgs(raw: unknown): StoreInProfileArgs {
  const args = raw as Partial<StoreInProfileArgs> | undefined;
  const isRange = (r: unknown): boolean => {
    const range = r as { start?: { line?: unknown; character?: unknown }; end?: { line?: unknown; character?: unknown } } | undefined;
    return [range?.start?.line, range?.start?.character, range?.end?.line, range?.end?.character].every((n) => Number.isInteger(n) && (n as number) >= 0);
  };
  if (
    !args ||
    typeof args.uri !== 'string' ||
    !Number.isInteger(args.version) ||
    !Array.isArray(args.values) ||
    !(args.values as unknown[]).every((v) => typeof (v as { role?: unknown } | undefined)?.role === 'string' && isRange((v as { range?: unknown }).range)) ||
    !isRange(args.replace) ||
    (args.replaceWith?.kind !== 'statement' && args.replaceWith?.kind !== 'literal')
  ) {
    throw new UserFacingError('Store in a credential profile runs from the light bulb on a hardcoded credential.');
  }
  return args as StoreInProfileArgs;
}
