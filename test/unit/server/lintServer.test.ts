/**
 * The language server over the real protocol: `node out/src/server/main.js --stdio`, spoken to
 * through its pipes. Key-shaped values come from the seeded generator; every byte the server
 * writes is searched for them at the end.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionItem, Diagnostic, Hover, Range } from 'vscode-languageserver/node';
import { hashCredential } from '../../../src/core/detect/knownCredentials';
import { BUCKET_LISTING_NOTIFICATION, KNOWN_CREDENTIALS_NOTIFICATION, SECRET_NAMES_NOTIFICATION, STORE_IN_PROFILE_COMMAND, WHICH_SECRET_REQUEST, type StoreInProfileArgs } from '../../../src/core/lsp/protocol';
import { assertNoCanary, idCanary, secretCanary, tokenCanaries } from '../../support/canary';
import { CredentialFixtures } from '../../support/credentialFixtures';
import { fakeMotherDuckToken } from '../../support/fakeTokens';
import { LspHarness } from '../../support/lspHarness';

const fixtures = new CredentialFixtures(1313);
const keyId = fixtures.r2KeyId();
const secret = fixtures.r2Secret();
const accountId = fixtures.accountId();
/** A stored value with no credential shape: found only through its salted hash. */
const storedPassword = `${fixtures.password()}-${fixtures.int(100000)}`;

function createSecret(name = 'lake'): string {
  return [`CREATE SECRET ${name} (`, '  TYPE r2,', `  KEY_ID '${keyId}',`, `  SECRET '${secret}',`, `  ACCOUNT_ID '${accountId}'`, ');', ''].join('\n');
}

/** The range of the first `value` in `text`. */
function rangeOf(text: string, value: string, from = 0): Range {
  const start = text.indexOf(value, from);
  assert.ok(start >= 0, 'the value is in the text');
  const before = text.slice(0, start).split('\n');
  const line = before.length - 1;
  const character = before[line]?.length ?? 0;
  return { start: { line, character }, end: { line, character: character + value.length } };
}

describe('language server over the protocol (node main.js --stdio)', function () {
  this.timeout(30_000);
  let server: LspHarness;
  let dir: string;
  let version = 0;
  const whichAsked: string[] = [];

  const uriOf = (name: string) => pathToFileURL(path.join(dir, name)).toString();

  async function open(name: string, text: string, languageId = 'plaintext'): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = uriOf(name);
    const v = ++version;
    const next = server.nextDiagnostics(uri, v);
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: v, text } });
    return { uri, diagnostics: await next };
  }

  async function actionsAt(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return server.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } });
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-lsp-'));
    execFileSync('git', ['init', '-q'], { cwd: dir });
    fs.writeFileSync(path.join(dir, '.gitignore'), '.env\n');
    server = LspHarness.start();
    server.connection.onRequest(WHICH_SECRET_REQUEST, (params: { path: string }) => {
      whichAsked.push(params.path);
      return { kind: 'secret', name: 'r2_dev_secret', storage: 'memory' };
    });
    const result = await server.connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).toString(),
      capabilities: {},
      initializationOptions: { duckdbSecretsClient: true, settings: { lint: { severity: 'warning' }, env: { secretKey: 'LAKE_SECRET' } } },
    });
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: 2 }, 'incremental sync');
    await server.connection.sendNotification('initialized', {});
  });

  after(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes a diagnostic per hardcoded key, with its range, code and source', async () => {
    const text = createSecret();
    const { diagnostics } = await open('setup.sql', text, 'sql');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.source, d.severity, d.range]),
      [
        ['key_id', 'duckdb-secrets', 2, rangeOf(text, keyId)],
        ['secret', 'duckdb-secrets', 2, rangeOf(text, secret)],
      ],
    );
  });

  it('follows incremental edits: a line inserted above moves the diagnostics down', async () => {
    const uri = uriOf('setup.sql');
    const v = ++version;
    const next = server.nextDiagnostics(uri, v);
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'INSTALL httpfs;\n' }],
    });
    const diagnostics = await next;
    const text = `INSTALL httpfs;\n${createSecret()}`;
    assert.deepEqual(diagnostics.map((d) => d.range), [rangeOf(text, keyId), rangeOf(text, secret)]);
  });

  it('offers to store the whole CREATE SECRET in a profile, sending locations and no value', async () => {
    const uri = uriOf('setup.sql');
    const text = `INSTALL httpfs;\n${createSecret()}`;
    const actions = await actionsAt(uri, rangeOf(text, secret), []);
    const store = actions.find((a) => a.command?.command === STORE_IN_PROFILE_COMMAND);
    assert.ok(store, `a store action among ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(store.kind, 'quickfix');
    const args = store.command?.arguments?.[0] as StoreInProfileArgs;
    assert.deepEqual(args.values.map((v) => [v.role, v.range]), [
      ['key_id', rangeOf(text, keyId)],
      ['secret', rangeOf(text, secret)],
      ['account_id', rangeOf(text, accountId)],
    ]);
    assert.deepEqual(args.replace, { start: { line: 1, character: 0 }, end: { line: 6, character: 2 } }, 'the whole statement with its semicolon');
    assert.deepEqual(args.replaceWith, { kind: 'statement', secretName: 'lake', commentPrefix: '--' });
    assert.ok(!actions.some((a) => a.edit), 'plain DuckDB SQL has no reference syntax to offer');
  });

  it('replaces a key with the idiomatic reference of dbt SQL, Python and shell, named by the env settings', async () => {
    const dbt = `{{ config(materialized='table') }}\n${createSecret()}`;
    const sql = await open('models/staging/setup.sql', dbt, 'jinja-sql');
    const dbtActions = await actionsAt(sql.uri, rangeOf(dbt, secret), sql.diagnostics);
    const dbtFix = dbtActions.find((a) => a.edit);
    assert.equal(dbtFix?.title, "Replace with {{ env_var('LAKE_SECRET') }}");
    assert.deepEqual(dbtFix?.edit?.changes?.[sql.uri], [{ range: rangeOf(dbt, secret), newText: "{{ env_var('LAKE_SECRET') }}" }]);

    const py = `import duckdb\n\nSECRET = "${secret}"\n`;
    const python = await open('load.py', py, 'python');
    const pyFix = (await actionsAt(python.uri, rangeOf(py, secret), python.diagnostics)).find((a) => a.edit);
    assert.deepEqual(pyFix?.edit?.changes?.[python.uri], [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'import os\n' },
      { range: rangeOf(py, `"${secret}"`), newText: 'os.environ["LAKE_SECRET"]' },
    ]);

    const sh = `duckdb -c "SELECT 1" --secret '${secret}'\naws_secret_access_key='${secret}' ./sync.sh\n`;
    const shell = await open('sync.sh', sh, 'shellscript');
    assert.ok(shell.diagnostics.length > 0, 'the shell file has findings');
    const last = shell.diagnostics[shell.diagnostics.length - 1];
    assert.ok(last);
    const shFix = (await actionsAt(shell.uri, last.range, [last])).find((a) => a.edit);
    assert.match(shFix?.title ?? '', /^Replace with "\$[A-Z_]+"$/);
  });

  it('gives a .env file git ignores Information, and offers the import', async () => {
    const env = `R2_ACCESS_KEY_ID=${keyId}\nR2_SECRET_KEY=${secret}\n`;
    const ignored = await open('.env', env);
    assert.deepEqual(ignored.diagnostics.map((d) => [d.code, d.severity]), [['key_id', 3], ['secret', 3]]);
    const actions = await actionsAt(ignored.uri, rangeOf(env, secret), ignored.diagnostics);
    assert.ok(actions.some((a) => a.title === 'Import into a credential profile' && a.command?.command === 'duckdbSecrets.importCredentialsFromEnv'));
    const tracked = await open('.env.production', env);
    assert.deepEqual(tracked.diagnostics.map((d) => d.severity), [2, 2], 'a .env file git does not ignore keeps Warning');
  });

  it('honours duckdb-secrets: ignore, the exclude globs and the severity setting', async () => {
    const ignoredLine = `-- duckdb-secrets: ignore\nSET s3_secret_access_key = '${secret}';\n`;
    assert.deepEqual((await open('ignored.sql', ignoredLine, 'sql')).diagnostics, []);

    const uri = uriOf('fixtures/sample.sql');
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: { duckdbSecrets: { lint: { exclude: ['fixtures/**'], severity: 'error' } } } });
    assert.deepEqual((await open('fixtures/sample.sql', createSecret(), 'sql')).diagnostics, [], `${uri} is excluded`);
    const other = await open('other.sql', createSecret(), 'sql');
    assert.deepEqual(other.diagnostics.map((d) => d.severity), [1, 1]);
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: { duckdbSecrets: { lint: { exclude: [], severity: 'warning' } } } });
  });

  it('finds a stored credential of any shape by its salted hash', async () => {
    const text = `target:\n  note: ${storedPassword}\n`;
    assert.deepEqual((await open('notes.yml', text, 'yaml')).diagnostics, [], 'nothing before the hashes are known');
    const salt = 'c0ffee'.repeat(5);
    const uri = uriOf('notes.yml');
    const next = server.nextDiagnostics(uri);
    await server.connection.sendNotification(KNOWN_CREDENTIALS_NOTIFICATION, { salt, entries: [{ hash: hashCredential(storedPassword, salt), role: 'secret', provider: 'r2', label: 'Lakehouse' }] });
    const diagnostics = await next;
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range]), [['secret', rangeOf(text, storedPassword)]]);
    assert.match(diagnostics[0]?.message ?? '', /profile 'Lakehouse'/);
  });

  it('completes secret names after DROP SECRET and in duckdb_secrets() filters', async () => {
    await server.connection.sendNotification(SECRET_NAMES_NOTIFICATION, { names: ['r2_dev_secret', 'r2_prod_secret'] });
    const text = "DROP SECRET r2_d\nSELECT * FROM duckdb_secrets() WHERE name = 'r2_\n";
    const { uri } = await open('names.sql', text, 'sql');
    const drop = await server.connection.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 16 } });
    assert.deepEqual(drop.map((i) => i.label), ['r2_dev_secret', 'r2_prod_secret']);
    assert.deepEqual(drop[0]?.textEdit && 'range' in drop[0].textEdit ? drop[0].textEdit.range : undefined, { start: { line: 0, character: 12 }, end: { line: 0, character: 16 } });
    const filter = await server.connection.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 48 } });
    assert.deepEqual(filter.map((i) => i.label), ['r2_dev_secret', 'r2_prod_secret']);
  });

  it('completes r2:// paths one level at a time, folders first, and hovers with the secret and size', async () => {
    await server.connection.sendNotification(BUCKET_LISTING_NOTIFICATION, {
      entries: [
        { uri: 'r2://lake/', kind: 'folder' },
        { uri: 'r2://lake/sales/', kind: 'folder', size: 4096 },
        { uri: 'r2://lake/sales/year=2024/part-0.parquet', kind: 'object', size: 2048, modified: '2026-01-02T03:04:05.000Z' },
        { uri: 'r2://lake/readme.csv', kind: 'object', size: 12 },
      ],
    });
    const text = "SELECT * FROM 'r2://lake/';\nSELECT * FROM 'r2://lake/sales/year=2024/part-0.parquet';\n";
    const { uri } = await open('paths.sql', text, 'sql');
    const items = await server.connection.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 25 } });
    const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.deepEqual(sorted.map((i) => i.label), ['sales/', 'readme.csv']);
    const hover = await server.connection.sendRequest<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 30 } });
    const value = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(value, /Secret: `r2_dev_secret` \(memory\)/);
    assert.match(value, /2\.0 KiB/);
    assert.deepEqual(whichAsked, ['r2://lake/sales/year=2024/part-0.parquet']);
  });

  it('code actions (titles, edits, arguments), hovers and completions at every finding say nothing of the value', async () => {
    const token = fakeMotherDuckToken('lsp-canary');
    const files: [string, string, string][] = [
      ['canary.sql', `${createSecret('canary')}ATTACH 'md:lake?motherduck_token=${token}';\n`, 'sql'],
      ['canary.py', `import duckdb\nKEY_ID = "${keyId}"\nSECRET = "${secret}"\nTOKEN = "${token}"\n`, 'python'],
      ['.env', `R2_ACCESS_KEY_ID=${keyId}\nLAKE_SECRET=${secret}\nmotherduck_token=${token}\n`, 'dotenv'],
    ];
    const surfaces: Record<string, string> = {};
    let findings = 0;
    for (const [name, text, languageId] of files) {
      const { uri, diagnostics } = await open(name, text, languageId);
      surfaces[`${name} diagnostics`] = JSON.stringify(diagnostics);
      for (const [i, diagnostic] of diagnostics.entries()) {
        findings++;
        const actions = await actionsAt(uri, diagnostic.range, [diagnostic]);
        assert.ok(actions.length > 0, `${name}: a fix is offered for ${String(diagnostic.code)}`);
        surfaces[`${name} #${i} action titles`] = actions.map((a) => a.title).join('\n');
        surfaces[`${name} #${i} actions`] = JSON.stringify(actions);
        const position = diagnostic.range.start;
        const hover = await server.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: position.line, character: position.character + 2 } });
        surfaces[`${name} #${i} hover`] = JSON.stringify(hover);
        const completion = await server.connection.sendRequest<unknown>('textDocument/completion', { textDocument: { uri }, position: diagnostic.range.end });
        surfaces[`${name} #${i} completion`] = JSON.stringify(completion);
      }
    }
    assert.ok(findings >= 6, `the files hold findings (${findings})`);
    surfaces['all traffic'] = server.written();
    assertNoCanary(surfaces, [idCanary('R2 access key id', keyId), secretCanary('R2 secret key', secret), ...tokenCanaries('MotherDuck token', token)]);
  });

  it('writes no key, secret or stored value to any message or to stderr', () => {
    const written = server.written();
    assert.ok(written.includes('publishDiagnostics'), 'the traffic was captured');
    assertNoCanary({ 'server output': written }, [idCanary('R2 access key id', keyId), secretCanary('R2 secret key', secret), secretCanary('stored password', storedPassword)]);
  });
});
