/**
 * Defence in depth for secret values: every secret the extension reads from SecretStorage is
 * registered here, and every line it logs or shows passes through `scrub`, so a value that slips
 * into an error text (DuckDB's parser echoes statement text) is replaced before anyone sees it.
 */
const MIN_LENGTH = 4;
const known = new Set<string>();

export function registerSecretValue(value: string | undefined): void {
  if (value && value.length >= MIN_LENGTH) known.add(value);
}

export function scrub(text: string): string {
  let out = text;
  // Longest first: a secret that holds a shorter one is hidden whole, not around the shorter one.
  for (const value of [...known].sort((a, b) => b.length - a.length)) out = out.split(value).join('••••••');
  return out;
}

/** For tests: forget every registered value. */
export function clearSecretValues(): void {
  known.clear();
}
