/**
 * The file's idiomatic reference to an environment variable, for "Replace with a reference":
 * dbt SQL and YAML `{{ env_var('R2_SECRET_KEY') }}`, Python `os.environ["R2_SECRET_KEY"]`, shell
 * `"$R2_SECRET_KEY"`. Undefined where no reference fits (a `.env` file is where values belong;
 * plain DuckDB SQL, prose, a password inside a connection string).
 */
import type { Finding, Span } from './finding';

export interface Replacement {
  /** What to replace: the value inside its quotes (SQL) or the whole literal. */
  readonly span: Span;
  readonly newText: string;
}

/** dbt Jinja in the text: `{{ … }}` or `{% … %}`. */
export function usesJinja(text: string): boolean {
  return /\{\{|\{%/.test(text);
}

function jsonEscape(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/**
 * `dbt`: the file belongs to a dbt project (its SQL or YAML is rendered by dbt); `usesJinja` on
 * the text is a fair guess when the caller knows no better. dbt-profiles and dbt-project files are
 * dbt files whatever the flag says.
 */
export function referenceReplacement(finding: Finding, dbt: boolean): Replacement | undefined {
  const name = finding.envVar;
  if (!name || finding.rule === 'url-password') return undefined;
  const value: Span = { start: finding.start, end: finding.end, range: finding.range };
  let replacement: Replacement | undefined;
  switch (finding.syntax) {
    case 'sql':
      // Unquoted in SQL (or Python, below): inside a string or a comment, where no reference fits.
      if (dbt && finding.quote.length > 0) replacement = { span: value, newText: `{{ env_var('${name}') }}` };
      break;
    case 'yaml':
    case 'dbt-profiles':
    case 'dbt-project':
      if (dbt || finding.syntax !== 'yaml') {
        // Always a double-quoted scalar: inside '…' the quotes of env_var('…') would end the string.
        replacement = { span: finding.literal, newText: `"{{ env_var('${name}') }}"` };
      }
      break;
    case 'python':
      if (finding.quote.length > 0) replacement = { span: finding.literal, newText: `os.environ["${name}"]` };
      break;
    case 'shell':
      replacement = { span: finding.literal, newText: `"$${name}"` };
      break;
  }
  if (!replacement || !finding.jsonEscaped) return replacement;
  return { span: replacement.span, newText: jsonEscape(replacement.newText) };
}
