import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'mocha';
import { locateBinding, requiredBindingVersion } from '../../../scripts/duckdbBinding.mjs';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('duckdbBinding: the one binding version a VSIX may carry', () => {
  let root;
  const write = (relative, json) => {
    const file = path.join(root, ...relative.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(json));
  };
  /** A project pinning node-api `pinned`, with what npm would have installed. */
  const project = ({ pinned = '1.5.6-r.1', api = pinned, wants = pinned, loader = wants } = {}) => {
    write('package.json', { dependencies: { '@duckdb/node-api': pinned } });
    write('node_modules/@duckdb/node-api/package.json', { version: api, dependencies: { '@duckdb/node-bindings': wants } });
    write('node_modules/@duckdb/node-bindings/package.json', { version: loader });
  };
  const binding = (suffix, version, files = ['duckdb.node', 'libduckdb.dylib']) => {
    write(`node_modules/@duckdb/node-bindings-${suffix}/package.json`, { version });
    for (const name of files) fs.writeFileSync(path.join(root, 'node_modules', '@duckdb', `node-bindings-${suffix}`, name), '');
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-binding-test-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("is the pinned node-api's binding dependency, in this repository", () => {
    const pinned = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).dependencies['@duckdb/node-api'];
    const wants = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/@duckdb/node-api/package.json'), 'utf8')).dependencies['@duckdb/node-bindings'];
    assert.deepEqual(requiredBindingVersion(repoRoot), { api: pinned, binding: wants });
  });

  it('follows node-api when it needs a binding of another version than its own', () => {
    project({ pinned: '1.5.6-r.1', wants: '1.5.6-r.2' });
    assert.deepEqual(requiredBindingVersion(root), { api: '1.5.6-r.1', binding: '1.5.6-r.2' });
  });

  it('refuses a node-api that is not pinned exactly, or not the one installed', () => {
    project({ pinned: '^1.5.6-r.1', api: '1.5.6-r.1' });
    assert.throws(() => requiredBindingVersion(root), /must pin @duckdb\/node-api to an exact version \(found "\^1\.5\.6-r\.1"\)/);
    project({ pinned: '1.5.6-r.1', api: '1.5.5-r.1' });
    assert.throws(() => requiredBindingVersion(root), /node_modules has @duckdb\/node-api 1\.5\.5-r\.1 but package\.json pins 1\.5\.6-r\.1; run npm ci/);
  });

  it('refuses a binding loader of another version, or a range', () => {
    project({ wants: '1.5.6-r.1', loader: '1.5.5-r.1' });
    assert.throws(() => requiredBindingVersion(root), /@duckdb\/node-bindings 1\.5\.5-r\.1 but @duckdb\/node-api 1\.5\.6-r\.1 needs 1\.5\.6-r\.1/);
    project({ wants: '^1.5.6-r.1' });
    assert.throws(() => requiredBindingVersion(root), /does not depend on one exact @duckdb\/node-bindings version/);
  });

  it('uses an installed platform binding of the right version, and asks for a fetch when there is none', () => {
    project();
    binding('darwin-arm64', '1.5.6-r.1');
    assert.equal(locateBinding(root, 'darwin-arm64', '1.5.6-r.1').installed, true);
    assert.equal(locateBinding(root, 'darwin-x64', '1.5.6-r.1').installed, false);
  });

  it('refuses an installed platform binding of another version, or one without its library', () => {
    project();
    binding('darwin-arm64', '1.5.5-r.1');
    assert.throws(() => locateBinding(root, 'darwin-arm64', '1.5.6-r.1'), /node-bindings-darwin-arm64 1\.5\.5-r\.1, but the pinned DuckDB needs 1\.5\.6-r\.1/);
    binding('linux-arm64', '1.5.6-r.1', ['duckdb.node']);
    assert.throws(() => locateBinding(root, 'linux-arm64', '1.5.6-r.1'), /lacks libduckdb\.so/);
  });
});
