import * as assert from 'node:assert/strict';
import type { Candidate } from '../../../../src/core/detect/candidate';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import type { FileKind } from '../../../../src/core/detect/fileKind';
import { plainSegment } from '../../../../src/core/detect/segments';
import { mentionsMotherDuck, shapeCandidates } from '../../../../src/core/detect/shapeRule';
import { CredentialFixtures } from '../../../support/credentialFixtures';

/** What the shape rule hands the judge for `text`, MotherDuck mentioned or not. */
function shaped(text: string, motherDuckFile = false): Candidate[] {
  return shapeCandidates(plainSegment(text, 'text', true), () => motherDuckFile);
}

/** [kind, rule, value, message] of each finding of the whole detector. */
function found(text: string, kind: FileKind): [string, string, string, string][] {
  return detectCredentials(text, kind).map((x) => [x.kind, x.rule, text.slice(x.start, x.end), x.message]);
}

describe('detect: values known by their shape (shape rule)', () => {
  const f = new CredentialFixtures(1603);

  it('an AWS key id anywhere: the candidate is the id itself, unquoted but not a bare word', () => {
    const id = f.awsKeyId();
    const text = `The request was signed with ${id} at 10:02.\n`;
    const start = text.indexOf(id);
    const expected: Candidate = {
      role: 'key_id',
      provider: 'aws',
      valueStart: start,
      valueEnd: start + id.length,
      literalStart: start,
      literalEnd: start + id.length,
      quote: '',
      bare: false,
      bareCode: false,
      rule: 'shape',
      where: 'in the text (its AWS key id shape)',
    };
    assert.deepEqual(shaped(text), [expected]);
  });

  it('each shape says what it is in the message', () => {
    const [id, hmac, sts] = [f.awsKeyId('ASIA'), f.gcsHmacId(), f.awsSessionToken()];
    const text = `log: ${id}\nhmac ${hmac} and ${sts}\n`;
    assert.deepEqual(
      shaped(text).map((c) => [c.role, c.provider, text.slice(c.valueStart, c.valueEnd)]),
      [
        ['key_id', 'aws', id],
        ['key_id', 'gcs', hmac],
        ['session_token', 'aws', sts],
      ],
    );
    assert.deepEqual(found(text, 'text'), [
      ['key_id', 'shape', id, 'AWS access key id hardcoded in the text (its AWS key id shape)'],
      ['key_id', 'shape', hmac, 'GCS HMAC access id hardcoded in the text (its GCS HMAC id shape)'],
      ['session_token', 'shape', sts, 'AWS session token hardcoded in the text (its STS token shape)'],
    ]);
  });

  it("Azure: the account key of a connection string, exactly the key's 88 characters", () => {
    const key = f.azureAccountKey();
    const long = `${'#'.repeat(200)}\nDefaultEndpointsProtocol=https;AccountName=lake;AccountKey=${key};EndpointSuffix=core.windows.net\n`;
    const at = long.indexOf(key);
    assert.deepEqual(
      shaped(long).map((c) => [c.role, c.provider, c.valueStart, c.valueEnd, c.where]),
      [['secret', 'azure', at, at + key.length, 'in an Azure connection string (AccountKey=…)']],
    );
    const last = `AccountName=lake;AccountKey=${key}`;
    assert.deepEqual(shaped(last).map((c) => last.slice(c.valueStart, c.valueEnd)), [key], 'at the end of the text');
    assert.deepEqual(shaped(`AccountKey=${key.slice(0, 86)}AB==;`), [], 'longer than a key');
    assert.deepEqual(shaped(`AccountKey=${key}=;`), [], 'more padding than a key');
    assert.deepEqual(shaped(`AccountKey=${key.slice(2)};`), [], 'shorter than a key');
    assert.deepEqual(shaped(`blob: ${key}\n`), [], 'the same characters outside a connection string');
  });

  it('a JWT is a MotherDuck token when its payload says so or the file mentions MotherDuck (`md:` as a word)', () => {
    const [md, other] = [f.motherDuckToken(), f.otherJwt()];
    const message = 'MotherDuck token hardcoded in the text (a MotherDuck token)';
    assert.deepEqual(found(`# paste: ${md}\n`, 'python'), [['motherduck_token', 'shape', md, message]]);
    assert.deepEqual(found(`# paste: ${other}\ncon = duckdb.connect("md:")\n`, 'python'), [['motherduck_token', 'shape', other, message]]);
    assert.deepEqual(found(`md:lake ${other}\n`, 'text'), [['motherduck_token', 'shape', other, message]]);
    assert.deepEqual(found(`# paste: ${other}\nrun("cmd:x")\n`, 'python'), []);
    assert.deepEqual(found(`# paste: ${other}\n`, 'python'), []);
    assert.deepEqual(shaped(`# ${other}\n`, true).map((c) => [c.role, c.provider]), [['motherduck_token', 'motherduck']]);
  });

  it('mentionsMotherDuck: the name in any case, or `md:` not glued to a word before it', () => {
    assert.equal(mentionsMotherDuck('uses MotherDuck'), true);
    assert.equal(mentionsMotherDuck('md:lake'), true);
    assert.equal(mentionsMotherDuck('connect("MD:lake")'), true);
    assert.equal(mentionsMotherDuck('cmd: run'), false);
    assert.equal(mentionsMotherDuck('x_md: 1'), false);
  });

  it('text without any shape gives nothing', () => {
    assert.deepEqual(shaped('SELECT 1;\n'), []);
  });
});
