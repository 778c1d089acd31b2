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
  /** Cloudflare's own endpoints use the account id's virtual host; custom servers get path style. */
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
      const url = new URL(profile.customEndpoint ?? '');
      const useSsl = url.protocol === 'https:';
      return { host: url.host, useSsl, url: `${url.protocol}//${url.host}`, urlStyle: 'path', isDefault: false };
    }
  }
}

/** Something that hands out the active profile with its secrets, read fresh from SecretStorage. */
export interface CredentialSource {
  /** The active profile, or undefined when none is set up. */
  activeCredentials(): Promise<Credentials | undefined>;
  onDidChange(listener: () => void): { dispose(): void };
}
