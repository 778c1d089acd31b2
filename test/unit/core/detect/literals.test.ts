import * as assert from 'node:assert/strict';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import type { FileKind } from '../../../../src/core/detect/fileKind';
import { CredentialFixtures } from '../../../support/credentialFixtures';

/** Each finding as [kind, value (by its offsets), literal (by its offsets), quote]. */
function found(text: string, kind: FileKind): [string, string, string, string][] {
  return detectCredentials(text, kind).map((x) => [x.kind, text.slice(x.start, x.end), text.slice(x.literal.start, x.literal.end), x.quote]);
}

describe('detect: reading a value (quotes, prefixes, bare tokens, where it stands)', () => {
  const f = new CredentialFixtures(515);
  /** A hex value of `length` characters (key-shaped, from the seeded generator). */
  const longHex = (length: number): string => Array.from({ length: Math.ceil(length / 64) }, () => f.r2Secret()).join('').slice(0, length);

  it('Python string prefixes and triple quotes: the value without them, the literal with them', () => {
    const [a, b, c, d, e, g] = [f.awsSecret(), f.awsSecret(), f.awsSecret(), f.awsSecret(), f.awsSecret(), f.awsSecret()];
    const text = [
      `s3 = client(aws_secret_access_key=r"${a}")`,
      `s3 = client(aws_secret_access_key = Rb'${b}')`,
      `s3 = client(aws_secret_access_key=f"${c}")`,
      `s3 = client(aws_secret_access_key=f"{prefix}${d}")`,
      `s3 = client(aws_secret_access_key="""${e}""")`,
      `s3 = client(aws_secret_access_key='''${g}''')`,
      `s3 = client(aws_secret_access_key="""${d}`,
      '',
    ].join('\n');
    assert.deepEqual(found(text, 'python'), [
      ['secret', a, `r"${a}"`, '"'],
      ['secret', b, `Rb'${b}'`, "'"],
      ['secret', c, `f"${c}"`, '"'],
      ['secret', e, `"""${e}"""`, '"""'],
      ['secret', g, `'''${g}'''`, "'''"],
    ]);
    const messages = detectCredentials(text, 'python').map((x) => x.message);
    assert.equal(messages[3], 'AWS secret access key hardcoded in aws_secret_access_key="""…"""');
  });

  it('an f-string with braces is code; braces in a plain or bytes string are text', () => {
    const [p1, p2, p3] = [f.password(), f.password(), f.password()];
    const text = `DB_PASSWORD = "{${p1}}"\nDB_PASSWORD = b"{${p2}}"\nDB_PASSWORD = f"{user}${p3}"\n`;
    assert.deepEqual(
      found(text, 'python').map(([kind, value]) => [kind, value]),
      [
        ['password', `{${p1}}`],
        ['password', `{${p2}}`],
      ],
    );
    const bare = `DB_PASSWORD=a{${p1}\n`;
    assert.deepEqual(found(bare, 'env'), [['password', `a{${p1}`, `a{${p1}`, '']]);
  });

  it('an escaped quote stays in the value; in backticks a backslash is just a character', () => {
    const [p1, p2, p3] = [f.password(), f.password(), f.password()];
    const text = `DB_PASSWORD = "${p1}\\"${p2}"\n`;
    assert.deepEqual(found(text, 'python'), [['password', `${p1}\\"${p2}`, `"${p1}\\"${p2}"`, '"']]);
    const markdown = `The password: \`${p3}\\\` (the backslash is part of it) \`done\`\n`;
    assert.deepEqual(found(markdown, 'text'), [['password', `${p3}\\`, `\`${p3}\\\``, '`']]);
  });

  it('an unclosed quote ends at the end of its line: the next line is read on its own', () => {
    const [secret, id] = [f.r2Secret(), f.r2KeyId()];
    for (const eol of ['\n', '\r']) {
      const text = `Secret access key: "${secret}${eol}Access key id: "${id}"${eol}`;
      assert.deepEqual(found(text, 'text'), [['key_id', id, `"${id}"`, '"']], JSON.stringify(eol));
    }
  });

  it('values of 4096 characters or more are not read, quoted or bare; 4095 are', () => {
    const [short, long] = [longHex(4095), longHex(4096)];
    assert.deepEqual(found(`aws_session_token = "${short}"\n`, 'python'), [['session_token', short, `"${short}"`, '"']]);
    assert.deepEqual(found(`aws_session_token = "${long}"\nprint("done")\n`, 'python'), []);
    assert.deepEqual(found(`aws_session_token = """${short}"""\n`, 'python'), [['session_token', short, `"""${short}"""`, '"""']]);
    assert.deepEqual(found(`AWS_SESSION_TOKEN=${short}\n`, 'env'), [['session_token', short, short, '']]);
    assert.deepEqual(found(`AWS_SESSION_TOKEN=${long}\nAWS_REGION=auto\n`, 'env'), []);
  });

  it('a bare value at the very end of the file ends there', () => {
    const secret = f.r2Secret();
    const text = `R2_ACCESS_KEY_ID=${f.r2KeyId()}\nR2_SECRET_KEY=${secret}`;
    const last = detectCredentials(text, 'env')[1];
    assert.equal(last?.end, text.length);
    assert.equal(last?.literal.end, text.length);
    assert.equal(last?.start, text.length - 64);
  });

  it('a bare value ends before a trailing `.` or `:` and before blanks and punctuation', () => {
    const [a, b, c] = [f.r2Secret(), f.r2Secret(), f.r2Secret()];
    const text = `Then set R2_SECRET_KEY=${a}. Done.\nAlso R2_SECRET_KEY=${b}: keep it.\nOr R2_SECRET_KEY=${c}.:\n`;
    assert.deepEqual(found(text, 'text'), [
      ['secret', a, a, ''],
      ['secret', b, b, ''],
      ['secret', c, c, ''],
    ]);
  });

  it('a bare call is no value: `password = base64decode(…)`', () => {
    assert.deepEqual(found('password = base64decode(var.pw)\n', 'text'), []);
    // The same word without a call is one.
    assert.deepEqual(found('password = base64decode\n', 'text'), [['password', 'base64decode', 'base64decode', '']]);
  });

  it('blanks around the separator may be spaces or tabs', () => {
    const secret = f.r2Secret();
    assert.deepEqual(found(`R2_SECRET_KEY\t=\t"${secret}"\n`, 'python'), [['secret', secret, `"${secret}"`, '"']]);
    assert.deepEqual(found(`aws_secret_access_key\t= ${secret}\n`, 'text'), [['secret', secret, secret, '']]);
  });

  it('a bare password in SQL: a value in a comment or a string, an expression in code', () => {
    const pw = f.password();
    const lines = [
      `-- password=${pw}`,
      `--password=${pw}`,
      `/* password=${pw} */`,
      `{# password=${pw} #}`,
      `ATTACH 'host=db password=${pw}' AS pg (TYPE postgres);`,
      `SELECT id - 1, a / 2, b{c} FROM users WHERE password = ${pw};`,
      `SELECT 'done' WHERE password=${pw};`,
    ];
    const findings = detectCredentials(lines.join('\n'), 'sql');
    assert.deepEqual(
      findings.map((x) => [x.kind, x.range.start.line]),
      [
        ['password', 0],
        ['password', 1],
        ['password', 2],
        ['password', 3],
        ['password', 4],
      ],
    );
  });

  it('a bare password in Python: a value after `#` or inside a string, an expression in code', () => {
    const pw = f.password();
    const code = (text: string): string[] => found(text, 'python').map(([kind, value]) => `${kind} ${value === pw ? 'pw' : value}`);
    // A comment, wherever its `#` stands outside a string.
    assert.deepEqual(code(`# password=${pw}\n`), ['password pw']);
    assert.deepEqual(code(`#password=${pw}\n`), ['password pw']);
    assert.deepEqual(code(`conn = connect(dsn)  # password=${pw}\n`), ['password pw']);
    assert.deepEqual(code(`conn = connect(dsn)# password=${pw}\n`), ['password pw']);
    // A connection string, escaped quotes and all.
    assert.deepEqual(code(`dsn = "host=db password=${pw}"\n`), ['password pw']);
    assert.deepEqual(code(`dsn = "say \\"hi\\" password=${pw}"\n`), ['password pw']);
    assert.deepEqual(code(`dsn = 'it\\'s password=${pw}'\n`), ['password pw']);
    // Code: a closed string before it, a quoted dict key, a string or comment on the line before.
    assert.deepEqual(code(`conn = connect(password=${pw})\n`), []);
    assert.deepEqual(code(`dsn = "x"; conn = connect(password=${pw})\n`), []);
    assert.deepEqual(code(`cfg = {"password": ${pw}}\n`), []);
    assert.deepEqual(code(`host = "db"\nconn = connect(host, password=${pw})\n`), []);
    assert.deepEqual(code(`x = 1 #\nconn = connect(password=${pw})\n`), []);
    assert.deepEqual(code(`# connect:\nconn = connect(host, password=${pw})\n`), []);
    assert.deepEqual(code(`# connect:\rconn = connect(host, password=${pw})\r`), []);
  });
});
