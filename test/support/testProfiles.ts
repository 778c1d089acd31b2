/**
 * The R2 profiles both test tiers use: a well-formed Cloudflare account id that belongs to nobody,
 * and a profile for the bucket `lake` of a local s3rver (custom http:// endpoint on 127.0.0.1).
 */
import type { Credentials, ProfileInfo, ProfileSecrets } from '../../src/core/credentials/profiles';
import type { S3Server } from './s3Server';

/** 32 hex digits, as Cloudflare's account ids are; no account has it. */
export const TEST_ACCOUNT_ID = '0123456789abcdef0123456789abcdef';

/** The non-secret fields of a profile for `server`'s bucket `lake`. */
export function s3rverProfileInfo(server: Pick<S3Server, 'endpoint'>, label: string): Omit<ProfileInfo, 'id'> {
  return { label, accountId: TEST_ACCOUNT_ID, bucket: 'lake', jurisdiction: 'custom', customEndpoint: server.endpoint };
}

/** A whole profile for `server`'s bucket `lake` signing with `keys`, as a CredentialSource hands it out. */
export function s3rverCredentials(server: Pick<S3Server, 'endpoint'>, keys: ProfileSecrets, overrides: Partial<Credentials> = {}): Credentials {
  return { id: 'profile-1', ...s3rverProfileInfo(server, 'Local lake'), ...keys, ...overrides };
}
