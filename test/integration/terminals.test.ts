/**
 * R2 credentials in terminals and tasks, in the real VS Code: with the opt-in on, a new terminal's
 * environment holds the active profile's variables (its process writes a sha256 of them to a file —
 * never a value), a profile change updates them, off removes them. Create R2 Secret for Target on a
 * local target writes the profiles.yml entry (comments kept) and turns terminals on. Canary: no
 * key is in any file the workspace or VS Code wrote.
 */
import { assertNoCanary, keyPairCanaries } from '../support/canary';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckDBSecretsApi } from '../../src/extension/testApi';
import type { TerminalsOutcome } from '../../src/extension/terminals/terminalCommands';
import { environmentChecksum } from '../support/envChecksum';
import { TEST_ACCOUNT_ID } from '../support/testProfiles';
import { ScriptedProfileUi } from './scriptedProfileUi';
import { activateApi, runCommand as run, setProfile, waitFor } from './support';

const NAMES = ['R2_ACCESS_KEY_ID', 'R2_SECRET_KEY', 'CLOUDFLARE_ACCOUNT_ID', 'DUCKLAKE_NAME', 'R2_ENDPOINT', 'MOTHERDUCK_TOKEN', 'motherduck_token'];
/** Generated per run, never committed. */
const keysA = { accessKeyId: randomBytes(16).toString('hex'), secretAccessKey: randomBytes(32).toString('hex') };
const keysB = { accessKeyId: randomBytes(16).toString('hex'), secretAccessKey: randomBytes(32).toString('hex') };

describe('R2 credentials in terminals and tasks', function () {
  this.timeout(120_000);
  let api: DuckDBSecretsApi;
  let ui: ScriptedProfileUi;
  let restore: { dispose(): void }[];
  let folder: string;
  let scratch: string;
  /** Everything any test showed or asked, for the canary search at the end. */
  const shown: string[] = [];

  before(async () => {
    api = await activateApi();
    const workspace = vscode.workspace.workspaceFolders?.[0];
    assert.ok(workspace);
    folder = workspace.uri.fsPath;
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-terminals-'));
    await api.profiles.store.clearMotherDuckToken();
  });
  after(async () => {
    if (!api) return;
    await run('stopCredentialsInTerminals');
    for (const label of ['it-term-a', 'it-term-b']) {
      const profile = api.profiles.store.findByLabel(label);
      if (profile) await api.profiles.store.delete(profile.id);
    }
    for (const file of ['profiles.yml', '.env']) fs.rmSync(path.join(folder, file), { force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  });
  beforeEach(() => {
    ui = new ScriptedProfileUi();
    restore = [api.localSecrets.ui.use(ui), api.profiles.ui.use(ui)];
  });
  afterEach(() => {
    for (const r of restore) r.dispose();
    shown.push(...ui.shown, ui.askedText());
    assert.deepEqual(ui.unexpected, []);
  });

  /** Opens a terminal whose process writes the checksum of NAMES in its environment to a file, and returns it. */
  async function terminalChecksum(): Promise<string> {
    const out = path.join(scratch, `sum-${randomBytes(4).toString('hex')}.txt`);
    const script = path.join(scratch, 'checksum.js');
    const module = path.resolve(__dirname, '../support/envChecksum.js');
    fs.writeFileSync(script, `require('fs').writeFileSync(process.argv[2], require(${JSON.stringify(module)}).environmentChecksum(process.argv.slice(3), process.env));\n`);
    const terminal = vscode.window.createTerminal({
      name: 'duckdb-secrets checksum',
      shellPath: process.execPath,
      shellArgs: [script, out, ...NAMES],
      env: { ELECTRON_RUN_AS_NODE: '1' },
      isTransient: true,
    });
    try {
      await waitFor(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8').length === 64, 'the terminal to write its checksum');
      return fs.readFileSync(out, 'utf8');
    } finally {
      terminal.dispose();
    }
  }

  const expected = (values: Record<string, string>) => environmentChecksum(NAMES, { ...process.env, ...values });
  const profileValues = (keys: typeof keysA) => ({ R2_ACCESS_KEY_ID: keys.accessKeyId, R2_SECRET_KEY: keys.secretAccessKey, CLOUDFLARE_ACCOUNT_ID: TEST_ACCOUNT_ID, DUCKLAKE_NAME: 'lakehouse' });

  it('on: a new terminal gets the profile\'s variables; a .env with them is reported by name; the collection is not persistent', async () => {
    await setProfile(api, 'it-term-a', keysA);
    assert.equal(api.terminals.collection.persistent, false, 'never written to workspace storage');
    fs.writeFileSync(path.join(folder, '.env'), `R2_ACCESS_KEY_ID=${keysA.accessKeyId}\nR2_SECRET_KEY=stale-${keysA.secretAccessKey.slice(0, 8)}\n`);
    const outcome = await run<TerminalsOutcome>('useCredentialsInTerminals');
    assert.equal(outcome.state.kind, 'on');
    assert.deepEqual(outcome.dotEnv.map((c) => [c.same, c.different]), [[['R2_ACCESS_KEY_ID'], ['R2_SECRET_KEY']]]);
    assert.match(ui.shown.join('\n'), /\.env holds the same value for R2_ACCESS_KEY_ID and a different value for R2_SECRET_KEY/);
    assert.equal(api.terminals.workspaceState.get('duckdbSecrets.terminals.enabled'), true, 'the opt-in is a flag, not a value');
    assert.equal(api.terminals.service.statusText, '$(terminal) R2 env');
    const description = api.terminals.collection.description;
    shown.push(`collection description: ${typeof description === 'string' ? description : (description?.value ?? '')}`, `status: ${api.terminals.service.statusText ?? ''}`);
    assert.match(typeof description === 'string' ? description : (description?.value ?? ''), /R2 profile "it-term-a" from the OS keychain \(R2_ACCESS_KEY_ID, R2_SECRET_KEY, CLOUDFLARE_ACCOUNT_ID, DUCKLAKE_NAME\)/);
    assert.ok((await terminalChecksum()) === expected(profileValues(keysA)), 'the terminal environment holds profile A\'s values');
    fs.rmSync(path.join(folder, '.env'));
  });

  it('a profile change updates the variables', async () => {
    await setProfile(api, 'it-term-b', keysB);
    await waitFor(() => api.terminals.service.state.kind === 'on' && api.terminals.service.state.profile === 'it-term-b', 'the collection to follow profile B');
    assert.ok((await terminalChecksum()) === expected(profileValues(keysB)), 'the terminal environment holds profile B\'s values');
  });

  it('Create R2 Secret for Target on a local target: profiles.yml entry (comments kept) and terminals', async () => {
    const original = ['# team profiles: keep this comment', 'lakehouse:', '  target: dev', '  outputs:', '    dev:   # local file', '      type: duckdb', '      path: dev.duckdb', ''].join('\n');
    fs.writeFileSync(path.join(folder, 'profiles.yml'), original);
    ui.script('dev', 'Add a secrets: entry', 's3://');
    const result = await run<{ action: string; edit?: { actions: string[] } }>('createSecretForTarget');
    assert.equal(result.action, 'both');
    assert.deepEqual(result.edit?.actions, ['added']);
    assert.match(ui.asked[1]?.options.placeHolder ?? '', /dbt run opens its own DuckDB \(dev\.duckdb\) and creates its own session secrets/);
    const text = fs.readFileSync(path.join(folder, 'profiles.yml'), 'utf8');
    assert.ok(text.startsWith(original), 'every original line and comment stays');
    assert.match(text, /\n {6}secrets:\n {8}- type: s3\n {10}key_id: "\{\{ env_var\('R2_ACCESS_KEY_ID'\) \}\}"\n/);
    assert.equal(api.terminals.service.state.kind, 'on');
  });

  it('off removes the variables', async () => {
    await run('stopCredentialsInTerminals');
    assert.equal(api.terminals.service.state.kind, 'off');
    assert.equal(api.terminals.workspaceState.get('duckdbSecrets.terminals.enabled'), undefined);
    assert.equal(api.terminals.service.statusText, undefined);
    assert.ok((await terminalChecksum()) === expected({}), 'the terminal environment holds none of the values');
  });

  it('canary: no key is in a file the workspace or VS Code wrote, nor in messages or prompts', () => {
    const userData = path.resolve(api.profiles.globalStorageUri.fsPath, '../../..');
    fs.rmSync(path.join(folder, '.env'), { force: true }); // the test's own stand-in for a user's .env
    const roots = [folder, userData];
    const secrets = [keysA.accessKeyId, keysA.secretAccessKey, keysB.accessKeyId, keysB.secretAccessKey];
    let scanned = 0;
    const visit = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) visit(full);
        else if (entry.isFile() && fs.statSync(full).size < 50_000_000) {
          const bytes = fs.readFileSync(full);
          scanned++;
          for (const s of secrets) assert.ok(!bytes.includes(s), `a key is in ${full}`);
        }
      }
    };
    for (const root of roots) visit(root);
    assert.ok(scanned > 3, `scanned ${scanned} files`);
    assert.ok(shown.length > 0);
    assertNoCanary({ 'messages, prompts, the collection description and status': shown.join('\n') }, [...keyPairCanaries(keysA, 'profile A'), ...keyPairCanaries(keysB, 'profile B')]);
  });
});
