import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SETTINGS, SETTINGS_SECTION } from '../../../src/core/settings';

const root = path.resolve(__dirname, '../../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  activationEvents?: string[];
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    configuration: { properties: Record<string, unknown> };
    menus: Record<string, { command: string }[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
  };
  dependencies: Record<string, string>;
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

// Commands are checked against the real registry in test/integration/activation.test.ts.
describe('package.json manifest', () => {
  const declaredSettings = Object.keys(manifest.contributes.configuration.properties).sort();
  const tableSettings = Object.keys(SETTINGS).map((k) => `${SETTINGS_SECTION}.${k}`).sort();

  it('declares exactly the settings the code reads', () => {
    assert.deepEqual(declaredSettings, tableSettings);
  });

  it('reads settings only through config.ts', () => {
    const offenders = sourceFiles(path.join(root, 'src'))
      .filter((f) => !f.endsWith(`${path.sep}config.ts`))
      .filter((f) => fs.readFileSync(f, 'utf8').includes('getConfiguration('));
    assert.deepEqual(offenders, []);
  });

  it('gives every command the DuckDB Secrets category, and an icon where it sits in a view title', () => {
    const inTitles = new Set((manifest.contributes.menus['view/title'] ?? []).map((m) => m.command));
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'DuckDB Secrets', c.command);
      if (inTitles.has(c.command)) assert.match(c.icon ?? '', /^\$\([a-z-]+\)$/, `${c.command} needs a codicon`);
    }
  });

  it('activates only through its own views and commands', () => {
    for (const event of manifest.activationEvents ?? []) {
      assert.ok(!['*', 'onStartupFinished'].includes(event), event);
    }
  });

  it('welcomes a first user with Import when a .env was found, Set R2 Credentials otherwise, Create R2 Secret once a profile exists', () => {
    const secrets = manifest.contributes.viewsWelcome.filter((w) => w.view === 'duckdbSecrets.secrets');
    const buttons = (when: string) => {
      const entry = secrets.find((w) => w.when === when);
      assert.ok(entry, `a welcome for ${when}`);
      return [...entry.contents.matchAll(/^\[([^\]]+)\]\(command:([\w.]+)\)$/gm)].map((m) => m[2]);
    };
    assert.deepEqual(buttons('!duckdbSecrets.hasProfile && duckdbSecrets.envCredentialsFound'), ['duckdbSecrets.importCredentialsFromEnv', 'duckdbSecrets.setCredentials']);
    assert.deepEqual(buttons('!duckdbSecrets.hasProfile && !duckdbSecrets.envCredentialsFound'), ['duckdbSecrets.setCredentials']);
    assert.deepEqual(buttons('duckdbSecrets.hasProfile'), ['duckdbSecrets.createLocalSecret', 'duckdbSecrets.refreshSecrets']);
    assert.equal(secrets.length, 3, 'every Secrets welcome has its condition');
    // The keys the code sets are the ones the conditions name.
    const code = fs.readFileSync(path.join(root, 'src/extension/credentials/welcomeContext.ts'), 'utf8');
    assert.match(code, /HAS_PROFILE_CONTEXT = 'duckdbSecrets\.hasProfile'/);
    assert.match(code, /ENV_CREDENTIALS_CONTEXT = 'duckdbSecrets\.envCredentialsFound'/);
  });

  it('pins @duckdb/node-api exactly', () => {
    assert.match(manifest.dependencies['@duckdb/node-api'] ?? '', /^\d+\.\d+\.\d+(-[\w.]+)?$/);
  });
});
