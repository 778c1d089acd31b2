import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDbtProfiles, profilesCandidates, readDbtProfiles } from '../../../../src/core/credentials/dbtProfiles';

const PROFILES = `
config:
  send_anonymous_usage_stats: false
lakehouse:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: dev.duckdb
      extensions: [httpfs]
      secrets:
        - type: r2
          key_id: "{{ env_var('R2_ACCESS_KEY_ID') }}"
    prod:
      type: duckdb
      path: "md:lakehouse?motherduck_token=md-token-canary-31"
    pg:
      type: postgres
      host: localhost
other:
  outputs:
    local:
      type: duckdb
`;

describe('dbt profiles.yml', () => {
  it('finds the DuckDB targets, the default one, and which are MotherDuck', async () => {
    assert.deepEqual(await parseDbtProfiles(PROFILES), [
      { profile: 'lakehouse', target: 'dev', isDefault: true, path: 'dev.duckdb', motherduck: false },
      { profile: 'lakehouse', target: 'prod', isDefault: false, path: 'md:lakehouse', motherduck: true },
      { profile: 'other', target: 'local', isDefault: false, path: undefined, motherduck: false },
    ]);
  });

  it('never returns credential values', async () => {
    const text = JSON.stringify(await parseDbtProfiles(PROFILES));
    assert.ok(!text.includes('env_var'), text);
    assert.ok(!text.includes('md-token-canary-31'), 'a token in an md: path query string is dropped');
  });

  it('names the file and the YAML problem when the file is broken', async () => {
    await assert.rejects(parseDbtProfiles('a: [unclosed', '/w/profiles.yml'), /\/w\/profiles\.yml is not valid YAML/);
  });

  it('reads the first existing candidate, DBT_PROFILES_DIR first', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbt-'));
    try {
      const ws = path.join(dir, 'ws');
      const custom = path.join(dir, 'custom');
      fs.mkdirSync(ws);
      fs.mkdirSync(custom);
      fs.writeFileSync(path.join(ws, 'profiles.yml'), PROFILES);
      const candidates = profilesCandidates([ws], { DBT_PROFILES_DIR: custom });
      assert.equal(candidates[0], path.join(custom, 'profiles.yml'));
      const found = await readDbtProfiles(candidates);
      assert.equal(found?.file, path.join(ws, 'profiles.yml'));
      assert.equal(found?.targets.length, 3);
      assert.equal(await readDbtProfiles([path.join(dir, 'none.yml')]), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
