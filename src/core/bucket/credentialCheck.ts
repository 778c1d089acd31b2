/**
 * Test R2 Bucket proves two sets of credentials, which may differ: the DuckDB secret `which_secret`
 * picks for the path (it lists and reads), and the active profile's own keys (Browse Bucket and
 * Open Bucket Path… list with them). A persistent secret made from older keys can pass while the
 * profile's keys are wrong, so the result names each and says which failed. No VS Code import.
 */
import type { Credentials } from '../credentials/profiles';
import { CancelledError, errorText } from '../errors';

/** What the active profile's own keys did. */
export type ProfileCheck =
  | { readonly outcome: 'ok'; readonly profileId: string; readonly profile: string }
  | { readonly outcome: 'failed'; readonly profileId: string; readonly profile: string; readonly message: string };

/** One listing request of at most one key with the profile's own keys: cheap, and what Browse Bucket would do first. */
export async function checkProfile(credentials: Credentials, bucket: string, prefix: string, signal?: AbortSignal): Promise<ProfileCheck> {
  const { signedList } = await import('./s3Listing');
  try {
    await signedList(credentials, { bucket, prefix, delimiter: '/', maxKeys: 1, ...(signal ? { signal } : {}) });
    return profileOk(credentials);
  } catch (error) {
    if (signal?.aborted || error instanceof CancelledError) throw new CancelledError();
    return profileFailed(credentials, error);
  }
}

export function profileOk(credentials: Credentials): ProfileCheck {
  return { outcome: 'ok', profileId: credentials.id, profile: credentials.label };
}

export function profileFailed(credentials: Credentials, error: unknown): ProfileCheck {
  return { outcome: 'failed', profileId: credentials.id, profile: credentials.label, message: errorText(error) };
}

/** What the test proved and what failed, for the result message. */
export interface CredentialReport {
  readonly proven: readonly string[];
  readonly failed: readonly string[];
}

/**
 * `secret r2_persist (Local file) lists and reads`, `profile "dev" lists` / `profile "dev": <why>`.
 * `secretLabel` is undefined when no secret applied (a local folder); `readOk` whether the read check passed.
 */
export function credentialReport(secretLabel: string | undefined, readOk: boolean, profile: ProfileCheck | undefined): CredentialReport {
  const proven: string[] = [];
  const failed: string[] = [];
  if (secretLabel) proven.push(`secret ${secretLabel} lists${readOk ? ' and reads' : ''}`);
  if (profile?.outcome === 'ok') proven.push(`profile "${profile.profile}" lists with its own keys`);
  if (profile?.outcome === 'failed') failed.push(`profile "${profile.profile}" with its own keys (used by Browse Bucket): ${profile.message}`);
  return { proven, failed };
}
