import * as assert from 'node:assert/strict';
import { describeLocation, isJurisdiction, locateEndpoint, resolveEndpoint, type ProfileInfo } from '../../../../src/core/credentials/profiles';

const account = '0123456789abcdef0123456789abcdef';
const profile = (extra: Partial<ProfileInfo>): ProfileInfo => ({ id: 'p1', label: 'dev', accountId: account, bucket: 'b', jurisdiction: 'default', ...extra });

describe('profile model', () => {
  it('resolves the default, EU and FedRAMP endpoints from the account id', () => {
    assert.deepEqual(resolveEndpoint(profile({})), {
      host: `${account}.r2.cloudflarestorage.com`,
      useSsl: true,
      url: `https://${account}.r2.cloudflarestorage.com`,
      urlStyle: 'path',
      isDefault: true,
    });
    assert.equal(resolveEndpoint(profile({ jurisdiction: 'eu' })).host, `${account}.eu.r2.cloudflarestorage.com`);
    assert.equal(resolveEndpoint(profile({ jurisdiction: 'eu' })).isDefault, false);
    assert.equal(resolveEndpoint(profile({ jurisdiction: 'fedramp' })).host, `${account}.fedramp.r2.cloudflarestorage.com`);
  });

  it('resolves custom endpoints: http means no TLS, the port is kept', () => {
    assert.deepEqual(resolveEndpoint(profile({ jurisdiction: 'custom', customEndpoint: 'http://127.0.0.1:9000' })), {
      host: '127.0.0.1:9000',
      useSsl: false,
      url: 'http://127.0.0.1:9000',
      urlStyle: 'path',
      isDefault: false,
    });
    const tls = resolveEndpoint(profile({ jurisdiction: 'custom', customEndpoint: 'https://s3.example.com:8443' }));
    assert.deepEqual([tls.host, tls.useSsl, tls.url], ['s3.example.com:8443', true, 'https://s3.example.com:8443']);
  });

  it('says which profile lacks its custom endpoint instead of "Invalid URL"', () => {
    assert.throws(() => resolveEndpoint(profile({ jurisdiction: 'custom' })), /Profile "dev" uses a custom endpoint but has none set/);
  });

  it("reads Cloudflare's endpoints back as jurisdictions with their account id, anything else as custom", () => {
    assert.deepEqual(locateEndpoint(`https://${account}.r2.cloudflarestorage.com`), { jurisdiction: 'default', accountId: account });
    assert.deepEqual(locateEndpoint(`https://${account}.eu.r2.cloudflarestorage.com`), { jurisdiction: 'eu', accountId: account });
    assert.deepEqual(locateEndpoint(`https://${account}.fedramp.r2.cloudflarestorage.com`), { jurisdiction: 'fedramp', accountId: account });
    assert.deepEqual(locateEndpoint(`http://${account}.r2.cloudflarestorage.com`), {
      jurisdiction: 'custom',
      customEndpoint: `http://${account}.r2.cloudflarestorage.com`,
    });
    assert.deepEqual(locateEndpoint(`https://${account}.r2.cloudflarestorage.com:8443`), {
      jurisdiction: 'custom',
      customEndpoint: `https://${account}.r2.cloudflarestorage.com:8443`,
    });
    assert.deepEqual(locateEndpoint('http://localhost:9000'), { jurisdiction: 'custom', customEndpoint: 'http://localhost:9000' });
  });

  it('round-trips: locating a resolved Cloudflare endpoint gives the profile back', () => {
    for (const jurisdiction of ['default', 'eu', 'fedramp'] as const) {
      const located = locateEndpoint(resolveEndpoint(profile({ jurisdiction })).url);
      assert.deepEqual(located, { jurisdiction, accountId: account });
    }
  });

  it('describes where the data lives in words', () => {
    assert.equal(describeLocation({ jurisdiction: 'default' }), 'default endpoint');
    assert.equal(describeLocation({ jurisdiction: 'eu' }), 'EU jurisdiction');
    assert.equal(describeLocation({ jurisdiction: 'fedramp' }), 'FedRAMP');
    assert.equal(describeLocation({ jurisdiction: 'custom' }), 'custom endpoint');
    assert.equal(describeLocation({ jurisdiction: 'custom', customEndpoint: 'http://127.0.0.1:9000' }), 'http://127.0.0.1:9000');
  });

  it('knows the four jurisdictions and nothing else', () => {
    assert.deepEqual(['default', 'eu', 'fedramp', 'custom'].filter(isJurisdiction), ['default', 'eu', 'fedramp', 'custom']);
    assert.deepEqual(['EU', 'mars', '', undefined, null, 1, ['eu']].filter(isJurisdiction), []);
  });
});
