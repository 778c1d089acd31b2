/**
 * "Replace with a reference" as the language server offers it (src/server/codeActions.ts): which
 * hardcoded values get a fix, and the document a user gets after applying it. Values come from
 * the seeded generator; each fix is applied to the text as an editor would.
 */
import * as assert from 'node:assert/strict';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import type { DetectEnvNames, Position } from '../../../../src/core/detect/finding';
import type { FileKind } from '../../../../src/core/detect/fileKind';
import { referenceFix, type ReferenceFix } from '../../../../src/core/lsp/references';
import { CredentialFixtures } from '../../../support/credentialFixtures';
import { notebook } from '../../../support/detectCorpusDocs';

interface Doc {
  readonly text: string;
  readonly kind: FileKind;
  /** The document's path as the server passes it. */
  readonly path: string;
  readonly envNames?: Partial<DetectEnvNames>;
}

/** The fix for each finding of the document, in order. */
function fixes(doc: Doc): (ReferenceFix | undefined)[] {
  const findings = detectCredentials(doc.text, doc.kind, doc.envNames ? { envNames: doc.envNames } : {});
  assert.ok(findings.length > 0, 'the document has findings');
  return findings.map((finding) => referenceFix(finding, doc.text, doc.path));
}

/** The offset of an LSP position; an editor rejects an edit whose position is not one. */
function offsetAt(text: string, position: Position): number {
  assert.ok(Number.isInteger(position.line) && Number.isInteger(position.character), `a position: ${JSON.stringify(position)}`);
  const lines = text.split('\n');
  return lines.slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
}

/** The text after the fix's edits, applied as LSP applies a TextEdit[]: each against the original text. */
function applied(text: string, fix: ReferenceFix): string {
  const edits = fix.edits.map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }));
  return [...edits].sort((a, b) => b.start - a.start).reduce((out, e) => out.slice(0, e.start) + e.newText + out.slice(e.end), text);
}

/** The document after the first finding's fix, or undefined when it gets none. */
function afterFix(doc: Doc): string | undefined {
  const [fix] = fixes(doc);
  return fix && applied(doc.text, fix);
}

describe('lsp: "Replace with a reference" fixes', () => {
  const f = new CredentialFixtures(4242);
  const [keyId, secret, awsSecret] = [f.r2KeyId(), f.r2Secret(), f.awsSecret()];
  const createSecret = `CREATE SECRET lake (TYPE r2, SECRET '${secret}');\n`;

  describe('SQL', () => {
    it('SQL in a dbt folder is Jinja: the value becomes env_var() inside its quotes, and the fix says so', () => {
      const doc: Doc = { text: createSecret, kind: 'sql', path: '/home/me/lake/models/staging/secrets.sql' };
      const [fix] = fixes(doc);
      assert.equal(fix?.title, "Replace with {{ env_var('R2_SECRET_KEY') }}");
      assert.equal(fix?.reference, "{{ env_var('R2_SECRET_KEY') }}");
      assert.equal(fix && applied(doc.text, fix), "CREATE SECRET lake (TYPE r2, SECRET '{{ env_var('R2_SECRET_KEY') }}');\n");
    });

    it('every dbt folder counts, on a relative, absolute or Windows path', () => {
      for (const path of ['models/a.sql', '/p/macros/a.sql', '/p/analyses/a.sql', '/p/snapshots/a.sql', '/p/seeds/a.sql', '/p/tests/a.sql', 'C:\\p\\models\\a.sql']) {
        assert.ok(afterFix({ text: createSecret, kind: 'sql', path })?.includes('env_var'), path);
      }
    });

    it('plain DuckDB SQL gets no fix: no folder of dbt, and no Jinja in the text', () => {
      for (const path of ['/p/setup.sql', '/p/mymodels/a.sql', '/p/models.sql', 'C:\\p\\mymodels\\a.sql']) {
        assert.equal(afterFix({ text: createSecret, kind: 'sql', path }), undefined, path);
      }
    });

    it('Jinja in the text makes any SQL file a dbt file', () => {
      const text = `{{ config(materialized='view') }}\n${createSecret}`;
      assert.equal(afterFix({ text, kind: 'sql', path: '/p/setup.sql' }), `{{ config(materialized='view') }}\nCREATE SECRET lake (TYPE r2, SECRET '{{ env_var('R2_SECRET_KEY') }}');\n`);
    });
  });

  describe('Python', () => {
    const path = '/home/me/lake/load.py';
    const assignment = `R2_SECRET_KEY = "${secret}"\n`;

    it('adds import os on the first line when the file lacks it', () => {
      const [fix] = fixes({ text: assignment, kind: 'python', path });
      assert.equal(fix?.title, 'Replace with os.environ["R2_SECRET_KEY"]');
      assert.equal(fix && applied(assignment, fix), 'import os\nR2_SECRET_KEY = os.environ["R2_SECRET_KEY"]\n');
    });

    it('does not import os twice', () => {
      for (const header of ['import os\n', 'import os, sys\n', 'import os.path\n', 'import sys\nimport\tos\n', 'import  os  # environment\n']) {
        assert.equal(afterFix({ text: `${header}${assignment}`, kind: 'python', path }), `${header}R2_SECRET_KEY = os.environ["R2_SECRET_KEY"]\n`, header);
      }
      const local = `def connect():\n    import os\n    return client(aws_secret_access_key="${awsSecret}")\n`;
      assert.equal(afterFix({ text: local, kind: 'python', path }), 'def connect():\n    import os\n    return client(aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"])\n');
    });

    it('imports os when no line binds the name os (os.environ would be a NameError)', () => {
      for (const header of ['from os import environ\n', 'from  os  import path\n', 'import os as operating_system\n', 'import os  as  o\n', 'import os.path as osp\n', 'import osmosis\n', '# import os when needed\n', 'print("import os")\n']) {
        assert.equal(afterFix({ text: `${header}${assignment}`, kind: 'python', path }), `import os\n${header}R2_SECRET_KEY = os.environ["R2_SECRET_KEY"]\n`, header);
      }
    });

    it('a value of its own gets a fix wherever it stands, in a long file too', () => {
      const call = `import os\ns3 = client(\n    "s3",\n    aws_secret_access_key="${awsSecret}")\n`;
      assert.equal(afterFix({ text: call, kind: 'python', path }), 'import os\ns3 = client(\n    "s3",\n    aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"])\n');
      const setdefault = `import os\nos.environ.setdefault(\n    "R2_SECRET_KEY",\n    "${secret}",\n)\n`;
      assert.equal(afterFix({ text: setdefault, kind: 'python', path }), 'import os\nos.environ.setdefault(\n    "R2_SECRET_KEY",\n    os.environ["R2_SECRET_KEY"],\n)\n');
      const rest = Array.from({ length: 20 }, (_, i) => `print(${i})\n`).join('');
      assert.equal(afterFix({ text: `${assignment}${rest}`, kind: 'python', path }), `import os\nR2_SECRET_KEY = os.environ["R2_SECRET_KEY"]\n${rest}`);
    });

    it('no fix for a value inside another string, such as SQL passed to duckdb.sql()', () => {
      const text = `import duckdb\nduckdb.sql("CREATE SECRET (TYPE r2, KEY_ID '${keyId}', SECRET '${secret}')")\n`;
      assert.deepEqual(fixes({ text, kind: 'python', path }), [undefined, undefined]);
    });

    it('a notebook cell: the reference is JSON-escaped and no import lands in the notebook JSON; none inside another string', () => {
      const cell = notebook([{ type: 'code', source: assignment }]);
      const after = afterFix({ text: cell, kind: 'notebook', path: '/p/explore.ipynb' });
      assert.ok(after);
      const parsed = JSON.parse(after) as { cells: { source: string[] }[] };
      assert.deepEqual(parsed.cells[0]?.source, ['R2_SECRET_KEY = os.environ["R2_SECRET_KEY"]\n']);
      const sql = notebook([{ type: 'code', source: `import duckdb\nduckdb.sql("CREATE SECRET (TYPE r2, KEY_ID '${keyId}', SECRET '${secret}')")\n` }]);
      assert.deepEqual(fixes({ text: sql, kind: 'notebook', path: '/p/explore.ipynb' }), [undefined, undefined]);
    });

    it('a Python block in Markdown: the value is replaced, and no import lands above the prose', () => {
      const text = `# Loading\n\n\`\`\`python\n${assignment}\`\`\`\n`;
      assert.equal(afterFix({ text, kind: 'markdown', path: '/p/README.md' }), '# Loading\n\n```python\nR2_SECRET_KEY = os.environ["R2_SECRET_KEY"]\n```\n');
    });
  });

  describe('shell', () => {
    const path = '/home/me/lake/run.sh';

    it('a value assigned to another variable refers to the configured one', () => {
      const text = `export R2_SECRET='${secret}'\ndbt run\n`;
      const [fix] = fixes({ text, kind: 'shell', path });
      assert.equal(fix?.title, 'Replace with "$R2_SECRET_KEY"');
      assert.equal(fix && applied(text, fix), 'export R2_SECRET="$R2_SECRET_KEY"\ndbt run\n');
      assert.equal(afterFix({ text: `export R2_SECRET_KEY='${secret}'\n`, kind: 'shell', path, envNames: { secretKey: 'LAKE_SECRET' } }), 'export R2_SECRET_KEY="$LAKE_SECRET"\n');
    });

    it('no fix that would assign a variable to itself', () => {
      assert.equal(afterFix({ text: `export R2_SECRET_KEY='${secret}'\ndbt run\n`, kind: 'shell', path }), undefined);
      assert.equal(afterFix({ text: `AWS_REGION=auto R2_SECRET_KEY='${secret}' dbt run\n`, kind: 'shell', path }), undefined);
      assert.equal(afterFix({ text: `export LAKE_SECRET='${secret}'\n`, kind: 'shell', path, envNames: { secretKey: 'LAKE_SECRET' } }), undefined);
    });

    it('a value passed as an argument gets a fix', () => {
      const text = `aws configure set aws_secret_access_key '${awsSecret}'\n`;
      assert.equal(afterFix({ text, kind: 'shell', path }), 'aws configure set aws_secret_access_key "$AWS_SECRET_ACCESS_KEY"\n');
    });

    it('no fix for a value inside another quoted string, such as SQL passed to duckdb -c', () => {
      const sql = `CREATE SECRET (TYPE r2, KEY_ID '${keyId}', SECRET '${secret}')`;
      assert.deepEqual(fixes({ text: `duckdb -c "${sql}"\n`, kind: 'shell', path }), [undefined, undefined]);
      assert.deepEqual(fixes({ text: `set -e\nduckdb lake.db -c "${sql}"\n`, kind: 'shell', path }), [undefined, undefined]);
      assert.deepEqual(fixes({ text: `"$DUCKDB" lake.db -c "${sql}"\n`, kind: 'shell', path }), [undefined, undefined]);
      const doubleQuoted = `CREATE SECRET (TYPE r2, KEY_ID "${keyId}", SECRET "${secret}")`;
      assert.deepEqual(fixes({ text: `duckdb -c '${doubleQuoted}'\n`, kind: 'shell', path }), [undefined, undefined]);
    });

    it('strings closed earlier on the line, escaped quotes included, leave the value on its own', () => {
      const set = `aws configure set aws_secret_access_key '${awsSecret}'\n`;
      for (const before of ['echo "say \\"hi\\"" && ', "echo 'C:\\' && ", 'echo "it\'s" && ', 'echo \\" && ']) {
        assert.equal(afterFix({ text: `${before}${set}`, kind: 'shell', path }), `${before}aws configure set aws_secret_access_key "$AWS_SECRET_ACCESS_KEY"\n`, before);
      }
      const previous = `echo "unclosed on its own line\n${set}`;
      assert.equal(afterFix({ text: previous, kind: 'shell', path }), `echo "unclosed on its own line\naws configure set aws_secret_access_key "$AWS_SECRET_ACCESS_KEY"\n`);
    });
  });

  it('no fix where no reference fits: a .env file, Markdown prose', () => {
    assert.equal(afterFix({ text: `R2_SECRET_KEY=${secret}\n`, kind: 'env', path: '/p/.env' }), undefined);
    assert.equal(afterFix({ text: `Set \`R2_SECRET_KEY=${secret}\` in your shell.\n`, kind: 'markdown', path: '/p/README.md' }), undefined);
  });
});
