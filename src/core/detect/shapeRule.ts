/**
 * Values whose shape alone gives them away, wherever they stand and whatever names them: AWS
 * access key ids (`AKIA…`, `ASIA…`), GCS HMAC ids (`GOOG1…`), AWS STS session tokens, Azure
 * `AccountKey=…` in a connection string, and MotherDuck tokens (JWTs) where MotherDuck is meant.
 */
import type { Candidate, ScanText } from './candidate';
import type { CredentialRole, Provider } from './finding';
import { AWS_KEY_ID_ANYWHERE, AWS_SESSION_TOKEN_ANYWHERE, GCS_HMAC_ID_ANYWHERE, isMotherDuckJwt, JWT_ANYWHERE } from './valueShape';

/** An Azure connection string's account key: exactly 86 base64 characters and `==`, then its end. */
const AZURE_CONNECTION_KEY = /AccountKey=[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/g;
const ACCOUNT_KEY_FIELD = 'AccountKey='.length;

/** The file mentions MotherDuck (`md:`, `motherduck`), so a JWT in it is most likely its token. */
export function mentionsMotherDuck(text: string): boolean {
  return /motherduck|(?<![A-Za-z0-9_])md:/i.test(text);
}

function shaped(start: number, end: number, role: CredentialRole, provider: Provider, what: string): Candidate {
  return {
    role,
    provider,
    valueStart: start,
    valueEnd: end,
    literalStart: start,
    literalEnd: end,
    quote: '',
    bare: false,
    bareCode: false,
    rule: 'shape',
    where: what,
  };
}

/** `motherDuckFile` is asked only when a JWT turns up (the check reads the whole file). */
export function shapeCandidates(scan: ScanText, motherDuckFile: () => boolean): Candidate[] {
  const { text } = scan;
  const out: Candidate[] = [];
  const each = (pattern: RegExp, found: (start: number, end: number, value: string) => void): void => {
    const re = new RegExp(pattern.source, pattern.flags);
    let match: RegExpExecArray | null;
    while ((match = re.exec(text)) !== null) found(match.index, match.index + match[0].length, match[0]);
  };
  each(AWS_KEY_ID_ANYWHERE, (start, end) => out.push(shaped(start, end, 'key_id', 'aws', 'in the text (its AWS key id shape)')));
  each(GCS_HMAC_ID_ANYWHERE, (start, end) => out.push(shaped(start, end, 'key_id', 'gcs', 'in the text (its GCS HMAC id shape)')));
  each(AWS_SESSION_TOKEN_ANYWHERE, (start, end) => out.push(shaped(start, end, 'session_token', 'aws', 'in the text (its STS token shape)')));
  each(AZURE_CONNECTION_KEY, (start, end) => out.push(shaped(start + ACCOUNT_KEY_FIELD, end, 'secret', 'azure', 'in an Azure connection string (AccountKey=\u2026)')));
  each(JWT_ANYWHERE, (start, end, value) => {
    if (isMotherDuckJwt(value) || motherDuckFile()) out.push(shaped(start, end, 'motherduck_token', 'motherduck', 'in the text (a MotherDuck token)'));
  });
  return out;
}
