import * as assert from 'node:assert/strict';
import { assertNoCanary, findCanary, idCanary, keyPairCanaries, secretCanary, tokenCanaries } from '../../support/canary';
import { fakeMotherDuckToken } from '../../support/fakeTokens';
import { generatedKeyPair } from '../../support/generatedKeys';

describe('The canary check', () => {
  const keys = generatedKeyPair(4242);
  const canaries = keyPairCanaries(keys);

  it('finds a value whole, cased, percent-, JSON- or base64-encoded, and says where without repeating it', () => {
    for (const form of [keys.secretAccessKey, keys.secretAccessKey.toUpperCase(), encodeURIComponent(`${keys.accessKeyId}/`), Buffer.from(keys.secretAccessKey).toString('base64')]) {
      const found = findCanary({ log: `before ${form} after` }, canaries);
      assert.match(found ?? '', /^log holds /);
      assert.ok(!found?.includes(keys.secretAccessKey) && !found?.includes(keys.accessKeyId));
    }
  });

  it('finds twelve characters of a secret, but lets a masked key id through', () => {
    assert.match(findCanary([`secret …${keys.secretAccessKey.slice(20, 32)}…`], canaries) ?? '', /12 characters of it of the R2 secret access key/);
    assert.equal(findCanary([`key ${keys.accessKeyId.slice(0, 4)}…${keys.accessKeyId.slice(-4)}`], canaries), undefined);
    assert.equal(findCanary([`eleven ${keys.secretAccessKey.slice(0, 11)}`], canaries), undefined);
  });

  it('a token: never whole, never a piece of its signature; the JWT header common to all tokens is no match', () => {
    const token = fakeMotherDuckToken('canary-test');
    const token2 = fakeMotherDuckToken('other');
    const tokens = tokenCanaries('MotherDuck token', token);
    assert.equal(findCanary([token2], tokens), undefined);
    assert.ok(findCanary([`md:?motherduck_token=${token}`], tokens));
    assert.ok(findCanary([token.slice(-20)], tokens));
  });

  it('refuses to pass on nothing, and refuses canaries too short to mean anything', () => {
    assert.throws(() => assertNoCanary([], canaries), /given nothing/);
    assert.throws(() => findCanary(['x'], [idCanary('short', 'abc')]), /too short/);
    assert.doesNotThrow(() => assertNoCanary(['nothing here'], [secretCanary('s', 'abcdefgh')]));
    assert.throws(() => assertNoCanary(['abcdefgh'], [secretCanary('s', 'abcdefgh')]), /text 1 holds the value/);
  });
});
