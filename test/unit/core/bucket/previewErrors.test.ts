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

  it('an interrupted preview is a cancellation', () => {
    assert.ok(translatePreviewError(new Error('INTERRUPT Error: Interrupted!'), PATH) instanceof CancelledError);
  });
});
