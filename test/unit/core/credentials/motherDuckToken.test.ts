/**
 * The MotherDuck token: checked when typed, found in the environment or a `.env`, kept only in
 * SecretStorage (the fake one here) behind a globalState flag, and never seen in logs, globalState,
 * messages or errors (canary).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CredentialStore, KeychainError, SECRET_KEYS, STATE_KEYS } from '../../../../src/core/credentials/credentialStore';
import { collectEnv, DEFAULT_ENV_NAMES, processEnvSource, readDotEnv } from '../../../../src/core/credentials/envImport';
import { MemoryLogger } from '../../../../src/core/logger';
import { checkMotherDuckToken, findTokenInSources, importMotherDuckToken, setTokenStatement } from '../../../../src/core/motherduck/motherDuck';
import { clearSecretValues, scrub } from '../../../../src/core/redaction';
import { FakeMemento } from '../../../support/fakes/fakeMemento';
import { FakeSecretStorage, keyringError } from '../../../support/fakes/fakeSecretStorage';
import { outsideTheKeychain, storeOnFakes } from '../../../support/fakes/storeOnFakes';

const CANARY = 'eyJhbGciOiJIUzI1NiJ9.md-canary-5c0ffee.sig';

describe('MotherDuck token', () => {
  let secrets: FakeSecretStorage;
  let state: FakeMemento;
  let log: MemoryLogger;
  let store: CredentialStore;

  beforeEach(() => {
    clearSecretValues();
    ({ secrets, state, log, store } = storeOnFakes());
  });
  afterEach(() => {
    store.dispose();
    clearSecretValues();
  });


  describe('checking a typed or pasted token', () => {
    it('trims surrounding whitespace, with a note', () => {
      assert.deepEqual(checkMotherDuckToken(` ${CANARY}\n`), { ok: true, token: CANARY, notes: ['Removed the whitespace around the token.'] });
      assert.deepEqual(checkMotherDuckToken(CANARY), { ok: true, token: CANARY, notes: [] });
    });

    it('refuses empty, inner whitespace and connection strings, never repeating the value', () => {
      const cases: [string, RegExp][] = [
        ['', /^Enter a MotherDuck token/],
        ['   \t', /^Enter a MotherDuck token/],
        [`${CANARY.slice(0, 10)} ${CANARY.slice(10)}`, /no spaces or line breaks inside/],
        [`${CANARY.slice(0, 10)}\n${CANARY.slice(10)}`, /no spaces or line breaks inside/],
        [`md:?motherduck_token=${CANARY}`, /^Paste only the token, not a connection string/],
        [`motherduck_token=${CANARY}`, /^Paste only the token/],
        [`${CANARY}\0`, /NUL character/],
      ];
      for (const [raw, expected] of cases) {
        const checked = checkMotherDuckToken(raw);
        assert.equal(checked.ok, false, JSON.stringify(raw));
        if (!checked.ok) {
          assert.match(checked.error, expected);
          assert.ok(!checked.error.includes('md-canary'), checked.error);
        }
      }
    });

    it('goes into SET motherduck_token through the one escaping function', () => {
      assert.equal(setTokenStatement(CANARY).sql, `SET motherduck_token = '${CANARY}'`);
      assert.ok(!setTokenStatement(CANARY).describe.includes(CANARY));
    });
  });

  describe('finding it in the environment', () => {
    let folder: string;
    beforeEach(() => {
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-md-env-'));
    });
    afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

    it('takes the host environment first, then .env; motherduck_token before MOTHERDUCK_TOKEN', async () => {
      fs.writeFileSync(path.join(folder, '.env'), `MOTHERDUCK_TOKEN="${CANARY}"\n`);
      const dotenv = await readDotEnv(folder);
      assert.ok(dotenv);
      assert.deepEqual(findTokenInSources([processEnvSource({}), dotenv]), { token: CANARY, name: 'MOTHERDUCK_TOKEN', source: dotenv.description });
      const host = processEnvSource({ MOTHERDUCK_TOKEN: 'upper-token', motherduck_token: 'lower-token' });
      assert.deepEqual(findTokenInSources([host, dotenv]), { token: 'lower-token', name: 'motherduck_token', source: "the extension host's environment" });
      assert.equal(findTokenInSources([processEnvSource({ motherduck_token: '  ' })]), undefined);
    });

    it('is never a "missing" R2 variable', () => {
      const found = collectEnv(DEFAULT_ENV_NAMES, [processEnvSource({ R2_ACCESS_KEY_ID: 'a', R2_SECRET_KEY: 'b', CLOUDFLARE_ACCOUNT_ID: '0123456789abcdef0123456789abcdef' })]);
      assert.deepEqual(found.missing, []);
      assert.equal(findTokenInSources(found.sources), undefined);
    });
  });

  describe('keeping it in SecretStorage only', () => {
    it('stores it under its own key, flags it in globalState, and nothing else holds it', async () => {
      assert.equal(store.hasMotherDuckToken(), false);
      await store.setMotherDuckToken(CANARY);
      assert.deepEqual([...secrets.data.keys()], [SECRET_KEYS.motherDuckToken]);
      assert.equal(SECRET_KEYS.motherDuckToken, 'duckdbSecrets.motherduck.token');
      assert.equal(secrets.data.get(SECRET_KEYS.motherDuckToken), CANARY);
      assert.equal(state.get(STATE_KEYS.motherDuckTokenStored), true);
      assert.equal(store.hasMotherDuckToken(), true);
      assert.ok(!outsideTheKeychain({ state, log }).includes(CANARY), outsideTheKeychain({ state, log }));
      assert.equal(scrub(`token ${CANARY}`), 'token ••••••', 'registered for redaction');
    });

    it('knows a token is stored without reading the keychain (the status bar at activation)', async () => {
      await store.setMotherDuckToken(CANARY);
      const fresh = new CredentialStore(secrets, state, log);
      secrets.calls.length = 0;
      assert.equal(fresh.hasMotherDuckToken(), true);
      assert.deepEqual(secrets.calls, []);
      fresh.dispose();
    });

    it('reads it fresh and registers it for redaction; a stale flag is put right', async () => {
      await store.setMotherDuckToken(CANARY);
      clearSecretValues();
      assert.equal(await store.motherDuckToken(), CANARY);
      assert.equal(scrub(CANARY), '••••••');
      secrets.data.delete(SECRET_KEYS.motherDuckToken); // deleted behind the extension's back
      assert.equal(await store.motherDuckToken(), undefined);
      assert.equal(store.hasMotherDuckToken(), false);
    });

    it('clears it, and tells token listeners (not profile listeners)', async () => {
      let token = 0;
      let profiles = 0;
      store.onDidChangeMotherDuckToken(() => token++);
      store.onDidChange(() => profiles++);
      await store.setMotherDuckToken(CANARY);
      await store.clearMotherDuckToken();
      assert.equal(secrets.data.has(SECRET_KEYS.motherDuckToken), false);
      assert.equal(store.hasMotherDuckToken(), false);
      assert.ok(token >= 2, `token listeners fired ${token} times`);
      assert.equal(profiles, 0);
    });

    it('a keychain failure stores nothing anywhere and keeps a stored token', async () => {
      await store.setMotherDuckToken('old-token-value');
      secrets.failWith = keyringError();
      const error = await store.setMotherDuckToken(CANARY).then(
        () => assert.fail('expected a keychain error'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof KeychainError);
      assert.match(error.message, /^The OS keychain failed while saving the MotherDuck token\./);
      assert.ok(!error.message.includes(CANARY) && !(error.detail ?? '').includes(CANARY));
      await assert.rejects(store.clearMotherDuckToken(), KeychainError);
      secrets.failWith = undefined;
      assert.equal(await store.motherDuckToken(), 'old-token-value');
      assert.equal(store.hasMotherDuckToken(), true);
      assert.ok(!outsideTheKeychain({ state, log }).includes(CANARY));
    });

    it('Import from Environment stores a found token and says from where, never what', async () => {
      const note = await importMotherDuckToken(store, { token: CANARY, name: 'motherduck_token', source: '/w/.env' });
      assert.equal(note, 'Imported the MotherDuck token from motherduck_token (/w/.env) into the OS keychain.');
      assert.equal(await store.motherDuckToken(), CANARY);
      const bad = await importMotherDuckToken(store, { token: 'has space', name: 'MOTHERDUCK_TOKEN', source: '/w/.env' });
      assert.match(bad, /^MOTHERDUCK_TOKEN \(in \/w\/\.env\) was not imported: A MotherDuck token has no spaces/);
      assert.equal(await store.motherDuckToken(), CANARY, 'a bad value replaces nothing');
      assert.ok(!outsideTheKeychain({ state, log }).includes(CANARY));
    });
  });
});
