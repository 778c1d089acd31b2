/**
 * Preview failures on r2:// objects get Test R2 Bucket's translation (DuckDB's own httpfs texts,
 * as bucketErrors.test.ts holds them) and an action to open the raw object.
 */
import * as assert from 'node:assert/strict';
import { translatePreviewError } from '../../../../src/core/bucket/previewErrors';
import { CancelledError, UserFacingError } from '../../../../src/core/errors';

const PATH = 'r2://lake/data/x.parquet';
const translate = (text: string) => {
  const result = translatePreviewError(new Error(text), PATH);
  assert.ok(result instanceof UserFacingError, String(result));
  return result;
};

describe('preview errors', () => {
  it('an unreachable endpoint: what to check, not curl\'s words, and Open Raw Object', () => {
    const e = translate("IO Error: Couldn't connect to server error for HTTP HEAD to 'http://127.0.0.1:9/lake/data/x.parquet'");
    assert.match(e.message, /^Nothing answers at 127\.0\.0\.1:9/);
    assert.deepEqual(e.actions.at(-1), { title: 'Open Raw Object', command: 'duckdbSecrets.openRawObject', args: [PATH] });
  });

  it('a deleted object: says so, without Test R2 Bucket\'s readObject setting', () => {
    const e = translate("HTTP Error: HTTP GET error reading 'r2://lake/data/x.parquet' in region '' (HTTP 404 Not Found)");
    assert.match(e.message, /r2:\/\/lake\/data\/x\.parquet was not found \(HTTP 404\)\. It may have been deleted or renamed/);
    assert.doesNotMatch(e.message, /readObject/);
  });

  it('a wrong secret key names the secret, as Test R2 Bucket does', () => {
    const e = translate(
      "HTTP Error: HTTP GET error reading 'r2://lake' in region '' (HTTP 403 Forbidden)\n\nSignatureDoesNotMatch: The request signature we calculated does not match the signature you provided.",
    );
    assert.match(e.message, /secret access key of the R2 secret does not match/);
  });

  it('bytes that are not the format: a plain sentence, with the raw object one click away', () => {
    const e = translate('Invalid Input Error: No magic bytes found at end of file \'r2://lake/data/x.parquet\'');
    assert.match(e.message, /^x\.parquet is not a Parquet file/);
    assert.equal(e.actions[0]?.title, 'Open Raw Object');
  });

  it('an interrupted or cancelled preview is a cancellation, of a remote or a local file', () => {
    for (const path of [PATH, '/tmp/data/x.parquet']) {
      assert.ok(translatePreviewError(new Error('INTERRUPT Error: Interrupted!'), path) instanceof CancelledError, path);
      const cancelled = new CancelledError();
      assert.equal(translatePreviewError(cancelled, path), cancelled);
    }
  });

  it('each format problem names the file and shows DuckDB\'s first line without its error class', () => {
    const csv = translatePreviewError(new Error('Invalid Input Error: Error when sniffing file "r2://lake/a.csv".\nIt was not possible to detect the dialect'), 'r2://lake/a.csv');
    assert.equal(csv.message, 'a.csv could not be read as CSV. (Error when sniffing file "r2://lake/a.csv".)');
    const json = translate('Invalid Input Error: Malformed JSON at byte 3 of input  \nmore');
    assert.equal(json.message, 'x.parquet is not JSON that DuckDB can read as rows. (Malformed JSON at byte 3 of input)');
    assert.deepEqual(json.actions, [{ title: 'Open Raw Object', command: 'duckdbSecrets.openRawObject', args: [PATH] }]);
    assert.match(translate('Invalid Input Error: JSON parse error at byte 3').message, /^x\.parquet is not JSON that DuckDB can read as rows\. \(JSON parse error at byte 3\)$/);
    assert.match(translate('Invalid Input Error: Error when converting column "price" of the CSV file').message, /^x\.parquet could not be read as CSV\. \(Error when converting/);
  });

  it('a first line that does not start with an error class is shown as written', () => {
    const e = translate("No magic bytes found in 'r2://lake/Parser Error: x.parquet'");
    assert.equal(e.message, "x.parquet is not a Parquet file: it does not start and end with Parquet's magic bytes. (No magic bytes found in 'r2://lake/Parser Error: x.parquet')");
  });

  it('a long first line is cut at 200 characters; an empty one is left out', () => {
    const shown = (line: string) => translate(`Invalid Input Error: No magic bytes found ${line}`).message.replace(/^.*magic bytes\. \(No magic bytes found /, '');
    assert.equal(shown('y'.repeat(179)), `${'y'.repeat(179)})`, 'exactly 200 characters stay whole');
    assert.equal(shown('y'.repeat(180)), `${'y'.repeat(178)}…)`);
    assert.equal(translate('CSV Error: \nsniffing failed').message, 'x.parquet could not be read as CSV.');
  });

  it('httpfs missing while previewing a file whose name reads like a format problem: the httpfs advice, no Open Raw Object', () => {
    const e = translatePreviewError(new Error('Missing Extension Error: File r2://lake/sniffed.csv requires the extension httpfs to be loaded'), 'r2://lake/sniffed.csv');
    assert.ok(e instanceof UserFacingError);
    assert.match(e.message, /^DuckDB needs its httpfs extension/);
    assert.ok(!e.actions.some((a) => a.title === 'Open Raw Object'), JSON.stringify(e.actions));
  });

  it('a local file: DuckDB\'s words, naming what was previewed', () => {
    const e = translatePreviewError(new Error('IO Error: No files found that match the pattern "/tmp/gone.csv"'), '/tmp/gone.csv');
    assert.ok(e instanceof UserFacingError);
    assert.equal(e.message, 'DuckDB failed to preview /tmp/gone.csv: No files found that match the pattern "/tmp/gone.csv"');
  });
});
