/**
 * R2 credential profiles in the real VS Code: the four commands driven through executeCommand, with
 * a scripted Prompter and a recording message sink put in through the extension's API. The
 * extension host's own environment has none of the R2 variables, so imports read a `.env` written
 * into the opened workspace folder (and deleted after each test).
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CredentialStore, SECRET_KEYS, STATE_KEYS } from '../../src/core/credentials/credentialStore';
import type { DuckDBSecretsApi } from '../../src/extension/testApi';
import { MemoryLogger } from '../../src/core/logger';
import type { ProfileInfo } from '../../src/core/credentials/profiles';
import { TEST_ACCOUNT_ID } from '../support/testProfiles';
import { ScriptedProfileUi } from './scriptedProfileUi';
import { activateApi, EXTENSION_ID, failing, profileArgument, readLog, runCommand as run, waitFor } from './support';

const ENV_NAMES = ['R2_ACCESS_KEY_ID', 'R2_SECRET_KEY', 'CLOUDFLARE_ACCOUNT_ID', 'DUCKLAKE_NAME', 'R2_ENDPOINT'];

describe('R2 credential profiles', () => {
  let api: DuckDBSecretsApi;
  let ui: ScriptedProfileUi;
  let restoreUi: { dispose(): void };
  let dotEnvPath: string;

  before(async () => {
    api = await activateApi();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration tier opens a workspace folder');
    dotEnvPath = path.join(folder.uri.fsPath, '.env');
    const inEnv = ENV_NAMES.filter((name) => process.env[name]);
    assert.deepEqual(inEnv, [], 'these tests expect no R2 variables in the extension host environment');
  });

  const deleteAllProfiles = async () => {
    for (const profile of api.profiles.store.list()) await api.profiles.store.delete(profile.id);
  };
  after(deleteAllProfiles); // later suites set up the profiles they need

  beforeEach(async () => {
    await deleteAllProfiles();
    ui = new ScriptedProfileUi();
    restoreUi = api.profiles.ui.use(ui);
  });

  afterEach(() => {
    restoreUi.dispose();
    fs.rmSync(dotEnvPath, { force: true });
    assert.deepEqual(ui.unexpected, [], 'every question was scripted and every answer valid');
    assert.deepEqual(ui.leftOver(), [], 'every scripted answer was asked for');
  });

  const writeDotEnv = (values: Record<string, string>) =>
    fs.writeFileSync(dotEnvPath, Object.entries(values).map(([k, v]) => `${k}=${v}\n`).join(''));
  const profileObject = (label: string, extra: Record<string, unknown> = {}) =>
    profileArgument(label, { accessKeyId: `AKID${label}0000`, secretAccessKey: `SECRET${label}0000` }, extra);
  const snapshot = async () => ({
    state: JSON.stringify([api.profiles.globalState.get(STATE_KEYS.profiles), api.profiles.globalState.get(STATE_KEYS.activeProfileId)]),
    secrets: await Promise.all(
      api.profiles.store.list().flatMap((p) => [api.profiles.secretStorage.get(SECRET_KEYS.accessKeyId(p.id)), api.profiles.secretStorage.get(SECRET_KEYS.secretAccessKey(p.id))]),
    ),
  });

  it('imports from a .env file in the workspace folder, recognizing the EU endpoint and the default bucket', async () => {
    writeDotEnv({
      R2_ACCESS_KEY_ID: 'AKIDfromdotenv',
      R2_SECRET_KEY: '"SECRETfromdotenv\\n"',
      CLOUDFLARE_ACCOUNT_ID: TEST_ACCOUNT_ID,
      R2_ENDPOINT: `https://${TEST_ACCOUNT_ID}.eu.r2.cloudflarestorage.com`,
    });
    const saved = await run<ProfileInfo>('importCredentialsFromEnv', { label: 'dev' });
    assert.equal(saved?.label, 'dev');
    assert.deepEqual(
      { ...(await api.credentials.activeCredentials()), id: undefined },
      { id: undefined, label: 'dev', accountId: TEST_ACCOUNT_ID, bucket: 'eo_pv_lakehouse', jurisdiction: 'eu', accessKeyId: 'AKIDfromdotenv', secretAccessKey: 'SECRETfromdotenv' },
    );
    assert.equal(ui.shown.length, 2, 'the summary, then the bucket-name warning on its own');
    assert.match(ui.shown[0] ?? '', new RegExp(`^Imported R2 profile "dev" from ${escape(dotEnvPath)} \\(EU jurisdiction, bucket eo_pv_lakehouse\\), now active\\.`));
    assert.match(ui.shown[0] ?? '', /R2_SECRET_KEY: removed a line break .* DUCKLAKE_NAME is not set: bucket eo_pv_lakehouse\.$/);
    assert.match(ui.shown[1] ?? '', /^DUCKLAKE_NAME "eo_pv_lakehouse" does not follow R2's naming rule .*: it contains "_"\. Keep it only if the bucket really has this name\.$/);
    assert.equal(api.profiles.statusBar.text, '$(key) R2: dev');
  });

  it('asks before a partial import: declining saves nothing, accepting asks only for what is missing', async () => {
    writeDotEnv({ R2_ACCESS_KEY_ID: 'AKIDpartial', CLOUDFLARE_ACCOUNT_ID: TEST_ACCOUNT_ID, DUCKLAKE_NAME: 'my-lake' });
    ui.script(false);
    assert.equal(await run('importCredentialsFromEnv', { label: 'partial' }), undefined);
    assert.deepEqual(api.profiles.store.list(), []);
    assert.match(ui.askedText(), /Missing R2 credentials: R2_SECRET_KEY \(looked in the extension host's environment and .*\.env\)/);

    ui.script(true, 'SECRETtyped');
    await run('importCredentialsFromEnv', { label: 'partial' });
    const credentials = await api.credentials.activeCredentials();
    assert.deepEqual([credentials?.label, credentials?.bucket, credentials?.accessKeyId, credentials?.secretAccessKey], ['partial', 'my-lake', 'AKIDpartial', 'SECRETtyped']);
  });

  it('edits through input boxes prefilled from the profile, the secret masked, Enter keeping the keys', async () => {
    const dev = await run<ProfileInfo>('setCredentials', profileObject('dev', { jurisdiction: 'eu' }));
    assert.ok(dev);
    ui.script('dev', TEST_ACCOUNT_ID, '', '', 'eo_pv_lakehouse', 'Keep "eo_pv_lakehouse"', 'Custom endpoint', 'http://127.0.0.1:9000/');
    await run('setCredentials', dev.id);
    const inputs = ui.asked.filter((q) => q.kind === 'input');
    assert.deepEqual(
      inputs.map((q) => [q.options.value, q.options.password ?? false]),
      [
        ['dev', false],
        [TEST_ACCOUNT_ID, false],
        [undefined, false],
        [undefined, true],
        ['lakehouse', false],
        [undefined, false],
      ],
    );
    const credentials = await api.profiles.store.credentials(dev.id);
    assert.deepEqual(
      [credentials.accessKeyId, credentials.secretAccessKey, credentials.bucket, credentials.jurisdiction, credentials.customEndpoint],
      ['AKIDdev0000', 'SECRETdev0000', 'eo_pv_lakehouse', 'custom', 'http://127.0.0.1:9000'],
    );
  });

  it('a command argument never moves a profile\'s endpoint while it keeps the keys without a modal (issue 19, item 7)', async () => {
    const dev = await run<ProfileInfo>('setCredentials', profileObject('dev'));
    assert.ok(dev);
    ui.script(false);
    await run('setCredentials', { id: dev.id, label: 'dev', accountId: TEST_ACCOUNT_ID, bucket: dev.bucket, jurisdiction: 'custom', customEndpoint: 'http://127.0.0.1:9/' });
    assert.deepEqual(
      [api.profiles.store.get(dev.id)?.jurisdiction, api.profiles.store.get(dev.id)?.customEndpoint],
      ['default', undefined],
      'the endpoint moved without the user\'s yes',
    );
    assert.match(ui.askedText(), /Send the keys of R2 profile \\+"dev\\+" to http:\/\/127\.0\.0\.1:9 instead of default endpoint\?/);
    ui.script(true);
    await run('setCredentials', { id: dev.id, label: 'dev', accountId: TEST_ACCOUNT_ID, bucket: dev.bucket, jurisdiction: 'custom', customEndpoint: 'http://127.0.0.1:9/' });
    assert.equal(api.profiles.store.get(dev.id)?.jurisdiction, 'custom');
  });

  it('import asks before taking R2_ENDPOINT from another place than the keys, or a non-Cloudflare host (issue 19, item 3)', async () => {
    writeDotEnv({ R2_ACCESS_KEY_ID: 'AKIDfromdotenv', R2_SECRET_KEY: 'SECRETfromdotenv', CLOUDFLARE_ACCOUNT_ID: TEST_ACCOUNT_ID, R2_ENDPOINT: 'http://127.0.0.1:9' });
    ui.script(false);
    assert.equal(await run('importCredentialsFromEnv', { label: 'dev' }), undefined);
    assert.deepEqual(api.profiles.store.list(), [], 'saved a profile pointing at a host nobody confirmed');
    assert.match(ui.askedText(), /R2_ENDPOINT names 127\.0\.0\.1:9, which is not a Cloudflare R2 host/);
  });

  it('changes nothing when Escape is pressed at any step', async () => {
    const dev = await run<ProfileInfo>('setCredentials', profileObject('dev'));
    assert.ok(dev);
    const before = await snapshot();
    ui.shown.length = 0;
    const answers = ['renamed', 'f'.repeat(32), 'AKIDnew0000', 'SECRETnew0000', 'other_bucket', 'Keep "other_bucket"', 'Custom endpoint', 'localhost:9000'];
    for (let step = 0; step < answers.length; step++) {
      ui.script(...answers.slice(0, step), ScriptedProfileUi.ESCAPE);
      await run('setCredentials', dev.id);
      assert.deepEqual(await snapshot(), before, `Escape at step ${step + 1}`);
    }
    ui.script('Set R2 Credentials…', ScriptedProfileUi.ESCAPE);
    await run('selectProfile');
    ui.script(ScriptedProfileUi.ESCAPE);
    await run('deleteProfile');
    assert.deepEqual(await snapshot(), before);
    assert.deepEqual(ui.shown, []);
  });

  it('switches profiles from a quick pick or an argument, and the status bar follows', async () => {
    await run('setCredentials', profileObject('dev'));
    await run('setCredentials', profileObject('prod'));
    assert.equal(api.profiles.statusBar.text, '$(key) R2: prod');
    ui.script('dev');
    await run('selectProfile');
    assert.deepEqual(ui.asked[0]?.items?.map((i) => i.label).slice(0, 2), ['prod', 'dev'], 'the active profile comes first');
    assert.equal(api.profiles.statusBar.text, '$(key) R2: dev');
    assert.equal((await api.credentials.activeCredentials())?.accessKeyId, 'AKIDdev0000');
    await run('selectProfile', 'prod');
    assert.equal((await api.credentials.activeCredentials())?.secretAccessKey, 'SECRETprod0000');
  });

  it('deletes a profile only after asking, keys included', async () => {
    const dev = await run<ProfileInfo>('setCredentials', profileObject('dev'));
    assert.ok(dev);
    ui.shown.length = 0;
    ui.script(false);
    await run('deleteProfile', dev.id);
    assert.equal(api.profiles.store.list().length, 1);
    ui.script('dev', true);
    await run('deleteProfile');
    assert.deepEqual(api.profiles.store.list(), []);
    assert.equal(await api.profiles.secretStorage.get(SECRET_KEYS.secretAccessKey(dev.id)), undefined);
    assert.deepEqual(ui.shown, ['Deleted R2 profile "dev".']);
    assert.equal(api.profiles.statusBar.text, '$(key) No R2 profile');
  });

  it('deleting the active profile while others exist: the status bar says none is active, and one is offered', async () => {
    const dev = await run<ProfileInfo>('setCredentials', profileObject('dev'));
    await run('setCredentials', profileObject('prod'));
    ui.shown.length = 0;
    ui.script(ScriptedProfileUi.ESCAPE);
    await run('deleteProfile', { profileId: api.profiles.store.findByLabel('prod')?.id, confirmed: true });
    const offer = ui.asked.at(-1);
    assert.equal(offer?.kind, 'pick');
    assert.match(offer?.options.title ?? '', /^Deleted R2 profile "prod": no profile is active$/);
    assert.deepEqual(offer?.items?.map((i) => i.label), ['dev']);
    assert.equal(api.profiles.store.activeProfile(), undefined);
    assert.equal(api.profiles.statusBar.text, '$(key) R2: none active');
    assert.match(api.profiles.statusBar.tooltip, /^One R2 credential profile is saved, but none is active\. Click to select one\.$/);
    assert.deepEqual(ui.shown, ['Deleted R2 profile "prod". No profile is active now.']);

    await run('selectProfile', dev?.id);
    await run('setCredentials', profileObject('prod'));
    ui.script('dev');
    await run('deleteProfile', { profileId: api.profiles.store.findByLabel('prod')?.id, confirmed: true });
    assert.equal(api.profiles.store.activeProfile()?.label, 'dev');
    assert.equal(api.profiles.statusBar.text, '$(key) R2: dev');
    assert.equal(ui.shown.at(-1), 'Deleted R2 profile "prod". Profile "dev" is active now.');
  });

  it('keeps profiles in SecretStorage and globalState: a new store over them (as after a reload) sees them and hears changes', async () => {
    // workbench.action.reloadWindow would end the extension host running these tests, so the reload
    // is stood in for by a second store over the same context.secrets and globalState.
    const dev = await run<ProfileInfo>('setCredentials', profileObject('dev'));
    const reopened = new CredentialStore(api.profiles.secretStorage, api.profiles.globalState, new MemoryLogger());
    try {
      assert.deepEqual(reopened.list(), api.profiles.store.list());
      assert.equal((await reopened.activeCredentials())?.secretAccessKey, 'SECRETdev0000');
      let heard = false;
      reopened.onDidChange(() => (heard = true));
      await run('setCredentials', profileObject('prod'));
      await waitFor(() => heard, 'the other store to hear of the change through secrets.onDidChange');
      assert.equal(reopened.activeProfile()?.label, 'prod');
      assert.notEqual(reopened.activeProfile()?.id, dev?.id);
    } finally {
      reopened.dispose();
    }
  });

  it('never shows, logs or stores a canary secret outside the keychain, whatever command runs', async () => {
    const canary = `CANARY${randomUUID().replace(/-/g, '')}`;
    const canaryKeyId = `KEYCANARY${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const badCanary = `BADCANARY ${randomUUID()}`;

    const saved = await run<ProfileInfo>('setCredentials', profileObject('canary', { accessKeyId: canaryKeyId, secretAccessKey: canary }));
    assert.ok(saved);
    assert.equal(await api.profiles.secretStorage.get(SECRET_KEYS.secretAccessKey(saved.id)), canary, 'the canary is in the keychain');
    ui.script('canary', TEST_ACCOUNT_ID, '', `${canary}\n`, 'lakehouse', 'EU jurisdiction');
    await run('setCredentials', saved.id);
    writeDotEnv({ R2_ACCESS_KEY_ID: canaryKeyId, R2_SECRET_KEY: canary, CLOUDFLARE_ACCOUNT_ID: TEST_ACCOUNT_ID, DUCKLAKE_NAME: 'lake' });
    await run('importCredentialsFromEnv', { label: 'canary-env' });
    writeDotEnv({ R2_ACCESS_KEY_ID: canaryKeyId, CLOUDFLARE_ACCOUNT_ID: TEST_ACCOUNT_ID });
    ui.script(true, canary, 'canary-partial');
    await run('importCredentialsFromEnv');
    ui.script('canary');
    await run('selectProfile');
    await run('selectProfile', 'canary-env');
    ui.script(true);
    await run('deleteProfile', 'canary-partial');
    assert.equal((await api.credentials.activeCredentials())?.secretAccessKey, canary);

    // Failures: a key with a space inside (never registered for redaction), and an empty environment.
    await failing(api, () => run('setCredentials', profileObject('broken', { accountId: 'nothex', secretAccessKey: badCanary })), /R2 profile has 2 problems/);
    fs.rmSync(dotEnvPath, { force: true });
    await failing(api, () => run('importCredentialsFromEnv', { label: 'none' }), /Missing R2 credentials: R2_ACCESS_KEY_ID, R2_SECRET_KEY, CLOUDFLARE_ACCOUNT_ID/);

    const places: [string, string][] = [
      ['log', readLog(api)],
      ['messages', ui.shown.join('\n')],
      ['questions', ui.askedText()],
      ['status bar', `${api.profiles.statusBar.text}\n${api.profiles.statusBar.tooltip}`],
      ['globalState', api.profiles.globalState.keys().map((k) => `${k}=${JSON.stringify(api.profiles.globalState.get(k))}`).join('\n')],
      ['settings', settingsText()],
      ...settingsFiles().map((file): [string, string] => [file, fs.readFileSync(file, 'utf8')]),
    ];
    assert.match(places[0]?.[1] ?? '', /Created R2 profile "canary"/, 'the log read is the extension log');
    assert.match(places[4]?.[1] ?? '', /canary-env/, 'globalState holds the profiles');
    assert.ok(places.length >= 7, 'at least one settings.json was searched');
    for (const [where, text] of places) {
      for (const secret of [canary, canaryKeyId, badCanary, 'BADCANARY']) {
        assert.ok(!text.includes(secret), `${where} contains a secret value`);
      }
    }
  });

  function settingsText(): string {
    const contributed = Object.keys((vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { configuration: { properties: object } } }).contributes.configuration.properties);
    const config = vscode.workspace.getConfiguration();
    return contributed.map((key) => JSON.stringify(config.inspect(key))).join('\n');
  }

  function settingsFiles(): string[] {
    const user = path.resolve(api.profiles.globalStorageUri.fsPath, '..', '..', 'settings.json');
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => path.join(f.uri.fsPath, '.vscode', 'settings.json'));
    return [user, ...folders].filter((file) => fs.existsSync(file));
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
