import * as assert from 'node:assert/strict';
import { hasKeyShape, isMotherDuckJwt, providerOfValue } from '../../../../src/core/detect/valueShape';
import { CredentialFixtures } from '../../../support/credentialFixtures';

describe('detect: the shapes credentials take (valueShape)', () => {
  const f = new CredentialFixtures(3131);

  it('key shapes: hex keys, AWS and GCS ids, Azure keys, JWTs, STS tokens, 40 base64 with digits and both cases', () => {
    for (const value of [f.r2KeyId(), f.r2Secret(), f.awsKeyId(), f.gcsHmacId(), f.azureAccountKey(), f.motherDuckToken(), f.otherJwt(), f.awsSessionToken()]) {
      assert.ok(hasKeyShape(value), value.slice(0, 6));
    }
    const secret = f.awsSecret();
    assert.ok(hasKeyShape(secret));
    // 40 base64 characters without a digit, a lower-case or an upper-case letter: a word list, a path.
    const letters = f.blob(40).replace(/[0-9+/]/g, 'k').replace(/^./, 'Q').replace(/.$/, 'z');
    assert.ok(!hasKeyShape(letters), 'no digit');
    assert.ok(!hasKeyShape(`${letters.slice(1)}7`.toLowerCase()), 'no upper case');
    assert.ok(!hasKeyShape(`${letters.slice(1)}7`.toUpperCase()), 'no lower case');
    assert.ok(hasKeyShape(`${letters.slice(1)}7`), 'all three');
    assert.ok(!hasKeyShape(f.password()));
    assert.ok(!hasKeyShape(f.azureAccountKey().slice(0, 80)), 'a piece of an Azure key');
  });

  it('the provider a shape tells, and whether it beats the context', () => {
    assert.deepEqual(providerOfValue(f.awsKeyId()), { provider: 'aws', strong: true });
    assert.deepEqual(providerOfValue(f.awsKeyId('ASIA')), { provider: 'aws', strong: true });
    assert.deepEqual(providerOfValue(f.awsSessionToken()), { provider: 'aws', strong: true });
    assert.deepEqual(providerOfValue(f.gcsHmacId()), { provider: 'gcs', strong: true });
    assert.deepEqual(providerOfValue(f.azureAccountKey()), { provider: 'azure', strong: true });
    assert.deepEqual(providerOfValue(f.motherDuckToken()), { provider: 'motherduck', strong: true });
    assert.deepEqual(providerOfValue(f.r2KeyId()), { provider: 'r2', strong: true });
    assert.deepEqual(providerOfValue(f.r2Secret()), { provider: 'r2', strong: true });
    assert.deepEqual(providerOfValue(f.awsSecret()), { provider: 'aws', strong: false });
    assert.equal(providerOfValue(f.password()), undefined);
    assert.equal(providerOfValue(f.blob(39)), undefined);
  });

  it('a MotherDuck JWT names MotherDuck in its payload', () => {
    assert.ok(isMotherDuckJwt(f.motherDuckToken()));
    assert.ok(!isMotherDuckJwt(f.otherJwt()));
    const [header, , signature] = f.otherJwt().split('.');
    const payload = Buffer.from(JSON.stringify({ iss: 'https://auth.MotherDuck.com/' }), 'utf8').toString('base64url');
    assert.ok(isMotherDuckJwt(`${header}.${payload}.${signature}`));
  });
});
