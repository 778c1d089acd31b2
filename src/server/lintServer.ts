/**
 * The language server: documents in (incremental sync), diagnostics, code actions, completion and
 * hover out. It computes; the client forwards what only VS Code knows (hashes of stored keys, secret
 * names, listings) and runs the commands. Works over any connection, so tests run it in-process.
 * It never receives a credential value and logs none: log lines name files and counts only.
 */
import { fileURLToPath } from 'node:url';
import {
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { detectCredentials } from '../core/detect/detectCredentials';
import { fileKindOf, type FileKind } from '../core/detect/fileKind';
import type { Finding, KnownCredential, KnownHashes } from '../core/detect/finding';
import { globToRegExp, matchesAnyGlob } from '../core/lsp/globMatch';
import {
  BUCKET_LISTING_NOTIFICATION,
  DEFAULT_LINT_SETTINGS,
  KNOWN_CREDENTIALS_NOTIFICATION,
  SECRET_NAMES_NOTIFICATION,
  WHICH_SECRET_REQUEST,
  type BucketEntry,
  type BucketListingParams,
  type KnownCredentialEntry,
  type KnownCredentialsParams,
  type LintInitializationOptions,
  type LintSettings,
  type SecretNamesParams,
  type WhichSecretResult,
} from '../core/lsp/protocol';
import { codeActionsFor } from './codeActions';
import { completionsAt } from './completion';
import { toDiagnostic } from './diagnostics';
import { GitIgnoreCache } from './gitIgnore';
import { hoverText, listedEntry, r2PathAt, toHover } from './hover';
import { parseLintSettings } from './serverSettings';

interface Linted {
  readonly version: number;
  readonly items: readonly { readonly finding: Finding; readonly diagnostic: Diagnostic }[];
}

const MAX_NAMES = 10_000;
const MAX_ENTRIES = 100_000;
const WHICH_TIMEOUT_MS = 3000;

export interface LintServerOptions {
  /** Replaces `git check-ignore` (tests). */
  readonly isGitIgnored?: (file: string) => Promise<boolean>;
}

export function startLintServer(connection: Connection, options: LintServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const linted = new Map<string, Linted>();
  const pending = new Map<string, NodeJS.Immediate>();
  const gitIgnore = new GitIgnoreCache(options.isGitIgnored);
  let settings: LintSettings = DEFAULT_LINT_SETTINGS;
  let excludes: RegExp[] = [];
  let known: KnownHashes | undefined;
  let secretNames: readonly string[] = [];
  let bucket: readonly BucketEntry[] = [];
  let clientCommands = false;
  let roots: string[] = [];

  const applySettings = (next: LintSettings): void => {
    settings = next;
    excludes = next.exclude.map(globToRegExp);
    linted.clear();
    for (const document of documents.all()) schedule(document.uri);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as LintInitializationOptions;
    clientCommands = init.duckdbSecretsClient === true;
    settings = parseLintSettings(init.settings);
    excludes = settings.exclude.map(globToRegExp);
    roots = (params.workspaceFolders ?? []).map((f) => f.uri).concat(params.rootUri ? [params.rootUri] : []).flatMap((uri) => filePath(uri) ?? []);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        completionProvider: { triggerCharacters: ['/', "'", '"', ' '] },
        hoverProvider: true,
      },
      serverInfo: { name: 'duckdb-secrets' },
    };
  });

  connection.onInitialized(() => {
    connection.console.info('duckdb-secrets language server ready');
  });

  connection.onNotification(DidChangeConfigurationNotification.type, (params) => applySettings(parseLintSettings(params.settings, settings)));

  connection.onNotification(KNOWN_CREDENTIALS_NOTIFICATION, (params: Partial<KnownCredentialsParams> | undefined) => {
    known = knownHashes(params);
    linted.clear();
    for (const document of documents.all()) schedule(document.uri);
  });
  connection.onNotification(SECRET_NAMES_NOTIFICATION, (params: Partial<SecretNamesParams> | undefined) => {
    secretNames = listOf(params?.names)
      .filter((n): n is string => typeof n === 'string')
      .slice(0, MAX_NAMES);
  });
  connection.onNotification(BUCKET_LISTING_NOTIFICATION, (params: Partial<BucketListingParams> | undefined) => {
    bucket = listOf(params?.entries).filter(isBucketEntry).slice(0, MAX_ENTRIES);
  });

  function schedule(uri: string): void {
    if (pending.has(uri)) return;
    pending.set(
      uri,
      setImmediate(() => {
        pending.delete(uri);
        void publish(uri);
      }),
    );
  }

  function kindOf(document: TextDocument): FileKind {
    return fileKindOf(document.uri, document.languageId);
  }

  function excluded(uri: string): boolean {
    if (excludes.length === 0) return false;
    const path = filePath(uri) ?? uri;
    const relative = roots.flatMap((root) => (path.startsWith(`${root}/`) ? [path.slice(root.length + 1)] : []));
    return [path, ...relative].some((p) => matchesAnyGlob(p, excludes));
  }

  async function lint(document: TextDocument): Promise<Linted> {
    const cached = linted.get(document.uri);
    if (cached?.version === document.version) return cached;
    const kind = kindOf(document);
    if (!settings.enable || kind === 'text' || excluded(document.uri)) return { version: document.version, items: [] };
    const text = document.getText();
    const findings = detectCredentials(text, kind, { envNames: settings.envNames, ...(known ? { knownHashes: known } : {}) });
    const file = kind === 'env' && findings.length > 0 ? filePath(document.uri) : undefined;
    const ignoredEnvFile = file ? await gitIgnore.isIgnored(file) : false;
    const context = { configured: settings.severity, ignoredEnvFile };
    const result = { version: document.version, items: findings.map((finding) => ({ finding, diagnostic: toDiagnostic(finding, context) })) };
    // The document may have changed while git answered: keep only a current result.
    if (documents.get(document.uri)?.version === document.version) linted.set(document.uri, result);
    return result;
  }

  async function publish(uri: string): Promise<void> {
    const document = documents.get(uri);
    if (!document) return;
    const result = await lint(document);
    if (documents.get(uri)?.version !== result.version) return;
    await connection.sendDiagnostics({ uri, version: result.version, diagnostics: result.items.map((i) => i.diagnostic) });
  }

  documents.onDidChangeContent((event) => schedule(event.document.uri));
  documents.onDidClose((event) => {
    linted.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.onCodeAction(async (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const result = await lint(document);
    const start = document.offsetAt(params.range.start);
    const end = document.offsetAt(params.range.end);
    const here = result.items.filter(({ finding }) => finding.start <= end && start <= finding.end);
    return codeActionsFor(here, {
      uri: document.uri,
      version: document.version,
      text: document.getText(),
      path: filePath(document.uri) ?? document.uri,
      fileKind: kindOf(document),
      clientCommands,
    });
  });

  connection.onCompletion((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    return completionsAt(document.getText(), document.offsetAt(params.position), params.position, { secretNames, bucket });
  });

  connection.onHover(async (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    const { line } = params.position;
    const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
    const found = r2PathAt(lineText, params.position);
    if (!found) return null;
    const which = clientCommands ? await askWhichSecret(found.path) : undefined;
    return toHover(found.path, found.start, found.end, line, hoverText(found.path, which, listedEntry(found.path, bucket)));
  });

  async function askWhichSecret(path: string): Promise<WhichSecretResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<WhichSecretResult>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'unavailable', reason: 'the editor did not answer in time' }), WHICH_TIMEOUT_MS);
    });
    try {
      return await Promise.race([connection.sendRequest<WhichSecretResult>(WHICH_SECRET_REQUEST, { path }), timeout]);
    } catch {
      return { kind: 'unavailable', reason: 'the editor could not ask DuckDB' };
    } finally {
      clearTimeout(timer);
    }
  }

  documents.listen(connection);
  connection.listen();
}

/** What a client sends is checked: an array, or nothing. */
function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function isBucketEntry(value: unknown): value is BucketEntry {
  const entry = value as Partial<BucketEntry> | undefined;
  return typeof entry?.uri === 'string' && entry.uri.startsWith('r2://') && (entry.kind === 'folder' || entry.kind === 'object');
}

const ROLES = new Set(['key_id', 'secret', 'session_token', 'motherduck_token', 'password']);

function knownHashes(params: Partial<KnownCredentialsParams> | undefined): KnownHashes | undefined {
  const entries = listOf(params?.entries);
  if (typeof params?.salt !== 'string' || entries.length === 0) return undefined;
  const hashes = new Map<string, KnownCredential>();
  for (const value of entries.slice(0, MAX_NAMES)) {
    const entry = value as Partial<KnownCredentialEntry> | undefined;
    if (typeof entry?.hash !== 'string' || !/^[0-9a-f]{64}$/.test(entry.hash) || !ROLES.has(entry.role ?? '')) continue;
    hashes.set(entry.hash, {
      role: entry.role as KnownCredential['role'],
      ...(typeof entry.provider === 'string' ? { provider: entry.provider } : {}),
      ...(typeof entry.label === 'string' ? { label: entry.label.slice(0, 200) } : {}),
    });
  }
  return { salt: params.salt, hashes };
}

function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri).replace(/\\/g, '/');
  } catch {
    return undefined;
  }
}
