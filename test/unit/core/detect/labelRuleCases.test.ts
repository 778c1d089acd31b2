import * as assert from 'node:assert/strict';
import type { Candidate } from '../../../../src/core/detect/candidate';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import type { FileKind } from '../../../../src/core/detect/fileKind';
import { labelCandidates } from '../../../../src/core/detect/labelRule';
import { plainSegment } from '../../../../src/core/detect/segments';
import { CredentialFixtures } from '../../../support/credentialFixtures';

/** What the label rule hands the judge for `text` scanned as `kind` (prose for plain text). */
function labelled(text: string, kind: FileKind = 'text'): Candidate[] {
  return labelCandidates(plainSegment(text, kind, kind === 'text'));
}

/** [role, provider, value, where] of each candidate, the value read back by its offsets. */
function brief(text: string, kind: FileKind = 'text'): [string, string | undefined, string, string][] {
  return labelled(text, kind).map((c) => [c.role, c.provider, text.slice(c.valueStart, c.valueEnd), c.where]);
}

/** [kind, value, message] of each finding of the whole detector. */
function found(text: string, kind: FileKind = 'text'): [string, string, string][] {
  return detectCredentials(text, kind).map((x) => [x.kind, text.slice(x.start, x.end), x.message]);
}

describe('detect: console labels (label rule)', () => {
  const f = new CredentialFixtures(1601);

  it('hands the judge the value after the label, with the provider word before it and the label as written', () => {
    const secret = f.awsSecret();
    const text = `AWS  secret\tkey: ${secret}\n`;
    const start = text.indexOf(secret);
    const expected: Candidate = {
      role: 'secret',
      kind: undefined,
      provider: 'aws',
      valueStart: start,
      valueEnd: start + secret.length,
      literalStart: start,
      literalEnd: start + secret.length,
      quote: '',
      bare: true,
      bareCode: false,
      rule: 'option',
      contextKey: 'AWS secret key',
      where: "after 'AWS secret key:' …",
      needsMotherDuck: false,
      keyNormalized: 'awssecretkey',
      fString: false,
    };
    assert.deepEqual(labelled(text), [expected]);
  });

  it('a quoted value: the literal spans the quotes, the message shows them', () => {
    const secret = f.r2Secret();
    const text = `Secret Access Key: '${secret}'\n`;
    const [candidate] = labelled(text);
    assert.deepEqual(
      [candidate?.quote, candidate?.bare, candidate?.literalStart, candidate?.literalEnd, candidate?.provider, candidate?.where],
      ["'", false, text.indexOf(secret) - 1, text.indexOf(secret) + secret.length + 1, undefined, "after 'Secret Access Key:' '…'"],
    );
    assert.deepEqual(found(text), [['secret', secret, "R2 secret access key hardcoded after 'Secret Access Key:' '…'"]]);
  });

  it('the provider word names the provider, in any case (GCS, Cloudflare)', () => {
    const [secret, id] = [f.gcsSecret(), f.r2KeyId()];
    assert.deepEqual(brief(`GCS secret: ${secret}\n`), [['secret', 'gcs', secret, "after 'GCS secret:' …"]]);
    assert.deepEqual(brief(`cloudflare Key ID: ${id}\n`), [['key_id', 'r2', id, "after 'cloudflare Key ID:' …"]]);
  });

  it('`token` is a MotherDuck token after `MotherDuck`, a session token after `Session`, and nothing after another provider', () => {
    const [md, sts, id] = [f.motherDuckToken(), f.awsSessionToken(), f.r2KeyId()];
    assert.deepEqual(brief(`MotherDuck token: ${md}\n`), [['motherduck_token', 'motherduck', md, "after 'MotherDuck token:' …"]]);
    assert.deepEqual(brief(`Session token: ${sts}\n`), [['session_token', undefined, sts, "after 'Session token:' …"]]);
    assert.deepEqual(brief(`Session \t token: ${sts}\n`), [['session_token', undefined, sts, "after 'Session token:' …"]]);
    assert.deepEqual(found(`Session  token: ${sts}\n`), [['session_token', sts, "AWS session token hardcoded after 'Session token:' …"]]);
    assert.deepEqual(brief(`R2 token: ${id}\n`), []);
    assert.deepEqual(found(`R2 token: ${id}\nAWS token: ${f.awsSecret()}\n`), []);
  });

  it('`:`, `=` and (in prose) a table bar introduce the value; the message says which', () => {
    const id = f.r2KeyId();
    assert.deepEqual(found(`Access Key ID: ${id}\n`), [['key_id', id, "R2 access key id hardcoded after 'Access Key ID:' …"]]);
    assert.deepEqual(found(`Access Key ID = ${id}\n`), [['key_id', id, "R2 access key id hardcoded after 'Access Key ID=' …"]]);
    assert.deepEqual(found(`Access Key ID | ${id}\n`), [['key_id', id, "R2 access key id hardcoded after 'Access Key ID |' …"]]);
    assert.deepEqual(found(`-- Access Key ID | ${id}\n`, 'sql'), [], 'a bar in SQL is an operator, not a table');
    assert.deepEqual(brief(`Access Key ID → ${id}\n`), [], 'other punctuation introduces no value');
  });

  it('a label alone on its line: the value is on the next line (\\n, \\r\\n or \\r), alone there and key-shaped', () => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    const under = (value: string): [string, string, string][] => [['key_id', value, "R2 access key id hardcoded under 'Access Key ID'"]];
    assert.deepEqual(found(`Access Key ID\n${id}\n`), under(id));
    assert.deepEqual(found(`Access Key ID\r\n${id}\r\n`), under(id));
    assert.deepEqual(found(`Access Key ID\r${id}\r`), under(id));
    assert.deepEqual(found(`Access Key ID\n  ${id}  \n`), under(id), 'blanks around it');
    assert.deepEqual(found(`Access Key ID\n${id}`), under(id), 'at the end of the file');
    assert.deepEqual(found(`Access Key ID\n${id} was rotated\n`), [], 'a sentence, not a value');
    assert.deepEqual(found(`Access Key ID\n${id}x\n`), [], 'not key-shaped');
    assert.deepEqual(found(`Secret Access Key\n${secret}\n`), [['secret', secret, "R2 secret access key hardcoded under 'Secret Access Key'"]]);
  });

  it('in SQL and Python a bare value must be key-shaped (it may be an expression); quoted ones and other files need not', () => {
    const loose = f.awsSecret().slice(0, 30);
    for (const kind of ['sql', 'python'] as const) {
      assert.deepEqual(brief(`x = 1 # Secret Access Key: ${loose}\n`, kind), [], kind);
      assert.deepEqual(brief(`x = 1 # Secret Access Key: '${loose}'\n`, kind), [['secret', undefined, loose, "after 'Secret Access Key:' '…'"]], kind);
    }
    for (const kind of ['shell', 'yaml', 'env', 'text'] as const) {
      assert.deepEqual(brief(`# Secret Access Key: ${loose}\n`, kind), [['secret', undefined, loose, "after 'Secret Access Key:' …"]], kind);
    }
    assert.deepEqual(found(`# Secret Access Key: ${loose}\n`, 'shell'), [['secret', loose, "Secret access key hardcoded after 'Secret Access Key:' …"]]);
  });

  it('a label with no value after it, and text without labels, give nothing', () => {
    assert.deepEqual(labelled('Rotate the Secret Access Key:\n\nthen redeploy.\n'), []);
    assert.deepEqual(labelled('nothing to see here\n'), []);
  });
});
