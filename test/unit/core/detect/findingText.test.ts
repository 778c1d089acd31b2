import * as assert from 'node:assert/strict';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import type { KnownHashes } from '../../../../src/core/detect/finding';
import { hashCredential } from '../../../../src/core/detect/knownCredentials';
import { CredentialFixtures } from '../../../support/credentialFixtures';

/** Each finding as [message, envVar]. */
const said = (text: string, kind: Parameters<typeof detectCredentials>[1], options: Parameters<typeof detectCredentials>[2] = {}): [string, string | undefined][] =>
  detectCredentials(text, kind, options).map((x) => [x.message, x.envVar]);

describe('detect: what a finding says (message, variable to refer to)', () => {
  const f = new CredentialFixtures(616);

  it('a session token: AWS by its shape, otherwise by the statement it is in', () => {
    const [aws, other] = [f.awsSessionToken(), f.blob(120)];
    assert.deepEqual(said(`CREATE SECRET (TYPE s3, SESSION_TOKEN '${aws}');\nCREATE SECRET (TYPE r2, SESSION_TOKEN '${other}');\n`, 'sql'), [
      ["AWS session token hardcoded in SESSION_TOKEN '…'", 'AWS_SESSION_TOKEN'],
      ["Session token hardcoded in SESSION_TOKEN '…'", 'AWS_SESSION_TOKEN'],
    ]);
  });

  it('passwords: a MotherDuck one is a token; an upper-case variable is its own reference', () => {
    const pw = f.password();
    const text = [`MOTHERDUCK_PASSWORD=${pw}`, `DB_PASSWORD=${pw}`, `db_PASSWORD=${pw}`, `DB_password=${pw}`, ''].join('\n');
    assert.deepEqual(said(text, 'env'), [
      ['MotherDuck token hardcoded in MOTHERDUCK_PASSWORD=…', 'MOTHERDUCK_TOKEN'],
      ['Password hardcoded in DB_PASSWORD=…', 'DB_PASSWORD'],
      ['Password hardcoded in db_PASSWORD=…', undefined],
      ['Password hardcoded in DB_password=…', undefined],
    ]);
    assert.deepEqual(said(`engine = create_engine("postgresql+psycopg2://app:${pw}@db/x")\n`, 'python'), [
      ['Password hardcoded in a postgresql+psycopg2:// connection string (postgresql+psycopg2://…:…@)', 'PGPASSWORD'],
    ]);
  });

  it('an Azure key id has no variable to refer to; its secret has', () => {
    assert.deepEqual(said(`AZURE_ACCESS_KEY_ID=${f.awsSecret()}\nAZURE_STORAGE_KEY=${f.azureAccountKey()}\n`, 'env'), [
      ['Azure storage key id hardcoded in AZURE_ACCESS_KEY_ID=…', undefined],
      ['Azure storage account key hardcoded in AZURE_STORAGE_KEY=…', 'AZURE_STORAGE_KEY'],
    ]);
  });

  it('a value stored in the keychain: named by its profile, or by the keychain when it has no label', () => {
    const salt = f.md5();
    const [labelled, unlabelled, token] = [f.r2Secret(), f.r2Secret(), f.blob(48)];
    const knownHashes: KnownHashes = {
      salt,
      hashes: new Map([
        [hashCredential(labelled, salt), { role: 'secret', provider: 'r2', label: 'Lake' }],
        [hashCredential(unlabelled, salt), { role: 'secret', provider: 'r2' }],
        [hashCredential(token, salt), { role: 'motherduck_token' }],
      ]),
    };
    assert.deepEqual(
      said(`R2_SECRET_KEY=${labelled}\nR2_SECRET_KEY=${unlabelled}\n`, 'env', { knownHashes }).map(([message]) => message),
      ["R2 secret access key of profile 'Lake' hardcoded in R2_SECRET_KEY=…", 'R2 secret access key from the keychain hardcoded in R2_SECRET_KEY=…'],
    );
    // Known by its hash alone (in a log line no rule reads): still a MotherDuck token.
    assert.deepEqual(said(`2026-01-01 connected with ${token}\n`, 'text', { knownHashes }), [['MotherDuck token from the keychain hardcoded', 'MOTHERDUCK_TOKEN']]);
  });
});
