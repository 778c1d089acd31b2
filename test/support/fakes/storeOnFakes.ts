/**
 * A real CredentialStore over the in-memory SecretStorage and globalState, with the log it writes
 * to: what the store's tests and the MotherDuck token's tests start each test from.
 */
import { CredentialStore } from '../../../src/core/credentials/credentialStore';
import { MemoryLogger } from '../../../src/core/logger';
import { FakeMemento } from './fakeMemento';
import { FakeSecretStorage } from './fakeSecretStorage';

export interface StoreOnFakes {
  readonly secrets: FakeSecretStorage;
  readonly state: FakeMemento;
  readonly log: MemoryLogger;
  readonly store: CredentialStore;
}

export function storeOnFakes(): StoreOnFakes {
  const secrets = new FakeSecretStorage();
  const state = new FakeMemento();
  const log = new MemoryLogger();
  return { secrets, state, log, store: new CredentialStore(secrets, state, log) };
}

/** Everything the store keeps or writes outside the keychain (globalState and the log), for canary searches. */
export function outsideTheKeychain({ state, log }: Pick<StoreOnFakes, 'state' | 'log'>): string {
  return [state.dump(), ...log.lines].join('\n');
}
