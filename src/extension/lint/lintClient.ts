/**
 * The language client, bundled on its own (dist/lintClient.js) and required on first need. It
 * starts dist/server.js, forwards what only VS Code knows — salted hashes of the stored keys, the
 * session's secret names, the listed bucket folders, the settings — and answers `which_secret`.
 * No credential value is ever sent: only hashes with a salt made for this window.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, DidChangeConfigurationNotification, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { BucketTreeModel } from '../../core/bucket/bucketTreeModel';
import { r2Uri, type BucketFolder, type BucketObject, type BucketSource } from '../../core/bucket/bucketSource';
import type { CredentialStore } from '../../core/credentials/credentialStore';
import { hashCredential } from '../../core/detect/knownCredentials';
import { errorText } from '../../core/errors';
import type { Logger } from '../../core/logger';
import {
  BUCKET_LISTING_NOTIFICATION,
  KNOWN_CREDENTIALS_NOTIFICATION,
  SECRET_NAMES_NOTIFICATION,
  WHICH_SECRET_REQUEST,
  type BucketEntry,
  type KnownCredentialEntry,
  type LintInitializationOptions,
  type WhichSecretParams,
  type WhichSecretResult,
} from '../../core/lsp/protocol';
import type { LocalSecrets } from '../../core/secrets/localSecrets';
import type { SecretsTreeModel } from '../../core/secrets/secretsTreeModel';
import { affects, readSetting } from '../config';

/** A document filter both VS Code and LSP accept (a scheme, and a glob pattern or a language id). */
export interface LintFilter {
  scheme: string;
  pattern?: string;
  language?: string;
}

export interface LintClientDeps {
  readonly serverModule: string;
  readonly selector: LintFilter[];
  readonly store: CredentialStore;
  readonly secrets: SecretsTreeModel;
  readonly bucket: BucketTreeModel;
  readonly localSecrets: LocalSecrets;
  readonly isDuckDBOpen: () => boolean;
  readonly log: Logger;
}

export interface LintClientHandle {
  readonly client: LanguageClient;
  /** Sends the hashes of the stored credentials again (tests await it after storing a profile). */
  sendKnownCredentials(): Promise<void>;
  dispose(): Promise<void>;
}

const MAX_LISTED = 20_000;

export async function startLintClient(deps: LintClientDeps): Promise<LintClientHandle> {
  const started = performance.now();
  const serverOptions: ServerOptions = {
    run: { module: deps.serverModule, transport: TransportKind.ipc },
    debug: { module: deps.serverModule, transport: TransportKind.ipc },
  };
  const initializationOptions: LintInitializationOptions = { settings: lintSettings(), duckdbSecretsClient: true };
  const clientOptions: LanguageClientOptions = {
    documentSelector: deps.selector,
    initializationOptions,
    outputChannelName: 'DuckDB Secrets Language Server',
  };
  const client = new LanguageClient('duckdbSecrets.lint', 'DuckDB Secrets Language Server', serverOptions, clientOptions);
  const salt = randomBytes(16).toString('hex');
  const subscriptions: vscode.Disposable[] = [];

  client.onRequest(WHICH_SECRET_REQUEST, async (params: WhichSecretParams): Promise<WhichSecretResult> => {
    if (typeof params?.path !== 'string' || !params.path.startsWith('r2://')) return { kind: 'unavailable', reason: 'not an r2:// path' };
    // Hovering does not start DuckDB: it answers from a session that runs already.
    if (!deps.isDuckDBOpen()) return { kind: 'unavailable', reason: "DuckDB is not started in this window yet; run a DuckDB Secrets command first" };
    try {
      const applied = await deps.localSecrets.which(params.path);
      return applied ? { kind: 'secret', name: applied.name, storage: applied.storage } : { kind: 'none' };
    } catch (error) {
      deps.log.warn(`Hover: which_secret failed: ${errorText(error)}`);
      return { kind: 'unavailable', reason: 'which_secret failed; see the log' };
    }
  });

  await client.start();

  const sendKnownCredentials = async (): Promise<void> => {
    const entries = await knownCredentialEntries(deps.store, salt, deps.log);
    await client.sendNotification(KNOWN_CREDENTIALS_NOTIFICATION, { salt, entries });
  };
  const sendSecretNames = (): void => {
    const state = deps.secrets.state;
    const names = state.kind === 'loaded' ? [...new Set(state.secrets.map((s) => s.name))] : [];
    void client.sendNotification(SECRET_NAMES_NOTIFICATION, { names });
  };
  const sendListing = async (): Promise<void> => {
    const entries = await listedEntries(deps.bucket);
    await client.sendNotification(BUCKET_LISTING_NOTIFICATION, { entries });
  };
  const report = (what: string) => (error: unknown) => deps.log.warn(`Language server: sending ${what} failed: ${errorText(error)}`);

  await sendKnownCredentials().catch(report('the hashes of stored credentials'));
  sendSecretNames();
  await sendListing().catch(report('the bucket listing'));
  subscriptions.push(
    toDisposable(deps.store.onDidChange(() => void sendKnownCredentials().catch(report('the hashes of stored credentials')))),
    toDisposable(deps.store.onDidChangeMotherDuckToken(() => void sendKnownCredentials().catch(report('the hashes of stored credentials')))),
    toDisposable(deps.secrets.onDidChange(sendSecretNames)),
    toDisposable(deps.bucket.onDidChange(() => void sendListing().catch(report('the bucket listing')))),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!affects(event, 'lint.enable', 'lint.severity', 'lint.exclude', 'env.accessKeyId', 'env.secretKey', 'env.accountId')) return;
      void client.sendNotification(DidChangeConfigurationNotification.type, { settings: { duckdbSecrets: lintSettings() } });
    }),
  );
  deps.log.info(`Language server started in ${(performance.now() - started).toFixed(0)} ms`);

  return {
    client,
    sendKnownCredentials,
    dispose: async () => {
      for (const subscription of subscriptions) subscription.dispose();
      await client.stop();
    },
  };
}

/** The `duckdbSecrets` settings the server reads (names of variables and lint options; never a value). */
function lintSettings(): unknown {
  return {
    lint: { enable: readSetting('lint.enable'), severity: readSetting('lint.severity'), exclude: readSetting('lint.exclude') },
    env: { accessKeyId: readSetting('env.accessKeyId'), secretKey: readSetting('env.secretKey'), accountId: readSetting('env.accountId') },
  };
}

/** Salted hashes of every stored key id, secret and MotherDuck token. A profile whose keys cannot be read is left out. */
export async function knownCredentialEntries(store: CredentialStore, salt: string, log: Logger): Promise<KnownCredentialEntry[]> {
  const entries: KnownCredentialEntry[] = [];
  for (const profile of store.list()) {
    try {
      const credentials = await store.credentials(profile.id);
      entries.push(
        { hash: hashCredential(credentials.accessKeyId, salt), role: 'key_id', provider: 'r2', label: profile.label },
        { hash: hashCredential(credentials.secretAccessKey, salt), role: 'secret', provider: 'r2', label: profile.label },
      );
    } catch (error) {
      log.warn(`Language server: the keys of profile "${profile.label}" were not read: ${errorText(error)}`);
    }
  }
  if (store.hasMotherDuckToken()) {
    const token = await store.motherDuckToken().catch(() => undefined);
    if (token) entries.push({ hash: hashCredential(token, salt), role: 'motherduck_token', provider: 'motherduck' });
  }
  return entries;
}

/** The folders and objects the Bucket view has listed, as `r2://` URIs. */
async function listedEntries(model: BucketTreeModel): Promise<BucketEntry[]> {
  const source = model.source;
  if (!source) return [];
  const entries: BucketEntry[] = [{ uri: r2Uri(source.bucket), kind: 'folder' }];
  const listed = source.kind === 'snapshot' ? await walkSnapshot(source) : model.listedFolders();
  for (const { folders, objects } of listed) {
    for (const folder of folders) {
      entries.push({ uri: r2Uri(source.bucket, folder.prefix), kind: 'folder', ...(folder.totalSize !== undefined ? { size: folder.totalSize } : {}), ...(folder.lastModified ? { modified: folder.lastModified.toISOString() } : {}) });
    }
    for (const object of objects) {
      entries.push({ uri: r2Uri(source.bucket, object.key), kind: 'object', size: object.size, ...(object.lastModified ? { modified: object.lastModified.toISOString() } : {}) });
    }
    if (entries.length > MAX_LISTED) break;
  }
  return entries.slice(0, MAX_LISTED);
}

/** A snapshot (Test R2 Bucket's listing) is in memory: walk all of it, up to MAX_LISTED entries. */
async function walkSnapshot(source: BucketSource): Promise<{ folders: readonly BucketFolder[]; objects: readonly BucketObject[] }[]> {
  const out: { folders: readonly BucketFolder[]; objects: readonly BucketObject[] }[] = [];
  const queue = [source.rootPrefix];
  let count = 0;
  while (queue.length > 0 && count < MAX_LISTED) {
    const prefix = queue.shift() ?? '';
    let continuation: string | undefined;
    do {
      const page = await source.listPrefix(prefix, continuation);
      out.push(page);
      count += page.folders.length + page.objects.length;
      queue.push(...page.folders.map((f) => f.prefix));
      continuation = page.continuation;
    } while (continuation !== undefined && count < MAX_LISTED);
  }
  return out;
}

function toDisposable(subscription: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => subscription.dispose());
}
