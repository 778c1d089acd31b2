/**
 * "Replace with a reference" as the language server offers it: the detector's
 * `referenceReplacement` (dbt Jinja, `os.environ[…]`, `"$VAR"`), plus what an editor fix needs on
 * top — `import os` when a Python file does not bind `os` (not in a notebook's JSON nor a Markdown
 * file), no Python or shell fix for a value inside another string (SQL text passed to
 * `duckdb.sql(…)` or `duckdb -c "…"`), and no shell fix that would refer a variable to itself.
 */
import { fileKindOf } from '../detect/fileKind';
import type { Finding, LspRange } from '../detect/finding';
import { referenceReplacement, usesJinja } from '../detect/references';

export interface TextReplacement {
  readonly range: LspRange;
  readonly newText: string;
}

export interface ReferenceFix {
  /** The action's title, e.g. `Replace with {{ env_var('R2_SECRET_KEY') }}`. */
  readonly title: string;
  /** The reference itself, also what "Store in a credential profile" puts in place of a lone literal. */
  readonly reference: string;
  readonly edits: readonly TextReplacement[];
}

/** Folders of a dbt project: SQL there is Jinja even before it holds any `{{ }}`. */
const DBT_FOLDER = /(^|\/)(models|macros|analyses|snapshots|seeds|tests)\//;

export function isDbtFile(text: string, documentPath: string): boolean {
  return usesJinja(text) || DBT_FOLDER.test(documentPath.replace(/\\/g, '/'));
}

/** The reference fix for a finding, or undefined where no reference fits (`.env`, Markdown, prose). */
export function referenceFix(finding: Finding, text: string, documentPath: string): ReferenceFix | undefined {
  const replacement = referenceReplacement(finding, isDbtFile(text, documentPath));
  if (!replacement) return undefined;
  const edits: TextReplacement[] = [{ range: replacement.span.range, newText: replacement.newText }];
  if (finding.syntax === 'python') {
    if (!standsAlone(text, finding.literal.start)) return undefined;
    // On the document's first line `import os` fits a Python file, not a notebook's JSON nor a Markdown file's prose.
    if (!finding.jsonEscaped && fileKindOf(documentPath) !== 'markdown' && !bindsOs(text)) {
      edits.unshift({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'import os\n' });
    }
  }
  if (finding.syntax === 'shell') {
    if (insideShellString(text, finding.literal.start)) return undefined;
    // `export R2_SECRET_KEY=…` assigns the variable itself: a reference to it would be circular.
    const assigned = /([A-Za-z_][A-Za-z0-9_]*)=$/.exec(text.slice(Math.max(0, finding.literal.start - 64), finding.literal.start))?.[1];
    if (assigned === finding.envVar) return undefined; // never both undefined: a replacement has an envVar
  }
  return { title: `Replace with ${replacement.newText}`, reference: replacement.newText, edits };
}

/**
 * The literal follows `=`, `(`, `,`, `:`, `[` or `{` (blanks aside): a value of its own, not text
 * inside another string. (A Python finding's literal always has its key before it.)
 */
function standsAlone(text: string, literalStart: number): boolean {
  const before = text.slice(Math.max(0, literalStart - 200), literalStart).replace(/\s+$/, '');
  return /[=(,:[{]$/.test(before);
}

/**
 * A line binds the name `os`: `import os`, `import os.path`, `import os, sys`; not
 * `from os import environ` nor `import os as o`, after which `os.environ[…]` is a NameError.
 */
function bindsOs(text: string): boolean {
  return /^\s*import\s+os\b(?![\w.]*\s+as\b)/m.test(text);
}

/** The literal sits inside a quoted string opened earlier on its line, where `"$VAR"` would end that string. */
function insideShellString(text: string, literalStart: number): boolean {
  const line = text.slice(text.lastIndexOf('\n', literalStart) + 1, literalStart);
  let quote = '';
  let escaped = false;
  for (const c of line) {
    if (escaped) escaped = false;
    else if (c === '\\' && quote !== "'") escaped = true;
    else if (quote === '' && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = '';
  }
  return quote !== '';
}
