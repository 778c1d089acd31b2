/**
 * A digest of some environment variables (sha256 over `name=value` lines, an unset one as `name`
 * alone): proves what a terminal's or task's environment holds without a value ever leaving it.
 * The integration test runs this module inside a task (`node -e "require(…)…"`) and compares the
 * digest with one computed from the keychain's values.
 */
import { createHash } from 'node:crypto';

export function environmentChecksum(names: readonly string[], env: Readonly<Record<string, string | undefined>>): string {
  const hash = createHash('sha256');
  for (const name of names) hash.update(env[name] === undefined ? `${name}\n` : `${name}=${env[name]}\n`);
  return hash.digest('hex');
}
