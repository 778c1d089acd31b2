/**
 * A failed preview, translated the way Test R2 Bucket's failures are (the same S3 and transport
 * advice for r2:// paths), plus what only a preview meets: bytes that are not the format the name
 * says (no Parquet magic bytes, JSON DuckDB cannot read, CSV it cannot sniff). Each carries an
 * action to open the raw object, to see what is really there. No VS Code import.
 */
import { cleanDetail, isExtensionFailure, isInterrupt, translateBucketError } from './bucketErrors';
import { splitObjectUri } from './bucketSource';
import { translateDuckDBError } from '../duckdb/duckdbErrors';
import { CancelledError, UserFacingError, errorText, type ErrorAction } from '../errors';

export const OPEN_RAW_OBJECT_COMMAND = 'duckdbSecrets.openRawObject';

const FORMAT_PROBLEMS: readonly (readonly [RegExp, (name: string) => string])[] = [
  [/No magic bytes found|too small to be a Parquet file|not a parquet file/i, (name) => `${name} is not a Parquet file: it does not start and end with Parquet's magic bytes.`],
  [/duplicate key|Malformed JSON|JSON .*(?:parse|read)|could not parse JSON/i, (name) => `${name} is not JSON that DuckDB can read as rows.`],
  [/sniff|CSV Error|Could not convert string|Error when (?:sniffing|converting) .*CSV/i, (name) => `${name} could not be read as CSV.`],
];

export function translatePreviewError(error: unknown, path: string): UserFacingError | CancelledError {
  if (error instanceof CancelledError) return error;
  const text = errorText(error);
  if (isInterrupt(text)) return new CancelledError();
  const name = path.slice(path.lastIndexOf('/') + 1);
  const openRaw: ErrorAction = { title: 'Open Raw Object', command: OPEN_RAW_OBJECT_COMMAND, args: [path] };
  const detail = cleanDetail(text);
  if (!isExtensionFailure(text)) {
    for (const [pattern, message] of FORMAT_PROBLEMS) {
      if (pattern.test(text)) return new UserFacingError(`${message(name)}${shownFirstLine(detail)}`, detail, [openRaw]);
    }
  }
  const object = splitObjectUri(path);
  const translated = object
    ? translateBucketError(error, {
        stage: 'read',
        bucket: object.bucket,
        // Stryker disable next-line StringLiteral: a read names its key, never the prefix (that only words a listing)
        prefix: '',
        key: object.key,
        notFoundHint: 'It may have been deleted or renamed: refresh its folder.',
      })
    : translateDuckDBError(error, { kind: 'query', what: `preview ${path}` });
  // Stryker disable next-line ConditionalExpression: unreachable, cancellations are returned above; kept to narrow the type
  if (translated instanceof CancelledError) return translated;
  const actions = isExtensionFailure(text) ? translated.actions : [...translated.actions, openRaw];
  return new UserFacingError(translated.message, translated.detail, actions);
}

/** DuckDB's first line, without its error class, in parentheses after a space; empty when it says nothing. */
function shownFirstLine(detail: string): string {
  const line = detail.split('\n')[0]!.replace(/^[A-Za-z ]+ Error: /, '').trim();
  return line ? ` (${line.length > 200 ? `${line.slice(0, 199)}…` : line})` : '';
}
