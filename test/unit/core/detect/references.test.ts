import * as assert from 'node:assert/strict';
import { detectCredentials } from '../../../../src/core/detect/detectCredentials';
import type { FileKind } from '../../../../src/core/detect/fileKind';
import { referenceReplacement, usesJinja } from '../../../../src/core/detect/references';
import { CredentialFixtures } from '../../../support/credentialFixtures';
import { notebook } from '../../../support/detectCorpusDocs';

/** The text after applying the first finding's reference replacement, or undefined when none fits. */
function replaced(text: string, kind: FileKind, dbt = usesJinja(text)): string | undefined {
  const [finding] = detectCredentials(text, kind);
  assert.ok(finding, 'a finding');
  const replacement = referenceReplacement(finding, dbt);
  if (!replacement) return undefined;
  return text.slice(0, replacement.span.start) + replacement.newText + text.slice(replacement.span.end);
}

describe('detect: references to replace a value with', () => {
  const f = new CredentialFixtures(808);

  it('dbt SQL keeps the quotes and puts env_var() inside; plain DuckDB SQL gets none', () => {
    const secret = f.r2Secret();
    assert.equal(replaced(`{{ config(materialized='view') }}\nCREATE SECRET (TYPE r2, SECRET '${secret}')`, 'sql'), `{{ config(materialized='view') }}\nCREATE SECRET (TYPE r2, SECRET '{{ env_var('R2_SECRET_KEY') }}')`);
    assert.equal(replaced(`CREATE SECRET (TYPE r2, SECRET '${secret}')`, 'sql'), undefined);
  });

  it('dbt YAML: quoted and bare values', () => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    assert.equal(replaced(`key_id: '${id}'\n`, 'dbt-profiles'), `key_id: "{{ env_var('R2_ACCESS_KEY_ID') }}"\n`);
    assert.equal(replaced(`secret: ${secret}\n`, 'dbt-profiles'), `secret: "{{ env_var('R2_SECRET_KEY') }}"\n`);
    assert.equal(replaced(`secret: ${secret}\n`, 'yaml', false), undefined, 'a YAML file outside dbt');
  });

  it('Python, shell and notebooks (JSON-escaped); none in .env or inside a connection string', () => {
    const [secret, awsSecret, password] = [f.r2Secret(), f.awsSecret(), f.password()];
    assert.equal(replaced(`s = client(aws_secret_access_key="${awsSecret}")`, 'python'), 's = client(aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"])');
    assert.equal(replaced(`export R2_SECRET_KEY='${secret}'\ndbt run\n`, 'shell'), 'export R2_SECRET_KEY="$R2_SECRET_KEY"\ndbt run\n');
    const cell = notebook([{ type: 'code', source: `R2_SECRET_KEY = "${secret}"\n` }]);
    const after = replaced(cell, 'notebook');
    assert.ok(after);
    const parsed = JSON.parse(after) as { cells: { source: string[] }[] };
    assert.deepEqual(parsed.cells[0]?.source, ['R2_SECRET_KEY = os.environ["R2_SECRET_KEY"]\n']);
    assert.equal(replaced(`R2_SECRET_KEY=${secret}\n`, 'env'), undefined);
    assert.equal(replaced(`psycopg2.connect("host=db password=${password}")`, 'python'), undefined);
  });

  it('none without a variable name, for a password in a URL, or for an unquoted value in a SQL or Python string or comment', () => {
    const [secret, password] = [f.r2Secret(), f.password()];
    assert.equal(replaced(`db.connect(password="${password}")`, 'python'), undefined, 'no variable name for a lower-case key');
    assert.equal(replaced(`psql "postgresql://app:${password}@db:5432/lake"\n`, 'shell'), undefined);
    assert.equal(replaced(`{{ config(materialized='view') }}\n-- SECRET ${secret}\nselect 1\n`, 'sql'), undefined);
    assert.equal(replaced(`# R2_SECRET_KEY=${secret}\nprint(1)\n`, 'python'), undefined);
  });

  it('YAML rendered by dbt, and dbt_project.yml always', () => {
    const secret = f.r2Secret();
    assert.equal(replaced(`secret: ${secret}\n`, 'yaml', true), `secret: "{{ env_var('R2_SECRET_KEY') }}"\n`);
    assert.equal(replaced(`vars:\n  secret: '${secret}'\n`, 'dbt-project', false), `vars:\n  secret: "{{ env_var('R2_SECRET_KEY') }}"\n`);
  });

  it('none in Markdown prose or other text', () => {
    assert.equal(replaced(`R2_SECRET_KEY=${f.r2Secret()}\n`, 'text'), undefined);
  });
});
