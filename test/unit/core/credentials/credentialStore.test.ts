import * as assert from 'node:assert/strict';
import { CredentialStore, KEYCHAIN_HELP_URL, KeychainError, SECRET_KEYS, STATE_KEYS } from '../../../../src/core/credentials/credentialStore';
import { UserFacingError } from '../../../../src/core/errors';
import { MemoryLogger } from '../../../../src/core/logger';
import type { ProfileInfo } from '../../../../src/core/credentials/profiles';
import { clearSecretValues, scrub } from '../../../../src/core/redaction';
import { TEST_ACCOUNT_ID } from '../../../support/testProfiles';
import { FakeMemento } from '../../../support/fakes/fakeMemento';
import { FakeSecretStorage, keyringError } from '../../../support/fakes/fakeSecretStorage';
import { outsideTheKeychain, storeOnFakes } from '../../../support/fakes/storeOnFakes';

const info = (label: string, extra: Partial<ProfileInfo> = {}): Omit<ProfileInfo, 'id'> => ({
  label,
  accountId: TEST_ACCOUNT_ID,
  bucket: 'eo_pv_lakehouse',
  jurisdiction: 'default',
  ...extra,
});

describe('credential store', () => {
  let secrets: FakeSecretStorage;
  let state: FakeMemento;
  let log: MemoryLogger;
  let store: CredentialStore;

  beforeEach(() => {
    clearSecretValues();
    ({ secrets, state, log, store } = storeOnFakes());
  });
  afterEach(() => store.dispose());

  const everythingOutsideTheKeychain = () => outsideTheKeychain({ state, log });

  it('keeps keys only in SecretStorage, under keys built from the stable id, and the rest in globalState', async () => {
    const saved = await store.save(undefined, info('dev'), { accessKeyId: 'AKID-CANARY-1', secretAccessKey: 'SECRET-CANARY-1' });
    assert.match(saved.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      [...secrets.data.keys()].filter((k) => k !== SECRET_KEYS.revision).sort(),
      [`duckdbSecrets.profile.${saved.id}.accessKeyId`, `duckdbSecrets.profile.${saved.id}.secretAccessKey`],
    );
    assert.equal(secrets.data.get(SECRET_KEYS.secretAccessKey(saved.id)), 'SECRET-CANARY-1');
    assert.deepEqual(state.get(STATE_KEYS.profiles), [{ ...info('dev'), id: saved.id }]);
    assert.equal(state.get(STATE_KEYS.activeProfileId), saved.id);
    assert.ok(!/CANARY/.test(everythingOutsideTheKeychain()), everythingOutsideTheKeychain());
  });

  it('never copies secret fields into globalState, even when handed an object that carries them', async () => {
    const withSecrets = { ...info('dev'), accessKeyId: 'AKID-CANARY-2', secretAccessKey: 'SECRET-CANARY-2' };
    await store.save(undefined, withSecrets, { accessKeyId: 'AKID-CANARY-2', secretAccessKey: 'SECRET-CANARY-2' });
    assert.ok(!state.dump().includes('CANARY'));
  });

  it('hands out the active profile with its keys, read fresh, and registers them for redaction', async () => {
    assert.equal(await store.activeCredentials(), undefined, 'no profile yet');
    const saved = await store.save(undefined, info('dev', { jurisdiction: 'eu' }), { accessKeyId: 'AKIDabcdef', secretAccessKey: 'SECRETabcdef' });
    clearSecretValues();
    const credentials = await store.activeCredentials();
    assert.deepEqual(credentials, { ...info('dev', { jurisdiction: 'eu' }), id: saved.id, accessKeyId: 'AKIDabcdef', secretAccessKey: 'SECRETabcdef' });
    assert.equal(scrub('key AKIDabcdef secret SECRETabcdef'), 'key •••••• secret ••••••');
  });

  it('switches the active profile and keeps the status-bar read to globalState', async () => {
    const dev = await store.save(undefined, info('dev'), { accessKeyId: 'a1a1', secretAccessKey: 's1s1' });
    const prod = await store.save(undefined, info('prod'), { accessKeyId: 'a2a2', secretAccessKey: 's2s2' }, { activate: false });
    assert.equal(store.activeProfile()?.id, dev.id);
    await store.setActive(prod.id);
    secrets.calls.length = 0;
    assert.equal(store.activeProfile()?.label, 'prod');
    assert.deepEqual(secrets.calls, [], 'reading the active profile does not touch the keychain');
    assert.equal((await store.activeCredentials())?.accessKeyId, 'a2a2');
    await assert.rejects(store.setActive('no-such-id'), UserFacingError);
  });

  it('edits a profile: new fields, kept keys when none are given, same id', async () => {
    const dev = await store.save(undefined, info('dev'), { accessKeyId: 'a1a1', secretAccessKey: 's1s1' });
    const edited = await store.save(dev.id, info('development', { jurisdiction: 'custom', customEndpoint: 'http://127.0.0.1:9000' }), { secretAccessKey: 's9s9' });
    assert.equal(edited.id, dev.id);
    assert.deepEqual(store.list(), [edited]);
    const credentials = await store.credentials(dev.id);
    assert.deepEqual([credentials.accessKeyId, credentials.secretAccessKey, credentials.customEndpoint], ['a1a1', 's9s9', 'http://127.0.0.1:9000']);
  });

  it('refuses two profiles with the same label and a new profile without both keys', async () => {
    await store.save(undefined, info('dev'), { accessKeyId: 'a1a1', secretAccessKey: 's1s1' });
    await assert.rejects(store.save(undefined, info('DEV'), { accessKeyId: 'a2a2', secretAccessKey: 's2s2' }), /An R2 profile named "dev" exists already/);
    await assert.rejects(store.save(undefined, info('prod'), { accessKeyId: 'a2a2' }), /needs both/);
    assert.equal(store.list().length, 1);
  });

  it('deletes a profile and its keys; the active one leaves no profile active', async () => {
    const dev = await store.save(undefined, info('dev'), { accessKeyId: 'a1a1', secretAccessKey: 's1s1' });
    const prod = await store.save(undefined, info('prod'), { accessKeyId: 'a2a2', secretAccessKey: 's2s2' });
    await store.delete(prod.id);
    assert.deepEqual(store.list().map((p) => p.label), ['dev']);
    assert.equal(store.activeProfile(), undefined);
    assert.equal(state.keys().includes(STATE_KEYS.activeProfileId), false);
    assert.equal(secrets.data.has(SECRET_KEYS.accessKeyId(prod.id)), false);
    assert.equal(secrets.data.has(SECRET_KEYS.secretAccessKey(prod.id)), false);
    assert.equal(secrets.data.get(SECRET_KEYS.accessKeyId(dev.id)), 'a1a1');
  });

  it('survives being re-created over the same storage (what a window reload does)', async () => {
    const dev = await store.save(undefined, info('dev'), { accessKeyId: 'a1a1', secretAccessKey: 's1s1' });
    store.dispose();
    assert.equal(secrets.listenerCount, 0, 'dispose unsubscribes from secrets.onDidChange');
    store = new CredentialStore(secrets, state, log);
    assert.equal(store.activeProfile()?.id, dev.id);
    assert.equal((await store.activeCredentials())?.secretAccessKey, 's1s1');
  });

  it('tells another window (another store over the same storage) about every change', async () => {
    const other = new CredentialStore(secrets, state, new MemoryLogger());
    let heard = 0;
    other.onDidChange(() => heard++);
    const dev = await store.save(undefined, info('dev'), { accessKeyId: 'a1a1', secretAccessKey: 's1s1' });
    assert.ok(heard > 0, 'save');
    assert.equal(other.activeProfile()?.label, 'dev');
    const prod = await store.save(undefined, info('prod'), { accessKeyId: 'a2a2', secretAccessKey: 's2s2' }, { activate: false });
    heard = 0;
    await store.setActive(prod.id);
    assert.ok(heard > 0, 'switching the active profile (globalState only) still reaches other windows');
    assert.equal(other.activeProfile()?.label, 'prod');
    heard = 0;
    await store.delete(dev.id);
    assert.ok(heard > 0, 'delete');
    other.dispose();
  });

  it('ignores SecretStorage changes that are not its own', async () => {
    let heard = 0;
    store.onDidChange(() => heard++);
    await secrets.store('duckdbSecrets.motherduckToken', 'x');
    await secrets.store('other.extension.key', 'y');
    assert.equal(heard, 0);
  });

  describe('when the OS keychain fails', () => {
    it('says so, links to the troubleshooting page, and writes nothing anywhere else', async () => {
      secrets.failWith = keyringError();
      const error = await store.save(undefined, info('dev'), { accessKeyId: 'AKID-CANARY-3', secretAccessKey: 'SECRET-CANARY-3' }).then(
        () => assert.fail('save should fail'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof KeychainError && error instanceof UserFacingError);
      assert.match(error.message, /^The OS keychain failed while saving the keys of R2 profile "dev"\. .*nothing was saved anywhere else/);
      assert.deepEqual(error.actions, [{ title: 'Keychain Troubleshooting', url: KEYCHAIN_HELP_URL }]);
      assert.equal(KEYCHAIN_HELP_URL, 'https://code.visualstudio.com/docs/configure/settings-sync#_troubleshooting-keychain-issues');
      assert.match(error.detail ?? '', /org\.freedesktop\.secrets/);
      assert.deepEqual(store.list(), []);
      assert.deepEqual(state.keys(), []);
      assert.equal(secrets.data.size, 0);
      assert.ok(!/CANARY/.test(everythingOutsideTheKeychain()));
    });

    it('reading keys fails with the same message kind, and the profile stays', async () => {
      const dev = await store.save(undefined, info('dev'), { accessKeyId: 'a1a1', secretAccessKey: 's1s1' });
      secrets.failWith = keyringError();
      await assert.rejects(store.activeCredentials(), (e: unknown) => e instanceof KeychainError && /while reading the keys of R2 profile "dev"/.test(e.message));
      await assert.rejects(store.delete(dev.id), KeychainError);
      assert.equal(store.list().length, 1, 'a failed delete leaves the profile listed');
      secrets.failWith = undefined;
      assert.equal((await store.credentials(dev.id)).secretAccessKey, 's1s1', 'and its keys intact');
    });

    it('puts the first key back when the second write of an edit fails', async () => {
      const dev = await store.save(undefined, info('dev'), { accessKeyId: 'old-key', secretAccessKey: 'old-secret' });
      secrets.failWhen = (operation, key) => operation === 'store' && key === SECRET_KEYS.secretAccessKey(dev.id);
      await assert.rejects(store.save(dev.id, info('renamed'), { accessKeyId: 'new-key', secretAccessKey: 'new-secret' }), KeychainError);
      secrets.failWhen = undefined;
      const credentials = await store.credentials(dev.id);
      assert.deepEqual([credentials.label, credentials.accessKeyId, credentials.secretAccessKey], ['dev', 'old-key', 'old-secret']);
    });

    it('removes the keys of a new profile whose globalState write failed', async () => {
      state.failWith = new Error('storage closed');
      await assert.rejects(store.save(undefined, info('dev'), { accessKeyId: 'a1a1', secretAccessKey: 's1s1' }), /storage closed/);
      assert.deepEqual([...secrets.data.keys()], []);
    });

    it('still switches profiles when only the cross-window marker cannot be written, and logs that', async () => {
      const dev = await store.save(undefined, info('dev'), { accessKeyId: 'a1a1', secretAccessKey: 's1s1' }, { activate: false });
      secrets.failWith = keyringError();
      await store.setActive(dev.id);
      assert.equal(store.activeProfile()?.id, dev.id);
      assert.match(log.lines.at(-1) ?? '', /^warn Other windows will see the profile change after a reload/);
    });
  });

  it('says which profile lost its keys (deleted from the keychain by hand) and offers to set them', async () => {
    const dev = await store.save(undefined, info('dev'), { accessKeyId: 'a1a1', secretAccessKey: 's1s1' });
    await secrets.delete(SECRET_KEYS.secretAccessKey(dev.id));
    await assert.rejects(store.activeCredentials(), (e: unknown) => {
      assert.ok(e instanceof UserFacingError);
      assert.match(e.message, /R2 profile "dev" has no keys in the keychain/);
      assert.deepEqual(e.actions, [{ title: 'Set R2 Credentials', command: 'duckdbSecrets.setCredentials', args: [dev.id] }]);
      return true;
    });
  });

  it('runs concurrent saves one after another, so neither is lost', async () => {
    await Promise.all(['a', 'b', 'c', 'd'].map((label) => store.save(undefined, info(label), { accessKeyId: `${label}key`, secretAccessKey: `${label}secret` })));
    assert.deepEqual(store.list().map((p) => p.label).sort(), ['a', 'b', 'c', 'd']);
  });

  it('skips malformed entries in globalState instead of failing', async () => {
    await state.update(STATE_KEYS.profiles, [{ id: 'x' }, null, 'junk', { ...info('ok'), id: 'p1' }, { ...info('bad'), id: 'p2', jurisdiction: 'mars' }]);
    assert.deepEqual(store.list().map((p) => p.label), ['ok']);
  });
});
