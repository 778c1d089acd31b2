import * as assert from 'node:assert/strict';
import { fileKindOf, type FileKind } from '../../../../src/core/detect/fileKind';

describe('detect: file kinds', () => {
  const byName: [string, FileKind][] = [
    ['models/orders.sql', 'sql'],
    ['macros/init.sql.j2', 'sql'],
    ['etl/load.py', 'python'],
    ['config.YAML', 'yaml'],
    ['models/schema.yml', 'yaml'],
    ['/home/me/.dbt/profiles.yml', 'dbt-profiles'],
    ['C:\\lake\\dbt_project.yml', 'dbt-project'],
    ['.env', 'env'],
    ['.env.local', 'env'],
    ['.env.production', 'env'],
    ['prod.env', 'env'],
    ['.envrc', 'env'],
    ['README.md', 'markdown'],
    ['run.sh', 'shell'],
    ['run.bash', 'shell'],
    ['.zshrc', 'shell'],
    ['config.fish', 'shell'],
    ['explore.ipynb', 'notebook'],
    ['main.tf', 'text'],
    ['Dockerfile', 'text'],
    ['file:///work/lake/profiles.yml', 'dbt-profiles'],
    ['file:///work/my%20lake/load.py', 'python'],
    // A URI's query and fragment are not part of the name; a path's `#` and `?` are.
    ['file:///work/lake/profiles.yml?version=2', 'dbt-profiles'],
    ['file:///c:/work/load.py#L3', 'python'],
    ['/work/q#1.sql', 'sql'],
    ['/work/a:b#1.sql', 'sql'],
    ['C:\\work\\q#1.sql', 'sql'],
    ['/work/vscode-notebook-cell/q.sql', 'sql'],
    // Percent-encoded names are decoded; a stray % is kept.
    ['file:///work/profiles%2Eyml', 'dbt-profiles'],
    ['file:///work/100%25.sql', 'sql'],
    ['/work/100%.sql', 'sql'],
    ['.envrc.local', 'env'],
    ['profiles.yml.j2', 'dbt-profiles'],
    ['dbt_project.yml.template', 'dbt-project'],
    ['load.py.jinja.j2', 'python'],
    ['sample', 'text'],
    ['notes.example', 'text'],
    ['env', 'text'],
    ['sql', 'text'],
    ['.sh', 'shell'],
  ];
  for (const [name, kind] of byName) {
    it(`${name} → ${kind}`, () => assert.equal(fileKindOf(name), kind));
  }

  it('goes by the name first, then the language id', () => {
    assert.equal(fileKindOf('query.sql', 'python'), 'sql');
    assert.equal(fileKindOf('untitled:Untitled-1', 'sql'), 'sql');
    assert.equal(fileKindOf('untitled:Untitled-2', 'jinja-sql'), 'sql');
    assert.equal(fileKindOf('Jenkinsfile', 'shellscript'), 'shell');
    assert.equal(fileKindOf('notes', 'dotenv'), 'env');
    assert.equal(fileKindOf('notes'), 'text');
    assert.equal(fileKindOf('notes', 'some-unknown-language'), 'text');
  });

  it('takes a notebook cell by its language id, not by the notebook file name', () => {
    assert.equal(fileKindOf('vscode-notebook-cell:/work/explore.ipynb#W1sZmlsZQ%3D%3D', 'sql'), 'sql');
    assert.equal(fileKindOf('vscode-notebook-cell:/work/explore.ipynb#W2sZmlsZQ%3D%3D', 'python'), 'python');
    assert.equal(fileKindOf('vscode-notebook-cell:/work/explore.ipynb#W3sZmlsZQ%3D%3D', 'markdown'), 'markdown');
    assert.equal(fileKindOf('vscode-notebook-cell:/work/explore.ipynb#W4sZmlsZQ%3D%3D'), 'python', 'no language id: Python, the usual kernel');
  });
});
