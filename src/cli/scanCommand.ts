/**
 * `scan`: the credential detector over files, for CI and pre-commit hooks. Prints where each
 * finding is, its kind and message, never the value (text, JSON or SARIF 2.1.0 with ruleId = kind).
 * Exit code 1 when anything is found.
 */
import type { CliContext } from './cliContext';
import { EXIT, usageError, type ExitCode } from './cliErrors';
import { givenFiles, stagedFiles, trackedFiles, type ScanFile } from './scanFiles';

/** What the CLI needs of a finding: a subset of the detection engine's `Finding`. */
export interface ScanFinding {
  readonly kind: string;
  readonly severity: 'warning' | 'information';
  /** Says what and where, never the value. */
  readonly message: string;
  /** 0-based line and UTF-16 character, as LSP counts them. */
  readonly range: { readonly start: { readonly line: number; readonly character: number }; readonly end: { readonly line: number; readonly character: number } };
}

/** The detection engine, seen from the CLI: a file's text and name in, findings out. */
export type Detector = (text: string, fileName: string) => readonly ScanFinding[];

export type ScanFormat = 'text' | 'json' | 'sarif';

export interface ScanOptions {
  readonly staged?: boolean;
  readonly format: string;
  readonly version: string;
}

interface Located extends ScanFinding {
  readonly path: string;
}

export async function scanCommand(ctx: CliContext, detect: Detector, paths: readonly string[], options: ScanOptions): Promise<ExitCode> {
  const format = options.format as ScanFormat;
  if (!['text', 'json', 'sarif'].includes(format)) throw usageError(`--format takes text, json or sarif; got "${options.format}".`);
  if (options.staged && paths.length > 0) throw usageError('Give either --staged or PATHS, not both.');
  const files: ScanFile[] = options.staged ? await stagedFiles(ctx.cwd) : paths.length > 0 ? await givenFiles(ctx.cwd, paths) : await trackedFiles(ctx.cwd);
  const found: Located[] = [];
  let scanned = 0;
  for (const file of files) {
    const text = await file.read();
    if (text === undefined) continue;
    scanned++;
    for (const finding of detect(text, file.path)) found.push({ ...finding, path: file.path });
  }
  const t = ctx.terminal;
  if (format === 'sarif') t.json(toSarif(found, options.version));
  else if (format === 'json') t.json({ files: scanned, findings: found.map(toJson) });
  else {
    for (const f of found) {
      const where = `${f.path}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      t.out(`${t.style('bold', where)}  ${t.style(f.severity === 'warning' ? 'yellow' : 'dim', f.kind)}  ${f.message}`);
    }
    t.note(`${found.length} finding${found.length === 1 ? '' : 's'} in ${scanned} file${scanned === 1 ? '' : 's'} scanned.`);
  }
  return found.length > 0 ? EXIT.failed : EXIT.ok;
}

function toJson(f: Located) {
  return {
    path: f.path,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    kind: f.kind,
    severity: f.severity,
    message: f.message,
  };
}

/** SARIF 2.1.0: one run, one rule per finding kind; columns are 1-based UTF-16 code units. */
export function toSarif(found: readonly Located[], version: string) {
  const kinds = [...new Set(found.map((f) => f.kind))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'duckdb-secrets',
            version,
            rules: kinds.map((kind) => ({ id: kind, name: kind, shortDescription: { text: `Hardcoded credential (${kind})` } })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: found.map((f) => ({
          ruleId: f.kind,
          ruleIndex: kinds.indexOf(f.kind),
          level: f.severity === 'warning' ? 'warning' : 'note',
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.path) },
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
        })),
      },
    ],
  };
}
