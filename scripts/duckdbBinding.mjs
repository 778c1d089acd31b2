// Which DuckDB native binding a platform VSIX carries, and the one version it may have.
// `@duckdb/node-api` (pinned exactly in package.json) depends on one exact `@duckdb/node-bindings`
// version, and that package loads `@duckdb/node-bindings-<platform>/duckdb.node`. A VSIX whose
// platform binding has another version would load a library the JavaScript side was not built
// for, so every step here refuses a mismatch instead of packaging it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** vsce target -> the binding package suffix and the DuckDB library file it ships. */
export const TARGETS = {
  'linux-x64': { suffix: 'linux-x64', library: 'libduckdb.so' },
  'linux-arm64': { suffix: 'linux-arm64', library: 'libduckdb.so' },
  'alpine-x64': { suffix: 'linux-x64-musl', library: 'libduckdb.so' },
  'alpine-arm64': { suffix: 'linux-arm64-musl', library: 'libduckdb.so' },
  'darwin-x64': { suffix: 'darwin-x64', library: 'libduckdb.dylib' },
  'darwin-arm64': { suffix: 'darwin-arm64', library: 'libduckdb.dylib' },
  'win32-x64': { suffix: 'win32-x64', library: 'duckdb.dll' },
  'win32-arm64': { suffix: 'win32-arm64', library: 'duckdb.dll' },
};

/** The targets the release workflow builds: the platforms desktop VS Code runs on. */
export const RELEASE_TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];

const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

export function targetInfo(target) {
  const info = TARGETS[target];
  if (!info) throw new Error(`Unsupported target "${target}"; one of: ${Object.keys(TARGETS).join(', ')}`);
  return info;
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

function installedVersion(root, name) {
  const file = path.join(root, 'node_modules', ...name.split('/'), 'package.json');
  return fs.existsSync(file) ? readJson(file).version : undefined;
}

/**
 * The binding version the pinned `@duckdb/node-api` needs, after checking that node_modules
 * holds exactly that node-api and that binding loader. Throws with what to do otherwise.
 */
export function requiredBindingVersion(root) {
  const pinned = readJson(path.join(root, 'package.json')).dependencies?.['@duckdb/node-api'];
  if (!pinned || !EXACT_VERSION.test(pinned)) {
    throw new Error(`package.json must pin @duckdb/node-api to an exact version (found ${JSON.stringify(pinned)})`);
  }
  const api = installedVersion(root, '@duckdb/node-api');
  if (api !== pinned) {
    throw new Error(`node_modules has @duckdb/node-api ${api ?? '(none)'} but package.json pins ${pinned}; run npm ci`);
  }
  const wanted = readJson(path.join(root, 'node_modules', '@duckdb', 'node-api', 'package.json')).dependencies?.['@duckdb/node-bindings'];
  if (!wanted || !EXACT_VERSION.test(wanted)) {
    throw new Error(`@duckdb/node-api ${pinned} does not depend on one exact @duckdb/node-bindings version (${JSON.stringify(wanted)})`);
  }
  const loader = installedVersion(root, '@duckdb/node-bindings');
  if (loader !== wanted) {
    throw new Error(`node_modules has @duckdb/node-bindings ${loader ?? '(none)'} but @duckdb/node-api ${pinned} needs ${wanted}; run npm ci`);
  }
  return { api: pinned, binding: wanted };
}

/**
 * Where the target's binding is in node_modules: `{ dir, installed: true }` when npm installed it
 * (the host's platform), `{ dir, installed: false }` when it has to be fetched. Throws when a
 * binding of another version is there.
 */
export function locateBinding(root, target, version) {
  const { suffix, library } = targetInfo(target);
  const dir = path.join(root, 'node_modules', '@duckdb', `node-bindings-${suffix}`);
  const found = installedVersion(root, `@duckdb/node-bindings-${suffix}`);
  if (found === undefined) return { dir, installed: false };
  if (found !== version) {
    throw new Error(`node_modules has @duckdb/node-bindings-${suffix} ${found}, but the pinned DuckDB needs ${version}; run npm ci`);
  }
  const missing = ['duckdb.node', library].filter((file) => !fs.existsSync(path.join(dir, file)));
  if (missing.length > 0) throw new Error(`node_modules/@duckdb/node-bindings-${suffix} lacks ${missing.join(', ')}; run npm ci`);
  return { dir, installed: true };
}

const npmCommand = (args) =>
  // npm is npm.cmd on Windows, which Node runs only through a shell.
  spawnSync('npm', args, { encoding: 'utf8', shell: process.platform === 'win32' });

/**
 * Downloads `@duckdb/node-bindings-<suffix>@<version>` from the npm registry into `dir`.
 * When that exact version is not published, throws saying so: the target cannot be packaged.
 */
export function fetchBinding(target, version, dir) {
  const { suffix, library } = targetInfo(target);
  const spec = `@duckdb/node-bindings-${suffix}@${version}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-binding-'));
  try {
    const pack = npmCommand(['pack', spec, '--json', '--pack-destination', work]);
    if (pack.status !== 0) {
      let code;
      try {
        code = JSON.parse(pack.stdout).error?.code;
      } catch {
        code = /\b(E404|ETARGET)\b/.exec(pack.stderr ?? '')?.[1];
      }
      if (code === 'E404' || code === 'ETARGET') {
        throw new Error(
          `${spec} is not published on the npm registry (${code}), so no ${target} VSIX can be built with ` +
            `the DuckDB this extension pins: the binding must be exactly ${version}. Wait for DuckDB to publish it, or leave ${target} out of this release.`,
        );
      }
      throw new Error(`npm pack ${spec} failed (${pack.status ?? pack.error?.message}):\n${`${pack.stdout ?? ''}${pack.stderr ?? ''}`.trim()}`);
    }
    const tgz = fs.readdirSync(work).find((file) => file.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack ${spec} wrote no tarball`);
    fs.mkdirSync(dir, { recursive: true });
    const tar = spawnSync('tar', ['-xzf', tgz, '-C', path.relative(work, dir) || '.', '--strip-components=1'], { cwd: work, encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`extracting ${tgz} failed: ${tar.stderr}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const fetched = readJson(path.join(dir, 'package.json')).version;
  if (fetched !== version) throw new Error(`npm pack ${spec} gave version ${fetched}`);
  const missing = ['duckdb.node', library].filter((file) => !fs.existsSync(path.join(dir, file)));
  if (missing.length > 0) throw new Error(`${spec} lacks ${missing.join(', ')}`);
}
