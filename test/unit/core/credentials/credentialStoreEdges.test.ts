/**
 * The credential store's edges: what it logs and says (never a key), which SecretStorage changes
 * reach which listeners, editing one profile among several, the checks on globalState entries, and
 * a failed undo after a failed write.
 */
import * as assert from 'node:assert/strict';
import { CredentialStore, KeychainError, SECRET_KEYS, STATE_KEYS } from '../../../../src/core/credentials/credentialStore';
import { UserFacingError } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';
import type { ProfileInfo } from '../../../../src/core/credentials/profiles';
import { clearSecretValues } from '../../../../src/core/redaction';
import { generatedKeyPair } from '../../../support/generatedKeys';
import { TEST_ACCOUNT_ID } from '../../../support/testProfiles';
import type { FakeMemento } from '../../../support/fakes/fakeMemento';
import { keyringError, type FakeSecretStorage } from '../../../support/fakes/fakeSecretStorage';
import { outsideTheKeychain, storeOnFakes } from '../../../support/fakes/storeOnFakes';

const info = (label: string, extra: Partial<ProfileInfo> = {}): Omit<ProfileInfo, 'id'> => ({
  label,
  accountId: TEST_ACCOUNT_ID,
  bucket: 'lake',
  jurisdiction: 'default',
  ...extra,
});

/** Rejects with `promise`'s error, for assertions on its fields. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => assert.fail('expected a failure'),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      return error;
    },
  );
}

describe('credential store edges', () => {
  let secrets: FakeSecretStorage;
  let state: FakeMemento;
  let log: MemoryLogger;
  let store: CredentialStore;
  const keys1 = generatedKeyPair(301);
  const keys2 = generatedKeyPair(302);

  beforeEach(() => {
    clearSecretValues();
    ({ secrets, state, log, store } = storeOnFakes());
  });
  afterEach(() => store.dispose());

  describe('what it says', () => {
    it('a keychain failure is a KeychainError by name, and says what Linux needs', async () => {
      secrets.failWith = keyringError();
      const error = await failure(store.save(undefined, info('dev'), keys1));
      assert.equal(error.name, 'KeychainError');
      assert.match(error.message, /On Linux, VS Code needs a running keyring such as GNOME Keyring or KWallet\.$/);
    });

    it('names the MotherDuck token action that failed', async () => {
      secrets.failWith = keyringError();
      assert.match((await failure(store.motherDuckToken())).message, /failed while reading the MotherDuck token\./);
      assert.match((await failure(store.clearMotherDuckToken())).message, /failed while deleting the MotherDuck token\./);
    });

    it('logs creating, updating with new keys and updating with kept keys, never a key', async () => {
      const dev = await store.save(undefined, info('dev'), keys1);
      await store.save(dev.id, info('dev'), { secretAccessKey: keys2.secretAccessKey });
      await store.save(dev.id, info('dev2'), {});
      assert.deepEqual(log.lines, [
        'info Created R2 profile "dev" (keys stored in the keychain)',
        'info Updated R2 profile "dev" (keys stored in the keychain)',
        'info Updated R2 profile "dev2" (keys kept)',
      ]);
    });

    it('logs storing and deleting the MotherDuck token', async () => {
      await store.setMotherDuckToken('token-value-1');
      await store.clearMotherDuckToken();
      assert.deepEqual(log.lines, ['info Stored the MotherDuck token in the keychain', 'info Deleted the MotherDuck token from the keychain']);
    });

    it('a profile id that does not exist: says so, with the id as detail', async () => {
      const error = await failure(store.credentials('gone-id'));
      assert.ok(error instanceof UserFacingError);
      assert.equal(error.message, 'That R2 profile no longer exists.');
      assert.equal(error.detail, 'profile id gone-id');
      assert.equal((await failure(store.setActive('gone-id'))).message, 'That R2 profile no longer exists.');
    });
  });

  describe('keys and profiles', () => {
    it('a profile whose access key id was deleted by hand has no keys', async () => {
      const dev = await store.save(undefined, info('dev'), keys1);
      await secrets.delete(SECRET_KEYS.accessKeyId(dev.id));
      assert.match((await failure(store.credentials(dev.id))).message, /R2 profile "dev" has no keys in the keychain/);
    });

    it('a new profile with only a secret access key is refused, and nothing is stored', async () => {
      await assert.rejects(store.save(undefined, info('dev'), { secretAccessKey: keys1.secretAccessKey }), /needs both/);
      assert.deepEqual(store.list(), []);
      assert.equal(secrets.data.size, 0);
    });

    it('editing a profile deleted meanwhile fails and does not re-create it', async () => {
      const dev = await store.save(undefined, info('dev'), keys1);
      await store.delete(dev.id);
      await assert.rejects(store.save(dev.id, info('dev'), keys2), /The R2 profile being edited \("dev"\) was deleted meanwhile\./);
      assert.deepEqual(store.list(), []);
      assert.deepEqual([...secrets.data.keys()].filter((k) => k !== SECRET_KEYS.revision), []);
    });

    it('editing one profile leaves the others as they were', async () => {
      const dev = await store.save(undefined, info('dev'), keys1);
      const prod = await store.save(undefined, info('prod'), keys2);
      const edited = await store.save(dev.id, info('development', { jurisdiction: 'eu' }), {});
      assert.deepEqual(store.list(), [edited, prod]);
      assert.equal((await store.credentials(prod.id)).secretAccessKey, keys2.secretAccessKey);
    });

    it('finds a profile by label ignoring case and surrounding spaces', async () => {
      const dev = await store.save(undefined, info('Dev'), keys1);
      assert.equal(store.findByLabel('  dEV \t')?.id, dev.id);
      assert.equal(store.findByLabel('prod'), undefined);
    });

    it('no profile active: setActive(undefined) clears it', async () => {
      await store.save(undefined, info('dev'), keys1);
      await store.setActive(undefined);
      assert.equal(store.activeProfile(), undefined);
      assert.equal(state.get(STATE_KEYS.activeProfileId), undefined);
    });

    it('keeps a custom endpoint only for the custom jurisdiction, and no empty field for it', async () => {
      const eu = await store.save(undefined, info('eu', { jurisdiction: 'eu', customEndpoint: 'http://127.0.0.1:9000' }), keys1);
      assert.deepEqual(eu, { ...info('eu', { jurisdiction: 'eu' }), id: eu.id });
      const custom = await store.save(undefined, info('custom', { jurisdiction: 'custom' }), keys2);
      assert.deepEqual(Object.keys(custom).sort(), ['accountId', 'bucket', 'id', 'jurisdiction', 'label']);
      assert.deepEqual(store.list(), [eu, custom]);
    });

    it('skips globalState entries with any one field of the wrong kind', async () => {
      const good = { ...info('ok'), id: 'p1' };
      await state.update(STATE_KEYS.profiles, [
        { ...good, id: 7 },
        { ...good, label: undefined },
        { ...good, accountId: 7 },
        { ...good, bucket: null },
        { ...good, jurisdiction: 'mars' },
        { ...good, jurisdiction: 'custom', customEndpoint: 9000 },
        null,
        'p1',
        good,
        { ...good, id: 'p2', label: 'ok2', jurisdiction: 'custom', customEndpoint: 'http://127.0.0.1:9000' },
      ]);
      assert.deepEqual(store.list().map((p) => p.id), ['p1', 'p2']);
      await state.update(STATE_KEYS.activeProfileId, 7);
      assert.equal(store.activeProfile(), undefined);
    });
  });

  describe('deleting', () => {
    it('an id that does not exist: nothing happens, the keychain is not touched', async () => {
      await store.save(undefined, info('dev'), keys1);
      secrets.calls.length = 0;
      await store.delete('gone-id');
      assert.deepEqual(secrets.calls, []);
      assert.equal(store.list().length, 1);
    });

    it('a profile that is not the active one leaves the active one, and is logged by label', async () => {
      const dev = await store.save(undefined, info('dev'), keys1);
      const prod = await store.save(undefined, info('prod'), keys2, { activate: false });
      log.lines.length = 0;
      await store.delete(prod.id);
      assert.equal(store.activeProfile()?.id, dev.id);
      assert.deepEqual(log.lines, ['info Deleted R2 profile "prod"']);
    });

    it('a keychain failure names the action; a failed profile-list write puts both keys back, touching only them', async () => {
      const dev = await store.save(undefined, info('dev'), keys1);
      secrets.failWith = keyringError();
      assert.match((await failure(store.delete(dev.id))).message, /failed while deleting the keys of R2 profile "dev"\./);
      secrets.failWith = undefined;
      state.failWith = new Error('storage closed');
      secrets.calls.length = 0;
      await assert.rejects(store.delete(dev.id), /storage closed/);
      state.failWith = undefined;
      for (const { key } of secrets.calls) assert.ok([SECRET_KEYS.accessKeyId(dev.id), SECRET_KEYS.secretAccessKey(dev.id)].includes(key), key);
      const credentials = await store.credentials(dev.id);
      assert.deepEqual([credentials.accessKeyId, credentials.secretAccessKey], [keys1.accessKeyId, keys1.secretAccessKey]);
    });
  });

  describe('listeners', () => {
    it('hears a key of its profiles changed by another window or by hand, and only profile listeners do', async () => {
      const dev = await store.save(undefined, info('dev'), keys1);
      let profiles = 0;
      let tokens = 0;
      store.onDidChange(() => profiles++);
      store.onDidChangeMotherDuckToken(() => tokens++);
      await secrets.delete(SECRET_KEYS.accessKeyId(dev.id));
      assert.deepEqual([profiles, tokens], [1, 0]);
    });

    it('hears the MotherDuck token stored by another window on token listeners only', async () => {
      const other = new CredentialStore(secrets, state, new MemoryLogger());
      let profiles = 0;
      let tokens = 0;
      store.onDidChange(() => profiles++);
      store.onDidChangeMotherDuckToken(() => tokens++);
      await other.setMotherDuckToken('token-value-2');
      assert.deepEqual([profiles, tokens], [0, 1]);
      await other.save(undefined, info('dev'), keys1);
      assert.equal(tokens, 1, 'a profile change is not a token change');
      assert.ok(profiles > 0);
      other.dispose();
    });

    it('a disposed listener hears nothing more', async () => {
      let profiles = 0;
      let tokens = 0;
      store.onDidChange(() => profiles++).dispose();
      store.onDidChangeMotherDuckToken(() => tokens++).dispose();
      await store.save(undefined, info('dev'), keys1);
      await store.setMotherDuckToken('token-value-3');
      assert.deepEqual([profiles, tokens], [0, 0]);
    });
  });

  describe('a failed write', () => {
    it('touches no keychain entry but its own profile\'s', async () => {
      state.failWith = new Error('storage closed');
      await assert.rejects(store.save(undefined, info('dev'), keys1), /storage closed/);
      assert.ok(secrets.calls.length > 0);
      for (const { key } of secrets.calls) assert.match(key, /^duckdbSecrets\.profile\.[0-9a-f-]{36}\.(accessKeyId|secretAccessKey)$/);
    });

    it('whose undo fails too: the first error stands, the failed undo is logged by key name, never by value', async () => {
      const dev = await store.save(undefined, info('dev'), keys1);
      log.lines.length = 0;
      let accessKeyWrites = 0;
      secrets.failWhen = (operation, key) =>
        operation === 'store' && (key === SECRET_KEYS.secretAccessKey(dev.id) || (key === SECRET_KEYS.accessKeyId(dev.id) && ++accessKeyWrites === 2));
      const error = await failure(store.save(dev.id, info('dev'), keys2));
      assert.ok(error instanceof KeychainError);
      assert.match(error.message, /while saving the keys of R2 profile "dev"/);
      assert.equal(log.lines.length, 1);
      assert.equal(
        log.lines[0],
        `error Could not undo a partial keychain write (${dev.id}.accessKeyId): Cannot get password: The name org.freedesktop.secrets was not provided by any .service files`,
      );
      const outside = outsideTheKeychain({ state, log });
      for (const value of [keys1.accessKeyId, keys1.secretAccessKey, keys2.accessKeyId, keys2.secretAccessKey]) assert.ok(!outside.includes(value));
    });
  });
});
