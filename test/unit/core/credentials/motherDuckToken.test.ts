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
import { checkMotherDuckToken, findTokenInSources, importMotherDuckToken, setTokenStatement, storeMotherDuckToken, tokenQuestion } from '../../../../src/core/motherduck/motherDuck';
import { clearSecretValues, scrub } from '../../../../src/core/redaction';
import type { ConfirmOptions } from '../../../../src/core/prompts';
import { FakeMemento } from '../../../support/fakes/fakeMemento';
import { fakeMotherDuckToken } from '../../../support/fakeTokens';
import { FakeSecretStorage, keyringError } from '../../../support/fakes/fakeSecretStorage';
import { outsideTheKeychain, storeOnFakes } from '../../../support/fakes/storeOnFakes';

const CANARY = fakeMotherDuckToken('motherDuckToken.test', 'md-canary');
/** The canary's signature part: in no message, whatever the message says about JWTs. */
const CANARY_SIG = CANARY.split('.')[2] ?? CANARY;

/** Answers modal questions from a script and records them; an unexpected question fails the test. */
class ScriptedConfirm {
  readonly asked: { message: string; confirmLabel: string; detail?: string }[] = [];
  constructor(private readonly answers: boolean[] = []) {}
  confirm(message: string, confirmLabel: string, options?: ConfirmOptions): Promise<boolean> {
    this.asked.push({ message, confirmLabel, ...(options?.detail !== undefined ? { detail: options.detail } : {}) });
    assert.equal(options?.modal, true, 'a token question is modal');
    const answer = this.answers.shift();
    if (answer === undefined) throw new Error(`unexpected question: ${message}`);
    return Promise.resolve(answer);
  }
}

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
          assert.ok(!checked.error.includes(CANARY_SIG), checked.error);
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
      assert.deepEqual(findTokenInSources([processEnvSource({}), dotenv]), { token: CANARY, name: 'MOTHERDUCK_TOKEN', source: dotenv.description, workspaceFile: true });
      const host = processEnvSource({ MOTHERDUCK_TOKEN: 'upper-token', motherduck_token: 'lower-token' });
      assert.deepEqual(findTokenInSources([host, dotenv]), { token: 'lower-token', name: 'motherduck_token', source: "the extension host's environment", workspaceFile: false });
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

    it('Import from Environment stores a token from the host environment (none stored) and says from where, never what', async () => {
      const confirm = new ScriptedConfirm();
      const note = await importMotherDuckToken(store, confirm, { token: CANARY, name: 'motherduck_token', source: "the extension host's environment", workspaceFile: false });
      assert.equal(note, "Imported the MotherDuck token from motherduck_token (the extension host's environment) into the OS keychain.");
      assert.equal(await store.motherDuckToken(), CANARY);
      assert.deepEqual(confirm.asked, []);
      const bad = await importMotherDuckToken(store, confirm, { token: 'has space', name: 'MOTHERDUCK_TOKEN', source: '/w/.env', workspaceFile: true });
      assert.match(bad, /^MOTHERDUCK_TOKEN \(in \/w\/\.env\) was not imported: A MotherDuck token has no spaces/);
      assert.equal(await store.motherDuckToken(), CANARY, 'a bad value replaces nothing');
      assert.ok(!outsideTheKeychain({ state, log }).includes(CANARY));
    });
  });

  describe('a workspace or a caller choosing the token (issue 19, items 2 and 7)', () => {
    const attacker = fakeMotherDuckToken('someone else', 'attacker');
    const fromDotEnv = { token: attacker, name: 'motherduck_token', source: '/cloned/repo/.env', workspaceFile: true };

    it('a workspace .env never replaces the stored token without a modal naming the file; declining keeps it', async () => {
      await store.setMotherDuckToken(CANARY);
      const confirm = new ScriptedConfirm([false]);
      const note = await importMotherDuckToken(store, confirm, fromDotEnv);
      assert.equal(await store.motherDuckToken(), CANARY, 'the workspace replaced the user\'s token');
      assert.equal(confirm.asked.length, 1);
      assert.match(confirm.asked[0]?.message ?? '', /^Replace the stored MotherDuck token with the one from motherduck_token in \/cloned\/repo\/\.env\?$/);
      assert.equal(confirm.asked[0]?.confirmLabel, 'Replace Token');
      assert.match(note, /was not imported/);
      for (const text of [note, JSON.stringify(confirm.asked)]) assert.ok(!text.includes(attacker) && !text.includes(CANARY), text);
    });

    it('a workspace .env token is asked about even with no token stored; yes stores it', async () => {
      const confirm = new ScriptedConfirm([true]);
      await importMotherDuckToken(store, confirm, fromDotEnv);
      assert.match(confirm.asked[0]?.message ?? '', /^Store the MotherDuck token from motherduck_token in \/cloned\/repo\/\.env in the OS keychain\?$/);
      assert.match(confirm.asked[0]?.detail ?? '', /every window/);
      assert.equal(await store.motherDuckToken(), attacker);
    });

    it('the host environment replacing a stored token is asked about too; the same token is no change and no question', async () => {
      await store.setMotherDuckToken(CANARY);
      const confirm = new ScriptedConfirm([false]);
      await importMotherDuckToken(store, confirm, { ...fromDotEnv, source: "the extension host's environment", workspaceFile: false });
      assert.equal(confirm.asked.length, 1);
      assert.equal(await store.motherDuckToken(), CANARY);
      const same = await importMotherDuckToken(store, confirm, { ...fromDotEnv, token: CANARY });
      assert.equal(same, 'The MotherDuck token in motherduck_token (/cloned/repo/.env) is the one already stored.');
      assert.equal(confirm.asked.length, 1, 'asked about the same token');
    });

    it('a token passed by a command argument is always asked about; one typed into Set MotherDuck Token is not', async () => {
      const confirm = new ScriptedConfirm([false, false]);
      assert.equal(await storeMotherDuckToken(store, confirm, attacker, { kind: 'argument' }), 'declined');
      assert.equal(store.hasMotherDuckToken(), false);
      assert.equal(await storeMotherDuckToken(store, confirm, CANARY, { kind: 'typed' }), 'stored');
      assert.equal(await storeMotherDuckToken(store, confirm, attacker, { kind: 'argument' }), 'declined');
      assert.equal(await store.motherDuckToken(), CANARY);
      assert.deepEqual(confirm.asked.map((q) => q.confirmLabel), ['Store Token', 'Replace Token']);
      assert.match(confirm.asked[1]?.message ?? '', /given by a command/);
    });

    it('the decision table', () => {
      const env = (workspaceFile: boolean) => ({ kind: 'environment', name: 'MOTHERDUCK_TOKEN', source: 'x', workspaceFile }) as const;
      assert.equal(tokenQuestion({ kind: 'typed' }, undefined, 'a'), undefined);
      assert.equal(tokenQuestion({ kind: 'typed' }, 'b', 'a'), undefined);
      assert.equal(tokenQuestion(env(false), undefined, 'a'), undefined);
      assert.equal(tokenQuestion(env(true), 'a', 'a'), 'same');
      for (const origin of [env(false), env(true), { kind: 'argument' } as const]) assert.equal((tokenQuestion(origin, 'b', 'a') as { confirmLabel: string }).confirmLabel, 'Replace Token');
      for (const origin of [env(true), { kind: 'argument' } as const]) assert.equal((tokenQuestion(origin, undefined, 'a') as { confirmLabel: string }).confirmLabel, 'Store Token');
    });
  });

  describe('placeholders and other values that are not tokens (issue 10, item 6)', () => {
    it('refuses anything not shaped like a JWT, naming the problem, never the value', () => {
      const header = Buffer.from('{"alg":"HS256"}').toString('base64url');
      const cases: [string, RegExp][] = [
        ['your-motherduck-jwt-token', /placeholder from a template/],
        ['<your_token_here>', /placeholder/],
        ['xxxxxxxxxxxxxxxx', /placeholder/],
        ['abc.def', /not a MotherDuck token: a token is a JWT, three base64url parts/],
        ['aaaa.bbbb.cccc', /not a MotherDuck token/],
        [`${header}.pay+load.sig`, /not a MotherDuck token/],
        [`${header}.payload.sig.extra`, /not a MotherDuck token/],
        [`${header}..sig`, /not a MotherDuck token/],
      ];
      for (const [raw, expected] of cases) {
        const checked = checkMotherDuckToken(raw);
        assert.equal(checked.ok, false, raw);
        if (!checked.ok) {
          assert.match(checked.error, expected, raw);
          assert.ok(!checked.error.includes(raw), `${checked.error} repeats the value`);
        }
      }
      assert.equal(checkMotherDuckToken(`${header}.payload.sig`).ok, true);
    });

    it('an imported placeholder stores nothing and asks nothing', async () => {
      const confirm = new ScriptedConfirm();
      const note = await importMotherDuckToken(store, confirm, { token: 'your-motherduck-jwt-token', name: 'MOTHERDUCK_TOKEN', source: '/w/.env', workspaceFile: true });
      assert.match(note, /^MOTHERDUCK_TOKEN \(in \/w\/\.env\) was not imported: This looks like a placeholder/);
      assert.ok(!note.includes('your-motherduck-jwt-token'));
      assert.equal(store.hasMotherDuckToken(), false);
    });
  });
});
