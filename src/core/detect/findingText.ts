/**
 * The words of a finding: its message (what and where, never the value) and the environment
 * variable a reference should name, from the extension's `duckdbSecrets.env.*` defaults.
 */
import {
  DEFAULT_DETECT_ENV_NAMES,
  type CredentialRole,
  type DetectEnvNames,
  type FindingKind,
  type KnownCredential,
  type Provider,
} from './finding';

const SECRET_LABEL: Readonly<Record<Provider, string>> = {
  r2: 'R2 secret access key',
  aws: 'AWS secret access key',
  gcs: 'GCS HMAC secret',
  azure: 'Azure storage account key',
  motherduck: 'MotherDuck secret',
  unknown: 'Secret access key',
};

const KEY_ID_LABEL: Readonly<Record<Provider, string>> = {
  r2: 'R2 access key id',
  aws: 'AWS access key id',
  gcs: 'GCS HMAC access id',
  azure: 'Azure storage key id',
  motherduck: 'MotherDuck key id',
  unknown: 'Access key id',
};

export function credentialLabel(role: CredentialRole, provider: Provider): string {
  switch (role) {
    case 'key_id':
      return KEY_ID_LABEL[provider];
    case 'secret':
      return SECRET_LABEL[provider];
    case 'session_token':
      return provider === 'aws' ? 'AWS session token' : 'Session token';
    case 'motherduck_token':
      return 'MotherDuck token';
    case 'password':
      return provider === 'motherduck' ? 'MotherDuck token' : 'Password';
    case 'account_id':
      return 'Cloudflare account id';
  }
}

export interface MessageInput {
  readonly kind: FindingKind;
  readonly role: CredentialRole;
  readonly provider: Provider;
  readonly where: string;
  readonly known?: KnownCredential;
}

export function findingMessage(input: MessageInput): string {
  const label = credentialLabel(input.role, input.provider);
  if (input.kind === 'account_id') {
    return `${label} ${input.where}: not a secret, but it belongs in a credential profile with the keys next to it`;
  }
  const owner = input.known ? (input.known.label ? ` of profile '${input.known.label}'` : ' from the keychain') : '';
  const legacy = input.kind === 'legacy_set' ? ' (legacy S3 setting; use a secret made from a credential profile)' : '';
  const where = input.where ? ` ${input.where}` : '';
  return `${label}${owner} hardcoded${where}${legacy}`;
}

/** The variable to refer to instead of the value, or undefined when none fits (most passwords). */
export function envVarFor(role: CredentialRole, provider: Provider, contextKey: string | undefined, names: DetectEnvNames = DEFAULT_DETECT_ENV_NAMES): string | undefined {
  switch (role) {
    case 'key_id':
      if (provider === 'aws') return 'AWS_ACCESS_KEY_ID';
      if (provider === 'gcs') return 'GCS_ACCESS_KEY_ID';
      return provider === 'azure' ? undefined : names.accessKeyId;
    case 'secret':
      if (provider === 'aws') return 'AWS_SECRET_ACCESS_KEY';
      if (provider === 'gcs') return 'GCS_SECRET';
      if (provider === 'azure') return 'AZURE_STORAGE_KEY';
      return names.secretKey;
    case 'session_token':
      return 'AWS_SESSION_TOKEN';
    case 'motherduck_token':
      return 'MOTHERDUCK_TOKEN';
    case 'account_id':
      return names.accountId;
    case 'password':
      if (provider === 'motherduck') return 'MOTHERDUCK_TOKEN';
      if (contextKey && /^postgres(?:ql)?(?:\+\w+)?:\/\/$/i.test(contextKey)) return 'PGPASSWORD';
      if (contextKey && /^[A-Z][A-Z0-9_]*$/.test(contextKey)) return contextKey;
      return undefined;
  }
}
