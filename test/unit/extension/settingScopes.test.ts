/**
 * A workspace's `.vscode/settings.json` is written by whoever wrote the repository. Only settings
 * whose scope is `machine` are out of its reach, so every other setting is on a reviewed allowlist
 * here, with the reason it cannot redirect credentials or load code (an endpoint, a database, a
 * token, an extension source, a DuckDB option). A new setting that is not `machine`-scoped fails
 * this test until someone reviews it and adds it below.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../../..');

interface SettingSchema {
  readonly scope?: string;
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  capabilities?: { untrustedWorkspaces?: { supported?: unknown; description?: unknown } };
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
};

/** Settings a workspace may set, each with why it is harmless. Review before adding to this list. */
const SAFE_WORKSPACE_SETTINGS: Readonly<Record<string, string>> = {
  'duckdbSecrets.target': 'dev or prod (an enum): which storage the secret commands default to; MotherDuck is always the keychain token\'s account',
  'duckdbSecrets.secretName.dev': 'a default secret name offered in a prompt; the pattern allows only letters, digits and underscores',
  'duckdbSecrets.secretName.prod': 'a default secret name offered in a prompt; the pattern allows only letters, digits and underscores',
  'duckdbSecrets.recreateSessionSecrets': 'a boolean: re-creates only the session secrets the user made, from the keychain',
  'duckdbSecrets.motherduck.connectOnStart': 'a boolean: connects with the keychain token only (databasePath cannot name MotherDuck)',
  'duckdbSecrets.lint.enable': 'a boolean: whether the language server runs; it reads files and sends no request anywhere',
  'duckdbSecrets.lint.severity': 'an enum: how loud a finding is',
  'duckdbSecrets.lint.exclude': 'globs the language server skips, matched against workspace paths only: a workspace can silence findings in its own files (as an inline ignore comment can), never send or load anything',
};

/** Allowlisted settings that are lists of globs: only ever matched against file paths, never opened or sent. */
const GLOB_LIST_SETTINGS = new Set(['duckdbSecrets.lint.exclude']);

/** Words in a setting's name that mean it may carry what a workspace must never choose. */
const RISKY_NAME = /endpoint|database|path|token|url|uri|host|extension|repository|option|directory|env\.|object|key/i;

describe('settings a workspace can change', () => {
  const properties = manifest.contributes.configuration.properties;
  const workspaceSettable = Object.entries(properties).filter(([, schema]) => schema.scope !== 'machine');

  it('are all on the reviewed allowlist (any other setting must be machine-scoped)', () => {
    const unreviewed = workspaceSettable.map(([name]) => name).filter((name) => !(name in SAFE_WORKSPACE_SETTINGS));
    assert.deepEqual(unreviewed, [], `make these "scope": "machine", or review them and add them to SAFE_WORKSPACE_SETTINGS`);
  });

  it('can carry no URL, path or connection string: a boolean, an enum, or a string whose pattern refuses ":" and "/"', () => {
    for (const [name, schema] of workspaceSettable) {
      if (schema.type === 'boolean' || schema.enum !== undefined) continue;
      if (schema.type === 'array' && GLOB_LIST_SETTINGS.has(name)) continue;
      assert.equal(schema.type, 'string', name);
      assert.ok(schema.pattern, `${name} has no pattern`);
      const pattern = new RegExp(schema.pattern);
      for (const hostile of ['md:x', 'http://127.0.0.1:9/x', '../x', 'a/b']) assert.ok(!pattern.test(hostile), `${name} accepts ${hostile}`);
    }
  });

  it('the allowlist names no setting that sounds like an endpoint, database, token, extension source or option', () => {
    for (const name of Object.keys(SAFE_WORKSPACE_SETTINGS)) {
      const rest = name.replace(/^duckdbSecrets\./, '').replace(/^secretName\./, 'secret name ');
      assert.ok(!RISKY_NAME.test(rest), `${name} looks risky: keep it machine-scoped`);
    }
    for (const name of Object.keys(SAFE_WORKSPACE_SETTINGS)) assert.ok(name in properties, `${name} is no longer declared: remove it from the allowlist`);
  });

  it('keeps the settings that redirect credentials or load code machine-scoped', () => {
    for (const name of ['duckdb.databasePath', 'duckdb.options', 'testBucket.readObject', 'env.accessKeyId', 'env.secretKey', 'env.accountId', 'env.bucket', 'env.endpoint']) {
      assert.equal(properties[`duckdbSecrets.${name}`]?.scope, 'machine', name);
    }
  });

  it('declares that the extension does not run in untrusted workspaces, and says why', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, false);
    assert.equal(typeof untrusted?.description, 'string');
    assert.match(String(untrusted?.description), /\.env|keys|token/);
  });
});
