/**
 * SecretStorage failing on any single call of a flow (get, store or delete; the first, the second,
 * …): the flow either completes, or fails with a KeychainError and leaves the keychain and the
 * profile list exactly as they were. Nothing half-written, nothing lost. Each flow is first run
 * without faults to count its calls, then once per call with that call failing.
 */
import * as assert from 'node:assert/strict';
import { CredentialStore, KeychainError, SECRET_KEYS, STATE_KEYS } from '../../../../src/core/credentials/credentialStore';
import type { ProfileInfo } from '../../../../src/core/credentials/profiles';
import { clearSecretValues } from '../../../../src/core/redaction';
import { FakeSecretStorage } from '../../../support/fakes/fakeSecretStorage';
import { storeOnFakes } from '../../../support/fakes/storeOnFakes';
import { TEST_ACCOUNT_ID } from '../../../support/testProfiles';

const info = (label: string): Omit<ProfileInfo, 'id'> => ({ label, accountId: TEST_ACCOUNT_ID, bucket: 'lake', jurisdiction: 'default' });

interface World {
  readonly secrets: FakeSecretStorage;
  readonly store: CredentialStore;
  readonly state: { get<T>(key: string): T | undefined };
  readonly dev: ProfileInfo;
}

/** A store holding profile "dev" (active) with both keys, and a MotherDuck token. */
async function world(): Promise<World> {
  const { secrets, state, store } = storeOnFakes();
  const dev = await store.save(undefined, info('dev'), { accessKeyId: 'old-key-id', secretAccessKey: 'old-secret' });
  await store.setMotherDuckToken('old-token');
  secrets.calls.length = 0;
  return { secrets, store, state, dev };
}

/** What a user would lose or see half-written: the keychain (without the revision marker) and the profile state. */
function snapshot(w: World): string {
  // Profile ids are random per world: "dev" is the one made first, any other is a new one.
  const normal = (text: string) => text.split(w.dev.id).join('<dev>').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<new>');
  const keychain = [...w.secrets.data].filter(([key]) => key !== SECRET_KEYS.revision).map(([key, value]) => [normal(key), value]).sort();
  return normal(JSON.stringify({
    keychain,
    profiles: w.state.get(STATE_KEYS.profiles),
    active: w.state.get(STATE_KEYS.activeProfileId) ?? null,
    token: w.store.hasMotherDuckToken(),
  }));
}

const FLOWS: Record<string, (w: World) => Promise<unknown>> = {
  'create a profile': (w) => w.store.save(undefined, info('prod'), { accessKeyId: 'new-key-id', secretAccessKey: 'new-secret' }),
  'replace both keys of a profile': (w) => w.store.save(w.dev.id, info('dev'), { accessKeyId: 'new-key-id', secretAccessKey: 'new-secret' }),
  'replace one key and rename': (w) => w.store.save(w.dev.id, info('dev-renamed'), { secretAccessKey: 'new-secret' }),
  'delete a profile': (w) => w.store.delete(w.dev.id),
  'read a profile\'s keys': (w) => w.store.credentials(w.dev.id),
  'replace the MotherDuck token': (w) => w.store.setMotherDuckToken('new-token'),
  'read the MotherDuck token': (w) => w.store.motherDuckToken(),
  'delete the MotherDuck token': (w) => w.store.clearMotherDuckToken(),
};

describe('SecretStorage failing on one call of a flow', () => {
  beforeEach(() => clearSecretValues());

  for (const [name, flow] of Object.entries(FLOWS)) {
    it(`${name}: completes, or fails with a KeychainError and changes nothing`, async () => {
      const clean = await world();
      await flow(clean);
      const done = snapshot(clean);
      const calls = clean.secrets.calls.length;
      assert.ok(calls > 0, 'the flow uses the keychain');
      let failures = 0;
      for (let failing = 0; failing < calls; failing++) {
        const w = await world();
        const before = snapshot(w);
        let n = 0;
        w.secrets.failWhen = () => n++ === failing;
        const outcome = await flow(w).then(
          () => 'completed',
          (error: unknown) => error,
        );
        w.secrets.failWhen = undefined;
        const after = snapshot(w);
        const call = `call ${failing + 1} of ${calls} (${w.secrets.calls[failing]?.operation})`;
        if (outcome === 'completed') {
          assert.equal(after, done, `${call}: completed, so everything is as after a clean run`);
        } else {
          failures++;
          assert.ok(outcome instanceof KeychainError, `${call}: ${String(outcome)}`);
          assert.equal(after, before, `${call}: failed, so nothing changed`);
        }
        w.store.dispose();
      }
      assert.ok(failures > 0, 'some fault made the flow fail');
      clean.store.dispose();
    });
  }
});
