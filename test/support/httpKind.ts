/**
 * A movable kind for DuckDB's built-in `http` secret type, which needs no extension: the tests run
 * every step of Move to Keychain with it where `r2`/`s3` would need httpfs. The proxy user name
 * plays the key id and the proxy password (redacted by DuckDB) the secret; the product never moves
 * `http` secrets.
 */
import type { MovableKind } from '../../src/core/secrets/plaintextSecrets';

export const HTTP_KIND: MovableKind = {
  type: 'http',
  keyIdParam: 'http_proxy_username',
  secretParam: 'http_proxy_password',
  parameters: { http_proxy: 'string' },
  refused: {
    bearer_token: 'it holds a bearer token',
    extra_http_headers: 'it sends extra HTTP headers',
  },
  location: (parameters) => {
    const proxy = parameters.get('http_proxy');
    return { accountId: '', jurisdiction: 'custom', customEndpoint: typeof proxy === 'string' ? proxy : 'https://proxy.invalid' };
  },
};
