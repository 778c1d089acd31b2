import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'mocha';
import yazl from 'yazl';
import { checkVsixContents, readVsix } from '../../../scripts/check-vsix.mjs';
import { RELEASE_TARGETS } from '../../../scripts/duckdbBinding.mjs';
import { nativeHeader, syntheticVsix, withForeignBinding } from './syntheticVsix.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const check = (target, { files, texts, headers }) => checkVsixContents(target, files, (name) => texts.get(name), (name) => headers.get(name));
const bindingDir = 'extension/node_modules/@duckdb/node-bindings-';

function writeZip(file, { files, texts, headers }) {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const name of files) zip.addBuffer(headers.get(name) ?? Buffer.from(texts.get(name) ?? `synthetic ${name}`), name);
    zip.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject);
    zip.end();
  });
}

describe('check-vsix: a platform VSIX holds its own DuckDB and nothing native from elsewhere', () => {
  for (const target of RELEASE_TARGETS) {
    it(`accepts a correct ${target} listing`, () => {
      assert.deepEqual(check(target, syntheticVsix(target)), []);
    });
  }

  it('refuses a darwin-arm64 VSIX that also carries the linux-x64 binding', () => {
    const problems = check('darwin-arm64', withForeignBinding(syntheticVsix('darwin-arm64'), 'linux-x64'));
    assert.deepEqual(problems, ["holds another platform's binding: @duckdb/node-bindings-linux-x64"]);
  });

  it('refuses a VSIX built for one target and checked as another', () => {
    const problems = check('darwin-x64', syntheticVsix('darwin-arm64'));
    assert.ok(problems.includes(`missing ${bindingDir}darwin-x64/libduckdb.dylib`), problems.join('\n'));
    assert.ok(problems.includes("holds another platform's binding: @duckdb/node-bindings-darwin-arm64"), problems.join('\n'));
    assert.ok(problems.includes('extension.vsixmanifest declares TargetPlatform "darwin-arm64", not "darwin-x64"'), problems.join('\n'));
  });

  it('refuses a VSIX without the DuckDB library beside duckdb.node', () => {
    const contents = syntheticVsix('win32-x64');
    contents.files = contents.files.filter((name) => !name.endsWith('/duckdb.dll'));
    assert.deepEqual(check('win32-x64', contents), [`missing ${bindingDir}win32-x64/duckdb.dll`]);
  });

  it('refuses a binding whose version is not the one the pinned node-api needs', () => {
    const problems = check('linux-arm64', syntheticVsix('linux-arm64', { version: '1.5.6-r.1', bindingVersion: '1.5.5-r.2' }));
    assert.deepEqual(problems, ['@duckdb/node-bindings-linux-arm64 is 1.5.5-r.2, but @duckdb/node-api 1.5.6-r.1 needs 1.5.6-r.1']);
  });

  it('refuses a library with the right name but another platform inside', () => {
    const contents = syntheticVsix('win32-x64');
    contents.headers.set(`${bindingDir}win32-x64/duckdb.node`, nativeHeader('linux', ['x64']));
    assert.deepEqual(check('win32-x64', contents), [`${bindingDir}win32-x64/duckdb.node is built for linux x64, not win32-x64`]);

    const intel = syntheticVsix('darwin-x64');
    intel.headers.set(`${bindingDir}darwin-x64/libduckdb.dylib`, nativeHeader('darwin', ['arm64']));
    assert.deepEqual(check('darwin-x64', intel), [`${bindingDir}darwin-x64/libduckdb.dylib is built for darwin arm64, not darwin-x64`]);

    const text = syntheticVsix('linux-x64');
    text.headers.set(`${bindingDir}linux-x64/libduckdb.so`, Buffer.from('version https://git-lfs.github.com/spec/v1\n'));
    assert.deepEqual(check('linux-x64', text), [`${bindingDir}linux-x64/libduckdb.so is not a native library (no ELF, Mach-O or PE header)`]);
  });

  it('refuses native files outside the target binding', () => {
    const contents = syntheticVsix('linux-x64');
    contents.files.push('extension/node_modules/keytar/build/Release/keytar.node', 'extension/dist/duckdb.dll');
    assert.deepEqual(check('linux-x64', contents), [
      "native file that is not linux-x64's DuckDB: extension/node_modules/keytar/build/Release/keytar.node",
      "native file that is not linux-x64's DuckDB: extension/dist/duckdb.dll",
    ]);
  });

  it('refuses an unknown target', () => {
    assert.throws(() => check('sunos-x64', syntheticVsix('linux-x64')), /Unsupported target "sunos-x64"/);
  });

  describe('on a real zip file, through the command line', () => {
    let dir;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-vsix-test-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const cli = (...args) => spawnSync(process.execPath, [path.join(root, 'scripts', 'check-vsix.mjs'), ...args], { encoding: 'utf8' });

    it('reads every entry name, the package.json texts and the library headers', async () => {
      const contents = syntheticVsix('darwin-arm64');
      const file = path.join(dir, 'read.vsix');
      await writeZip(file, contents);
      const read = await readVsix(file);
      assert.deepEqual(read.files, contents.files);
      assert.deepEqual([...read.texts.keys()].sort(), [...contents.texts.keys()].sort());
      for (const [name, header] of contents.headers) assert.ok(read.headers.get(name)?.equals(header), name);
    });

    it('exits 0 for a correct darwin-arm64 VSIX and 1, naming each problem, for a wrong one', async () => {
      const good = path.join(dir, 'good.vsix');
      const bad = path.join(dir, 'bad.vsix');
      await writeZip(good, syntheticVsix('darwin-arm64'));
      await writeZip(bad, withForeignBinding(syntheticVsix('darwin-arm64'), 'win32-x64'));

      const passed = cli('--target', 'darwin-arm64', good);
      assert.equal(passed.status, 0, passed.stderr);
      assert.match(passed.stdout, /ok good\.vsix: .*@duckdb\/node-bindings-darwin-arm64 1\.5\.6-r\.1/);

      const failed = cli('--target', 'darwin-arm64', bad);
      assert.equal(failed.status, 1);
      assert.match(failed.stderr, /bad\.vsix is not a correct darwin-arm64 VSIX:\n {2}- holds another platform's binding: @duckdb\/node-bindings-win32-x64/);
    });

    it('exits 1 without a target', () => {
      const result = cli(path.join(dir, 'good.vsix'));
      assert.equal(result.status, 1);
      assert.match(result.stderr, /usage:/);
    });
  });
});
