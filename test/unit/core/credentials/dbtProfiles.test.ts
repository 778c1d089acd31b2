import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findDbtProfiles, parseDbtProfiles, profilesCandidates, readDbtProfiles } from '../../../../src/core/credentials/dbtProfiles';

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
    await assert.rejects(parseDbtProfiles('a: [unclosed'), /^Error: profiles\.yml is not valid YAML/);
  });

  it('skips the config: block and profiles without outputs, and reads MotherDuck only from an md: prefix', async () => {
    const text = [
      'config:',
      '  outputs:',
      '    dev: {type: duckdb}',
      'empty:',
      'scalar: 5',
      'nooutputs:',
      '  target: dev',
      'lake:',
      '  target: cloud',
      '  outputs:',
      '    2024: {type: duckdb, path: "backups/md:old.duckdb"}',
      '    cloud: {type: duckdb, path: "MotherDuck:lake?motherduck_token=x\\ny"}',
      '',
    ].join('\n');
    assert.deepEqual(await parseDbtProfiles(text), [
      { profile: 'lake', target: '2024', isDefault: false, path: 'backups/md:old.duckdb', motherduck: false },
      { profile: 'lake', target: 'cloud', isDefault: true, path: 'MotherDuck:lake', motherduck: true },
    ]);
  });

  describe('finding profiles.yml as dbt does', () => {
    let dir: string;
    let ws: string;
    let home: string;
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    };
    const one = (profile: string) => `${profile}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${profile}.duckdb\n`;

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbt-'));
      ws = path.join(dir, 'ws');
      home = path.join(dir, 'home');
      fs.mkdirSync(ws);
      write(path.join(home, '.dbt', 'profiles.yml'), one('home'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('finds profiles.yml next to each dbt_project.yml in a sub-folder, naming the file of each target', async () => {
      const transform = path.join(ws, 'transform');
      const other = path.join(ws, 'pipelines', 'other');
      write(path.join(transform, 'profiles.yml'), one('lakehouse'));
      write(path.join(other, 'profiles.yml'), one('other'));
      const found = await findDbtProfiles({ workspaceFolders: [ws], projectDirs: [transform, other], env: {}, home });
      assert.deepEqual(found.files.map((f) => f.file), [path.join(transform, 'profiles.yml'), path.join(other, 'profiles.yml')]);
      assert.deepEqual(found.files.flatMap((f) => f.targets.map((t) => `${t.profile}.${t.target}@${t.file ?? ''}`)), [
        `lakehouse.dev@${path.join(transform, 'profiles.yml')}`,
        `other.dev@${path.join(other, 'profiles.yml')}`,
      ]);
    });

    it('takes DBT_PROFILES_DIR from the environment first, else from a workspace .env (relative to its folder)', async () => {
      write(path.join(ws, 'transform', 'profiles.yml'), one('lakehouse'));
      write(path.join(ws, 'config', 'dbt', 'profiles.yml'), one('fromdotenv'));
      write(path.join(dir, 'custom', 'profiles.yml'), one('fromenv'));
      write(path.join(ws, '.env'), 'R2_SECRET_KEY=not-read-here\nDBT_PROFILES_DIR=config/dbt\n');
      const search = { workspaceFolders: [ws], projectDirs: [path.join(ws, 'transform')], home };

      const fromDotEnv = await findDbtProfiles({ ...search, env: {} });
      assert.deepEqual(fromDotEnv.files.map((f) => f.file), [path.join(ws, 'config', 'dbt', 'profiles.yml')], 'it serves every project');
      assert.deepEqual(fromDotEnv.searched[0], { file: path.join(ws, 'config', 'dbt', 'profiles.yml'), why: `DBT_PROFILES_DIR (${path.join(ws, '.env')})` });
      assert.ok(!JSON.stringify(fromDotEnv).includes('not-read-here'), 'nothing else from the .env is kept');

      const fromEnv = await findDbtProfiles({ ...search, env: { DBT_PROFILES_DIR: path.join(dir, 'custom') } });
      assert.deepEqual(fromEnv.files.map((f) => f.file), [path.join(dir, 'custom', 'profiles.yml')]);
    });

    it('falls back to ~/.dbt, and says every place it looked when there is none', async () => {
      const project = path.join(ws, 'transform');
      const fromHome = await findDbtProfiles({ workspaceFolders: [ws], projectDirs: [project], env: {}, home });
      assert.deepEqual(fromHome.files.map((f) => f.file), [path.join(home, '.dbt', 'profiles.yml')]);

      fs.rmSync(path.join(home, '.dbt'), { recursive: true });
      const none = await findDbtProfiles({ workspaceFolders: [ws], projectDirs: [project], env: {}, home });
      assert.deepEqual(none.files, []);
      assert.deepEqual(none.searched, [
        { file: path.join(project, 'profiles.yml'), why: 'dbt project' },
        { file: path.join(ws, 'profiles.yml'), why: 'workspace folder' },
        { file: path.join(home, '.dbt', 'profiles.yml'), why: '~/.dbt' },
      ]);
    });

    it('expands ~ to the home folder and takes a relative DBT_PROFILES_DIR from each workspace folder', async () => {
      const ws2 = path.join(dir, 'ws2');
      const searched = async (value: string, workspaceFolders: string[]) => (await profilesCandidates({ workspaceFolders, projectDirs: [], env: { DBT_PROFILES_DIR: value }, home }))[0]?.file;
      assert.equal(await searched('~/dbtconf', [ws]), path.join(home, 'dbtconf', 'profiles.yml'));
      assert.equal(await searched('~', [ws]), path.join(home, 'profiles.yml'));
      assert.equal(await searched(`  ${path.join(dir, 'custom')} `, [ws]), path.join(dir, 'custom', 'profiles.yml'));
      assert.equal(await searched('cfg', []), path.join(home, 'cfg', 'profiles.yml'));
      const relative = await profilesCandidates({ workspaceFolders: [ws, ws2], projectDirs: [], env: { DBT_PROFILES_DIR: 'cfg' }, home });
      assert.deepEqual(relative.slice(0, 2), [
        { file: path.join(ws, 'cfg', 'profiles.yml'), why: 'DBT_PROFILES_DIR (environment)' },
        { file: path.join(ws2, 'cfg', 'profiles.yml'), why: 'DBT_PROFILES_DIR (environment)' },
      ]);
    });

    it('reads DBT_PROFILES_DIR from a .env only when the environment has none, and lists each place once', async () => {
      const ws2 = path.join(dir, 'ws2');
      write(path.join(ws, '.env'), 'OTHER=1\n');
      write(path.join(ws2, '.env'), 'DBT_PROFILES_DIR="  conf  "\n');
      const candidates = await profilesCandidates({ workspaceFolders: [ws, ws2], projectDirs: [ws], env: { DBT_PROFILES_DIR: '   ' }, home });
      assert.deepEqual(candidates, [
        { file: path.join(ws2, 'conf', 'profiles.yml'), why: `DBT_PROFILES_DIR (${path.join(ws2, '.env')})` },
        { file: path.join(ws, 'profiles.yml'), why: 'dbt project' },
        { file: path.join(ws2, 'profiles.yml'), why: 'workspace folder' },
        { file: path.join(home, '.dbt', 'profiles.yml'), why: '~/.dbt' },
      ]);
    });

    it('passes over a folder named profiles.yml', async () => {
      fs.mkdirSync(path.join(ws, 'profiles.yml'));
      const found = await findDbtProfiles({ workspaceFolders: [ws], projectDirs: [], env: {}, home });
      assert.deepEqual(found.files.map((f) => f.file), [path.join(home, '.dbt', 'profiles.yml')]);
    });

    it('names the broken file', async () => {
      write(path.join(ws, 'profiles.yml'), 'a: [unclosed');
      await assert.rejects(findDbtProfiles({ workspaceFolders: [ws], projectDirs: [], env: {}, home }), new RegExp(`${path.join(ws, 'profiles.yml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid YAML`));
    });
  });

  it('readDbtProfiles reads the first existing candidate', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbt-'));
    try {
      fs.writeFileSync(path.join(dir, 'profiles.yml'), PROFILES);
      const found = await readDbtProfiles([path.join(dir, 'none.yml'), path.join(dir, 'profiles.yml')]);
      assert.equal(found?.file, path.join(dir, 'profiles.yml'));
      assert.equal(found?.targets.length, 3);
      assert.equal(await readDbtProfiles([path.join(dir, 'none.yml')]), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
