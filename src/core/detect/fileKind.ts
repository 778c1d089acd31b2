/**
 * Which syntax a file is written in, decided from its name first (so any editor, and the CLI,
 * agree), then from an LSP language id (untitled documents, notebook cells, odd names).
 */
export type FileKind =
  | 'sql' // DuckDB SQL, dbt models and macros (Jinja)
  | 'python'
  | 'yaml'
  | 'dbt-profiles' // profiles.yml
  | 'dbt-project' // dbt_project.yml
  | 'env' // .env, .env.*, .envrc
  | 'shell' // sh, bash, zsh, fish
  | 'markdown'
  | 'notebook' // .ipynb JSON
  | 'text'; // anything else: INI, TOML, HCL, JSON, Dockerfile…

const BY_EXTENSION: Readonly<Record<string, FileKind>> = {
  sql: 'sql',
  py: 'python',
  pyw: 'python',
  pyi: 'python',
  yml: 'yaml',
  yaml: 'yaml',
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'markdown',
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
  ksh: 'shell',
  fish: 'shell',
  ipynb: 'notebook',
  env: 'env',
};

const BY_NAME: Readonly<Record<string, FileKind>> = {
  'profiles.yml': 'dbt-profiles',
  'profiles.yaml': 'dbt-profiles',
  'dbt_project.yml': 'dbt-project',
  'dbt_project.yaml': 'dbt-project',
  '.env': 'env',
  '.envrc': 'env',
  '.bashrc': 'shell',
  '.bash_profile': 'shell',
  '.zshrc': 'shell',
  '.zprofile': 'shell',
  '.profile': 'shell',
};

const BY_LANGUAGE: Readonly<Record<string, FileKind>> = {
  sql: 'sql',
  'jinja-sql': 'sql',
  'sql-bigquery': 'sql',
  duckdb: 'sql',
  postgres: 'sql',
  python: 'python',
  yaml: 'yaml',
  dotenv: 'env',
  env: 'env',
  markdown: 'markdown',
  shellscript: 'shell',
  fish: 'shell',
  zsh: 'shell',
  bash: 'shell',
  jupyter: 'notebook',
};

/** Extensions a template engine adds after the real one (`model.sql.j2`). */
const TEMPLATE_SUFFIXES = new Set(['j2', 'jinja', 'jinja2', 'tpl', 'template', 'example', 'sample']);

/**
 * `name` is a path or a URI (`file:///…/profiles.yml`, `untitled:Untitled-1`); `languageId` is the
 * editor's language id. Notebook cell URIs name the notebook file, so they go by the language id.
 */
export function fileKindOf(name: string, languageId?: string): FileKind {
  const byLanguage = languageId ? BY_LANGUAGE[languageId.toLowerCase()] : undefined;
  if (/^vscode-notebook-cell/i.test(name)) return byLanguage ?? 'python';
  const fromName = kindFromName(baseName(name));
  return fromName ?? byLanguage ?? 'text';
}

function baseName(name: string): string {
  const path = /^[a-z][a-z0-9+.-]*:/i.test(name) && !/^[a-z]:[\\/]/i.test(name) ? name.replace(/[?#].*/s, '') : name;
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  let base = path.slice(slash + 1).toLowerCase();
  try {
    base = decodeURIComponent(base);
  } catch {
    // Not percent-encoded: keep it as it is.
  }
  return base;
}

function kindFromName(base: string): FileKind | undefined {
  const exact = BY_NAME[base];
  if (exact) return exact;
  if (base.startsWith('.env.') || base.startsWith('.envrc.')) return 'env';
  // No extension (`Dockerfile`, a file named `env`): no kind by name.
  const dot = base.lastIndexOf('.');
  if (dot === -1) return undefined;
  const extension = base.slice(dot + 1);
  // `model.sql.j2` → model.sql, `profiles.yml.j2` → profiles.yml (`.env.example` is handled above).
  if (TEMPLATE_SUFFIXES.has(extension)) return kindFromName(base.slice(0, dot));
  return BY_EXTENSION[extension];
}
