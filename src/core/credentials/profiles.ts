/**
 * R2 credential profiles: the model and where a profile's data lives. No VS Code import.
 * Non-secret fields (ProfileInfo) may be kept in globalState; the access key id and secret key
 * (ProfileSecrets) live only in SecretStorage (credentialStore.ts).
 */

/** Where the bucket's data lives, which decides the S3 endpoint. */
export type Jurisdiction = 'default' | 'eu' | 'fedramp' | 'custom';

export interface ProfileInfo {
  /** Stable id, never derived from editable fields; SecretStorage keys are built from it. */
  readonly id: string;
  readonly label: string;
  /** Cloudflare account id: 32 hex characters. */
  readonly accountId: string;
  /** Default bucket, e.g. `eo_pv_lakehouse`. */
  readonly bucket: string;
  readonly jurisdiction: Jurisdiction;
  /** Only for `custom`: `https://host[:port]` or `http://host:port`. */
  readonly customEndpoint?: string;
}

export interface ProfileSecrets {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** A profile with its secret values, read from SecretStorage just before use and never kept. */
export interface Credentials extends ProfileInfo, ProfileSecrets {}

export interface Endpoint {
  /** `host` or `host:port`, without scheme: what DuckDB's ENDPOINT takes. */
  readonly host: string;
  readonly useSsl: boolean;
  /** The URL an S3 client uses: `https://host` or `http://host:port`. */
  readonly url: string;
  /**
   * R2 takes the bucket in the path (DuckDB's r2 secret does the same); S3-compatible servers on
   * loopback need path style too. `vhost` stays in the type for S3 endpoints that require it.
   */
  readonly urlStyle: 'path' | 'vhost';
  /** True for the default endpoint, which DuckDB derives from ACCOUNT_ID by itself. */
  readonly isDefault: boolean;
}

export function resolveEndpoint(profile: ProfileInfo): Endpoint {
  const cloudflare = (host: string, isDefault: boolean): Endpoint => ({
    host,
    useSsl: true,
    url: `https://${host}`,
    urlStyle: 'path',
    isDefault,
  });
  switch (profile.jurisdiction) {
    case 'default':
      return cloudflare(`${profile.accountId}.r2.cloudflarestorage.com`, true);
    case 'eu':
      return cloudflare(`${profile.accountId}.eu.r2.cloudflarestorage.com`, false);
    case 'fedramp':
      return cloudflare(`${profile.accountId}.fedramp.r2.cloudflarestorage.com`, false);
    case 'custom': {
      if (!profile.customEndpoint) throw new Error(`Profile "${profile.label}" uses a custom endpoint but has none set`);
      const url = new URL(profile.customEndpoint);
      const useSsl = url.protocol === 'https:';
      return { host: url.host, useSsl, url: `${url.protocol}//${url.host}`, urlStyle: 'path', isDefault: false };
    }
  }
}

/** The bucket the seed project uses when `DUCKLAKE_NAME` is not set. */
export const DEFAULT_BUCKET = 'eo_pv_lakehouse';

export const JURISDICTIONS: readonly Jurisdiction[] = ['default', 'eu', 'fedramp', 'custom'];

export function isJurisdiction(value: unknown): value is Jurisdiction {
  return (JURISDICTIONS as readonly unknown[]).includes(value);
}

/** Where a profile's data lives, in words: for quick picks, tooltips and messages. */
export function describeLocation(profile: Pick<ProfileInfo, 'jurisdiction' | 'customEndpoint'>): string {
  switch (profile.jurisdiction) {
    case 'default':
      return 'default endpoint';
    case 'eu':
      return 'EU jurisdiction';
    case 'fedramp':
      return 'FedRAMP';
    case 'custom':
      return profile.customEndpoint ?? 'custom endpoint';
  }
}

const CLOUDFLARE_HOST = /^([0-9a-f]{32})(?:\.(eu|fedramp))?\.r2\.cloudflarestorage\.com$/;

/**
 * The inverse of `resolveEndpoint` for an endpoint URL someone wrote down (e.g. `R2_ENDPOINT`):
 * Cloudflare's own hosts become their jurisdiction (with the account id they carry), anything
 * else is a custom endpoint. `url` is already normalized (`parseEndpoint` in profileValidation.ts).
 */
export function locateEndpoint(url: string): { jurisdiction: Jurisdiction; accountId?: string; customEndpoint?: string } {
  const parsed = new URL(url);
  const match = parsed.protocol === 'https:' && parsed.port === '' ? CLOUDFLARE_HOST.exec(parsed.hostname) : null;
  if (!match) return { jurisdiction: 'custom', customEndpoint: url };
  const jurisdiction = match[2] === 'eu' ? 'eu' : match[2] === 'fedramp' ? 'fedramp' : 'default';
  return { jurisdiction, accountId: match[1] };
}

/** Something that hands out the active profile with its secrets, read fresh from SecretStorage. */
export interface CredentialSource {
  /** The active profile, or undefined when none is set up. */
  activeCredentials(): Promise<Credentials | undefined>;
  onDidChange(listener: () => void): { dispose(): void };
}
