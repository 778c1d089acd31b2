import * as assert from 'node:assert/strict';
import { parseDbtProfiles, type DbtProfilesFile } from '../../../../src/core/credentials/dbtProfiles';
import { describeTargetSecret, findTarget, secretNameForTarget, targetSecrets } from '../../../../src/core/secrets/targetSecrets';

const settings = { target: 'dev', devName: 'r2_dev_secret', prodName: 'r2_prod_secret' };

const PROFILES = `
lakehouse:
  target: prod
  outputs:
    dev:
      type: duckdb
      path: dev.duckdb
    prod:
      type: duckdb
      path: "md:lakehouse"
    ci-run:
      type: duckdb
      path: ":memory:"
    pg:
      type: postgres
analytics:
  outputs:
    prod:
      type: duckdb
      path: prod.duckdb
`;

const file = async (text: string): Promise<DbtProfilesFile> => ({ file: '/w/profiles.yml', targets: await parseDbtProfiles(text) });

describe('dbt targets → R2 secrets', () => {
  it('without profiles.yml: dev → session secret r2_dev_secret, prod → MotherDuck secret r2_prod_secret, the setting\'s target first', () => {
    assert.deepEqual(targetSecrets(undefined, settings), [
      { target: 'dev', storage: 'memory', name: 'r2_dev_secret', isDefault: true, from: 'settings' },
      { target: 'prod', storage: 'motherduck', name: 'r2_prod_secret', isDefault: false, from: 'settings' },
    ]);
    const prod = targetSecrets(undefined, { ...settings, target: 'prod', prodName: 'lake_prod' });
    assert.deepEqual(prod.map((t) => [t.target, t.storage, t.name, t.isDefault]), [
      ['prod', 'motherduck', 'lake_prod', true],
      ['dev', 'memory', 'r2_dev_secret', false],
    ]);
    assert.deepEqual(targetSecrets({ file: '/w/profiles.yml', targets: [] }, settings).map((t) => t.target), ['dev', 'prod'], 'no DuckDB targets: dev and prod');
  });

  it('with profiles.yml: its DuckDB targets, md: paths → MotherDuck, others → session, profiles.yml\'s default first', async () => {
    const secrets = targetSecrets(await file(PROFILES), settings);
    assert.deepEqual(
      secrets.map((t) => [t.profile, t.target, t.path, t.storage, t.name, t.isDefault, t.from]),
      [
        ['lakehouse', 'prod', 'md:lakehouse', 'motherduck', 'r2_prod_secret', true, 'profiles.yml'],
        ['lakehouse', 'dev', 'dev.duckdb', 'memory', 'r2_dev_secret', false, 'profiles.yml'],
        ['lakehouse', 'ci-run', ':memory:', 'memory', 'r2_ci_run_secret', false, 'profiles.yml'],
        ['analytics', 'prod', 'prod.duckdb', 'memory', 'r2_prod_secret', false, 'profiles.yml'],
      ],
    );
  });

  it('names other targets r2_<target>_secret, falling back to the kind\'s name when that is no valid name', () => {
    assert.equal(secretNameForTarget('Staging', 'memory', settings), 'r2_staging_secret');
    assert.equal(secretNameForTarget('DEV', 'motherduck', settings), 'r2_dev_secret');
    assert.equal(secretNameForTarget('x'.repeat(80), 'motherduck', settings), 'r2_prod_secret');
    assert.equal(secretNameForTarget('x'.repeat(80), 'memory', settings), 'r2_dev_secret');
  });

  it('finds a target by name or profile.target', async () => {
    const secrets = targetSecrets(await file(PROFILES), settings);
    assert.equal(findTarget(secrets, 'prod')?.profile, 'lakehouse');
    assert.equal(findTarget(secrets, 'analytics.prod')?.storage, 'memory');
    assert.equal(findTarget(secrets, ' CI-RUN ')?.name, 'r2_ci_run_secret');
    assert.equal(findTarget(secrets, 'nope'), undefined);
    assert.equal(describeTargetSecret({ storage: 'motherduck', name: 'r2_prod_secret' }), 'MotherDuck secret r2_prod_secret');
    assert.equal(describeTargetSecret({ storage: 'memory', name: 'r2_dev_secret' }), 'session secret r2_dev_secret');
  });

  it('dev and prod in any case take the names the settings give them', () => {
    const named = { target: 'dev', devName: 'lake_dev', prodName: 'lake_prod' };
    assert.equal(secretNameForTarget('DEV', 'memory', named), 'lake_dev');
    assert.equal(secretNameForTarget('Prod', 'motherduck', named), 'lake_prod');
    assert.equal(secretNameForTarget('qa', 'memory', named), 'r2_qa_secret');
  });

  it('a target carries its path and profiles.yml only when it has them', () => {
    const targets = [
      { profile: 'lake', target: 'dev', isDefault: true, motherduck: false, path: 'dev.duckdb', file: '/w/profiles.yml' },
      { profile: 'lake', target: 'ci', isDefault: false, motherduck: false },
    ];
    const [dev, ci] = targetSecrets({ file: '/w/profiles.yml', targets }, settings);
    assert.deepEqual(dev, { target: 'dev', profile: 'lake', path: 'dev.duckdb', file: '/w/profiles.yml', storage: 'memory', name: 'r2_dev_secret', isDefault: true, from: 'profiles.yml' });
    assert.deepEqual(ci, { target: 'ci', profile: 'lake', storage: 'memory', name: 'r2_ci_secret', isDefault: false, from: 'profiles.yml' });
    assert.ok(!('path' in (ci ?? {})) && !('file' in (ci ?? {})));
  });

  it('a qualified name matches only targets that have a profile', () => {
    const fromSettings = targetSecrets(undefined, settings);
    assert.equal(findTarget(fromSettings, 'undefined.dev'), undefined);
    assert.equal(findTarget(fromSettings, ' DEV ')?.target, 'dev');
  });
});

