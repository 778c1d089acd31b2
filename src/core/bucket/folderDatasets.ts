/**
 * Copy Query on a folder that holds several datasets. One `read_parquet('…/**\/*.parquet')` over
 * sub-folders with different schemas fails ("schema mismatch in glob"), and one reader over a folder
 * of Parquet and CSV drops the CSV. So the folder is surveyed first: each ordinary sub-folder is a
 * dataset (Hive `key=value/` folders are partitions of one), and each file format is a dataset of
 * its own. With one dataset the query is the usual one; with several there is one query per
 * dataset, plus, per format found in several datasets, all of them together with
 * `union_by_name = true` (columns matched by name, missing ones NULL). No VS Code import.
 */
import { extensionGlob, folderQuery, readFunctionFor } from './bucketQueries';
import { baseName, hivePartition, r2Uri, type BucketSource } from './bucketSource';
import { hasPathSyntax, refusePathSyntax } from './keyPathSyntax';
import { sqlString } from '../secrets/secretSql';

export interface DatasetQuery {
  /** `pv_sites/ (parquet)`, `All 3 parquet datasets`. */
  readonly label: string;
  readonly description: string;
  readonly query: string;
}

export interface FolderQueries {
  /** One entry: copy it. Several: let the user pick (the first reads them all together when it can). */
  readonly choices: readonly DatasetQuery[];
  /** What the folder holds, when it holds several datasets: `3 datasets (2 folders, parquet and csv)`. */
  readonly summary?: string;
}

interface Dataset {
  /** The folder the dataset's files are under (`prefix` itself for files directly in it). */
  readonly prefix: string;
  /** Only files directly in `prefix` (not below it). */
  readonly directOnly: boolean;
  /** `*.parquet`, `*.csv.gz`. */
  readonly glob: string;
  readonly sample: string;
  readonly partitioned: boolean;
}

/** Lists at most this many pages to survey one folder. */
const SURVEY_BUDGET = 40;

export async function folderQueriesFor(source: BucketSource, prefix: string, signal?: AbortSignal, scheme: 'r2' | 's3' = 'r2'): Promise<FolderQueries> {
  refusePathSyntax(prefix, 'Copy Query');
  const budget = { left: SURVEY_BUDGET };
  const page = await source.listPrefix(prefix, undefined, signal);
  budget.left--;
  const ordinary = page.folders.filter((f) => hivePartition(f.prefix) === undefined);
  const datasets: Dataset[] = [];
  if (ordinary.length === 0) {
    // Files here and Hive partitions below: one dataset per format.
    const survey = await surveyTree(source, prefix, page, budget, signal);
    for (const [glob, sample] of survey.formats) datasets.push({ prefix, directOnly: false, glob, sample, partitioned: survey.partitioned });
  } else {
    for (const [glob, sample] of formatsOf(page.objects.map((o) => o.key))) datasets.push({ prefix, directOnly: true, glob, sample, partitioned: false });
    for (const folder of page.folders) {
      // surveyTree lists nothing once the budget is spent.
      const survey = await surveyTree(source, folder.prefix, undefined, budget, signal);
      for (const [glob, sample] of survey.formats) datasets.push({ prefix: folder.prefix, directOnly: false, glob, sample, partitioned: survey.partitioned });
    }
  }
  // A sub-folder whose name DuckDB would read as path syntax (`?`, `*`, `[`, `{`) is never put in a query.
  const safe = datasets.filter((d) => !hasPathSyntax(d.prefix));
  datasets.splice(0, datasets.length, ...safe);
  if (datasets.length <= 1) {
    const only = datasets[0];
    const query = only
      ? folderQuery(source.bucket, prefix, only.sample, only.partitioned || hivePartition(prefix) !== undefined, scheme)
      : // Stryker disable next-line BooleanLiteral: without a sample folderQuery answers a glob() listing, which takes no Hive option
        folderQuery(source.bucket, prefix, undefined, false, scheme);
    return { choices: [{ label: baseName(prefix) || source.bucket, description: 'the whole folder', query }] };
  }
  const choices: DatasetQuery[] = [];
  for (const glob of new Set(datasets.map((d) => d.glob))) {
    const same = datasets.filter((d) => d.glob === glob);
    if (same.length < 2) continue;
    const sample = same[0]!.sample;
    choices.push({
      label: `All ${same.length} ${formatName(glob)} datasets together`,
      description: 'union_by_name = true: columns matched by name, missing ones NULL',
      // Hive columns only when every dataset has them: DuckDB refuses a glob whose files differ in partition folders.
      query: readerQuery(source.bucket, `${prefix}**/${glob}`, sample, same.every((d) => d.partitioned) ? true : same.some((d) => d.partitioned) ? false : undefined, true, scheme),
    });
  }
  for (const d of datasets) {
    const where = d.directOnly ? 'files in this folder' : baseName(d.prefix) + '/';
    choices.push({
      label: `${where} (${formatName(d.glob)})`,
      description: d.partitioned ? 'Hive partitions as columns' : '',
      query: readerQuery(source.bucket, d.directOnly ? `${d.prefix}${d.glob}` : `${d.prefix}**/${d.glob}`, d.sample, d.partitioned, false, scheme),
    });
  }
  const folders = new Set(datasets.filter((d) => !d.directOnly).map((d) => d.prefix)).size;
  const formats = [...new Set(datasets.map((d) => formatName(d.glob)))];
  const formatList = [formats.slice(0, -1).join(', '), ...formats.slice(-1)].filter(Boolean).join(' and ');
  const parts = [folders > 0 ? `${folders} folder${folders === 1 ? '' : 's'}` : '', formatList].filter(Boolean).join('; ');
  return { choices, summary: `${datasets.length} datasets (${parts})` };
}

/** `FROM read_parquet('r2://b/p/**\/*.parquet'[, hive_partitioning = true|false][, union_by_name = true]);` (false: some files are in partitions, some not). */
function readerQuery(bucket: string, globPath: string, sample: string, partitioned: boolean | undefined, unionByName: boolean, scheme: 'r2' | 's3'): string {
  // Stryker disable next-line StringLiteral: every sample is a key readFunctionFor reads (formatsOf keeps no other)
  const reader = readFunctionFor(sample) ?? 'read_parquet';
  const hive = partitioned === true ? 'hive_partitioning = true' : partitioned === false && unionByName ? 'hive_partitioning = false' : '';
  const options = [hive, unionByName ? 'union_by_name = true' : ''].filter(Boolean);
  return `FROM ${reader}(${[sqlString(r2Uri(bucket, globPath, scheme), 'The folder path'), ...options].join(', ')});`;
}

/** `parquet`, `csv.gz`. */
function formatName(glob: string): string {
  // Stryker disable next-line Regex: a glob is `*` and an extension, so its only `*.` is at the start
  return glob.replace(/^\*\./, '');
}

/** Readable formats among `keys`: glob → first key with it. */
function formatsOf(keys: readonly string[]): Map<string, string> {
  const formats = new Map<string, string>();
  for (const key of keys) {
    if (readFunctionFor(key) === undefined) continue;
    const glob = extensionGlob(key);
    // Stryker disable next-line ConditionalExpression: keys with the same glob share their extension, so any of them is as good a sample
    if (!formats.has(glob)) formats.set(glob, key);
  }
  return formats;
}

/**
 * The formats below `prefix` and whether Hive partitions are on the way: the first page of each
 * level, going down the first sub-folder, until files are found (at most 8 levels).
 */
async function surveyTree(
  source: BucketSource,
  prefix: string,
  first: Awaited<ReturnType<BucketSource['listPrefix']>> | undefined,
  budget: { left: number },
  signal: AbortSignal | undefined,
): Promise<{ formats: Map<string, string>; partitioned: boolean }> {
  let partitioned = hivePartition(prefix) !== undefined;
  let page = first;
  let current = prefix;
  const formats = new Map<string, string>();
  for (let depth = 0; depth < 8; depth++) {
    if (!page) {
      if (budget.left <= 0) break;
      page = await source.listPrefix(current, undefined, signal);
      budget.left--;
    }
    partitioned ||= page.folders.some((f) => hivePartition(f.prefix) !== undefined);
    // Stryker disable next-line ConditionalExpression: formats is still empty here (the loop ends at the first page with files)
    for (const [glob, sample] of formatsOf(page.objects.map((o) => o.key))) if (!formats.has(glob)) formats.set(glob, sample);
    const next = page.folders[0];
    if (formats.size > 0 || !next) break;
    current = next.prefix;
    page = undefined;
  }
  return { formats, partitioned };
}
