/**
 * "Replace with a reference": the text that refers to an environment variable in the syntax the
 * value was written in — dbt Jinja in SQL and YAML, `os.environ[…]` in Python, `"$VAR"` in shell.
 * Plain functions over a finding and the document text; the server turns them into edits.
 */
import type { FileKind } from '../detect/fileKind';
import type { Finding, LspRange } from '../detect/finding';

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

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Folders of a dbt project: SQL there is Jinja even before it holds any `{{ }}`. */
const DBT_FOLDER = /(^|\/)(models|macros|analyses|snapshots|seeds|tests)\//;

/** The reference fix for a finding, or undefined where no reference fits (`.env`, Markdown, prose). */
export function referenceFix(finding: Finding, text: string, documentPath: string): ReferenceFix | undefined {
  const name = finding.envVar;
  if (!name || !ENV_NAME.test(name) || finding.jsonEscaped) return undefined;
  switch (syntaxOf(finding)) {
    case 'sql':
      return isDbtSql(text, documentPath) ? jinja(finding, name, 'value') : undefined;
    case 'yaml':
      return jinja(finding, name, finding.quote === '' ? 'bare' : 'value');
    case 'python':
      return python(finding, text, name);
    case 'shell':
      return shell(finding, text, name);
    default:
      return undefined;
  }
}

function syntaxOf(finding: Finding): FileKind {
  return finding.syntax === 'dbt-profiles' || finding.syntax === 'dbt-project' ? 'yaml' : finding.syntax;
}

export function isDbtSql(text: string, documentPath: string): boolean {
  return /\{\{|\{%/.test(text) || DBT_FOLDER.test(documentPath.replace(/\\/g, '/'));
}

/** `{{ env_var('X') }}` in place of the value, inside its quotes; a bare YAML value gets quotes of its own. */
function jinja(finding: Finding, name: string, where: 'value' | 'bare'): ReferenceFix {
  const inner = finding.quote === "'" ? '"' : "'";
  const reference = `{{ env_var(${inner}${name}${inner}) }}`;
  const newText = where === 'bare' ? `"${reference}"` : reference;
  return { title: `Replace with ${reference}`, reference: newText, edits: [{ range: finding.range, newText }] };
}

/** `os.environ["X"]` in place of a Python string that stands on its own (not a value inside SQL text). */
function python(finding: Finding, text: string, name: string): ReferenceFix | undefined {
  if (!['"', "'", '"""', "'''"].includes(finding.quote) || !standsAlone(text, finding.literal.start)) return undefined;
  const reference = `os.environ["${name}"]`;
  const edits: TextReplacement[] = [{ range: finding.literal.range, newText: reference }];
  if (!/^\s*(import\s+os\b|from\s+os\s+import\b)/m.test(text)) {
    edits.unshift({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'import os\n' });
  }
  return { title: `Replace with ${reference}`, reference, edits };
}

/** `"$X"` in place of the value with its quotes (`KEY=…`, `--secret '…'`). */
function shell(finding: Finding, text: string, name: string): ReferenceFix | undefined {
  if (finding.quote !== '' && finding.quote !== '"' && finding.quote !== "'") return undefined;
  const before = text.slice(Math.max(0, finding.literal.start - 64), finding.literal.start);
  // `export R2_SECRET_KEY=…` assigns the variable itself: a reference to it would be circular.
  const assigned = /([A-Za-z_][A-Za-z0-9_]*)=$/.exec(before)?.[1];
  if (assigned === name) return undefined;
  const reference = `"$${name}"`;
  return { title: `Replace with ${reference}`, reference, edits: [{ range: finding.literal.range, newText: reference }] };
}

/** The literal follows `=`, `(`, `,`, `:`, `[` or `{` (blanks aside): a value of its own, not text inside another string. */
function standsAlone(text: string, literalStart: number): boolean {
  const before = text.slice(Math.max(0, literalStart - 200), literalStart).replace(/\s+$/, '');
  return /[=(,:[{]$/.test(before) || before === '';
}
