/** The small helpers every layer uses: error kinds, a URL's host, Markdown escaping, redaction, the memory logger. */
import * as assert from 'node:assert/strict';
import { CancelledError, UserFacingError, errorText, urlHost } from '../../../src/core/errors';
import { MemoryLogger } from '../../../src/core/logger';
import { escapeMarkdown } from '../../../src/core/markdown';
import { clearSecretValues, registerSecretValue, scrub } from '../../../src/core/redaction';

describe('core text helpers', () => {
  it('a cancellation is a CancelledError that says so, distinct from a user-facing failure', () => {
    const cancelled = new CancelledError();
    assert.equal(cancelled.name, 'CancelledError');
    assert.equal(errorText(cancelled), 'Cancelled');
    assert.ok(!(cancelled instanceof UserFacingError));
    const failure = new UserFacingError('Bucket not found.', 'NoSuchBucket');
    assert.deepEqual([failure.name, failure.message, failure.detail, failure.actions], ['UserFacingError', 'Bucket not found.', 'NoSuchBucket', []]);
    assert.equal(errorText('plain text'), 'plain text');
  });

  it('urlHost: the host and port of an http(s) URL only', () => {
    assert.equal(urlHost('HTTPS://Acct.R2.cloudflarestorage.com:8443/lake?x=1'), 'acct.r2.cloudflarestorage.com:8443');
    assert.equal(urlHost('http://127.0.0.1:9000'), '127.0.0.1:9000');
    for (const other of [undefined, '', 'ftp://host/x', 'see http://host/x', 'xhttp://host', 'acct.r2.cloudflarestorage.com']) assert.equal(urlHost(other), undefined, String(other));
    assert.equal(urlHost('http://'), undefined, 'a URL with no host does not throw');
    assert.equal(urlHost('https://[::1'), undefined, 'nor a malformed one');
  });

  it('escapeMarkdown: every line break, \\r\\n, \\n or a lone \\r, becomes one space', () => {
    assert.equal(escapeMarkdown('a\r\nb\nc\rd'), 'a b c d');
    assert.equal(escapeMarkdown('r2://lake/x_1.csv'), 'r2\\://lake/x\\_1\\.csv');
  });
});

describe('redaction and the memory logger', () => {
  afterEach(() => clearSecretValues());

  it('scrub hides a secret that holds a shorter registered one whole, and every occurrence of each', () => {
    const short = 'k9Qx';
    const long = `${short}Zr81pW`;
    registerSecretValue(short);
    registerSecretValue(long);
    registerSecretValue('abc'); // shorter than 4 characters: never registered (it would blank common words)
    assert.equal(scrub(`key ${long} then ${short} and ${long}; abc`), 'key •••••• then •••••• and ••••••; abc');
  });

  it('a new MemoryLogger holds nothing; it keeps each line with its level, in order', () => {
    const logger = new MemoryLogger();
    assert.deepEqual(logger.lines, []);
    logger.info('one');
    logger.error('two');
    logger.trace('three');
    logger.warn('four');
    assert.deepEqual(logger.lines, ['info one', 'error two', 'trace three', 'warn four']);
  });
});
