/**
 * Credentials under the words people use for them, as the Cloudflare and AWS consoles show them and
 * notes copy them: `Access Key ID: …`, `Secret Access Key = …`, `R2 key: …`, `AWS secret: …`,
 * `MotherDuck token: …`, or the label on one line and the value alone on the next.
 */
import { elided, type Candidate, type ScanText } from './candidate';
import type { CredentialRole, Provider } from './finding';
import { readBare, readQuoted, skipBlanks } from './literals';
import { hasKeyShape } from './valueShape';

/** The phrase; the provider word before it is read by hand (an optional group here costs a lot). */
const LABEL = /\b(?:access[ \t]+key[ \t]+id|secret[ \t]+access[ \t]+key|access[ \t]+key|secret[ \t]+key|session[ \t]+token|key[ \t]+id|key|secret|token)\b/gi;
const PROVIDER_BEFORE = /\b(r2|aws|s3|gcs|hmac|minio|cloudflare|motherduck)[ \t]+$/i;

const PROVIDERS: Readonly<Record<string, Provider>> = { r2: 'r2', cloudflare: 'r2', aws: 'aws', s3: 'aws', gcs: 'gcs', hmac: 'gcs', motherduck: 'motherduck' };

function roleOf(phrase: string, provider: Provider | undefined): CredentialRole | undefined {
  const words = phrase.toLowerCase().split(/[ \t]+/).join(' ');
  if (words === 'session token') return 'session_token';
  if (words === 'token') return provider === 'motherduck' ? 'motherduck_token' : undefined;
  if (words.startsWith('secret')) return 'secret';
  return 'key_id';
}

export function labelCandidates(scan: ScanText): Candidate[] {
  const { text, kind } = scan;
  const out: Candidate[] = [];
  const label = new RegExp(LABEL.source, LABEL.flags);
  let match: RegExpExecArray | null;
  while ((match = label.exec(text)) !== null) {
    const phrase = match[0];
    const before = PROVIDER_BEFORE.exec(text.slice(Math.max(0, match.index - 16), match.index));
    // Stryker disable next-line OptionalChaining: group 1 is not optional, so it is there whenever `before` is
    const prefix = before?.[1]?.toLowerCase();
    // One word needs a provider before it (`R2 key`); `secret: …` alone is the option rule's.
    if (!prefix && !/[ \t]/.test(phrase)) continue;
    const provider = prefix ? PROVIDERS[prefix] : undefined;
    const role = roleOf(phrase, provider);
    if (!role) continue;
    let p = skipBlanks(text, match.index + match[0].length);
    const c = text[p];
    let nextLine = false;
    if (c === ':' || c === '=' || (c === '|' && scan.prose)) p = skipBlanks(text, p + 1);
    else if (c === '\n' || c === '\r') {
      p += text.startsWith('\r\n', p) ? 2 : 1;
      p = skipBlanks(text, p);
      nextLine = true;
    } else continue;
    const value = readQuoted(text, p, false) ?? readBare(text, p);
    if (!value) continue;
    const raw = text.slice(value.valueStart, value.valueEnd);
    const code = kind === 'sql' || kind === 'python';
    // A value on the next line must stand alone there and look like a key; so must a bare one in code.
    if (nextLine && !/^[ \t]*(?:\r|\n|$)/.test(text.slice(value.literalEnd, value.literalEnd + 2))) continue;
    if ((nextLine || (code && value.quote === '')) && !hasKeyShape(raw)) continue;
    const written = `${before ? before[0] : ''}${phrase}`.replace(/[ \t]+/g, ' ');
    out.push({
      role,
      kind: undefined,
      provider,
      valueStart: value.valueStart,
      valueEnd: value.valueEnd,
      literalStart: value.literalStart,
      literalEnd: value.literalEnd,
      quote: value.quote,
      bare: value.quote === '',
      bareCode: false,
      rule: 'option',
      contextKey: written,
      where: nextLine ? `under '${written}'` : `after '${written}${c === '|' ? ' |' : c}' ${elided(value.quote)}`,
      needsMotherDuck: false,
      keyNormalized: written.toLowerCase().replace(/[^a-z0-9]/g, ''),
      fString: false,
    });
    label.lastIndex = value.literalEnd;
  }
  return out;
}
