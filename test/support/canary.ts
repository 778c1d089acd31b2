/**
 * The canary check every surface shares: a credential value planted in the input must not come out
 * anywhere (log, message, CLI output, LSP traffic, SARIF, a description, a summary) — not whole,
 * not percent-, JSON- or base64-encoded, not upper- or lower-cased, and, for secret values, not as a
 * fragment long enough to narrow a guess. A masked key id (`abcd…wxyz`) is fine: key ids are checked
 * whole only unless asked otherwise.
 */
import * as assert from 'node:assert/strict';

export interface Canary {
  /** For the failure message: what the value is ("R2 secret key"), never the value. */
  readonly name: string;
  readonly value: string;
  /** The longest run of the value's characters allowed out; undefined checks the whole value only. */
  readonly fragment?: number;
}

/** A canary for a secret value: no run of 12 or more of its characters may appear. */
export function secretCanary(name: string, value: string): Canary {
  return { name, value, fragment: 11 };
}

/** A canary for an identifier shown masked (an access key id): the whole value may not appear. */
export function idCanary(name: string, value: string): Canary {
  return { name, value };
}

/** The forms a value takes when something encodes it on the way out. */
function encodings(value: string): string[] {
  return [...new Set([value, value.toLowerCase(), value.toUpperCase(), encodeURIComponent(value), JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('base64').replace(/=+$/, '')])];
}

type Texts = Readonly<Record<string, string>> | readonly string[];

function surfacesOf(texts: Texts): (readonly [string, string])[] {
  if (isList(texts)) return texts.map((text, i) => [`text ${i + 1}`, text] as const);
  return Object.entries(texts);
}

function isList(texts: Texts): texts is readonly string[] {
  return Array.isArray(texts);
}

/** The first place (surface name) that holds a canary, described without the value, or undefined. */
export function findCanary(texts: Texts, canaries: readonly Canary[]): string | undefined {
  const surfaces = surfacesOf(texts);
  for (const canary of canaries) {
    if (canary.value.length < 8) throw new Error(`canary "${canary.name}" is too short to mean anything`);
    const needles = encodings(canary.value);
    if (canary.fragment !== undefined) {
      const size = canary.fragment + 1;
      for (let i = 0; i + size <= canary.value.length; i++) needles.push(canary.value.slice(i, i + size));
    }
    for (const [surface, text] of surfaces) {
      const lower = text.toLowerCase();
      const found = needles.find((needle) => text.includes(needle) || lower.includes(needle.toLowerCase()));
      if (found !== undefined) {
        const at = text.toLowerCase().indexOf(found.toLowerCase());
        const kind = found.length === canary.value.length || found.length > canary.value.length ? 'the value (or an encoding of it)' : `${found.length} characters of it`;
        return `${surface} holds ${kind} of the ${canary.name} at offset ${at}`;
      }
    }
  }
  return undefined;
}

/** Fails when any text holds any canary. The failure message never repeats the value. */
export function assertNoCanary(texts: Texts, canaries: readonly Canary[]): void {
  const total = surfacesOf(texts).reduce((n, [, text]) => n + text.length, 0);
  assert.ok(total > 0, 'the canary check was given nothing to look through');
  const found = findCanary(texts, canaries);
  assert.equal(found, undefined, found);
}

/**
 * A MotherDuck token: never whole, and never 12 characters of its signature (the header and the
 * payload's start are the same in every JWT, so fragments of those would match any token).
 */
export function tokenCanaries(name: string, token: string): Canary[] {
  const signature = token.split('.').pop() ?? token;
  return [idCanary(name, token), secretCanary(`${name} (signature)`, signature)];
}

/** The canaries for an R2 key pair: the key id whole, the secret key also by fragment. */
export function keyPairCanaries(keys: { readonly accessKeyId: string; readonly secretAccessKey: string }, what = 'R2'): Canary[] {
  return [idCanary(`${what} access key id`, keys.accessKeyId), secretCanary(`${what} secret access key`, keys.secretAccessKey)];
}
