// Packages the extension for one platform: production build, then `vsce package --target`.
// The VSIX carries dist/ (everything but DuckDB bundled by esbuild) and DuckDB's N-API packages
// for that platform only: .vscodeignore is an allowlist naming the linux-x64 binding, and this
// script swaps in the binding of the requested target.
//   node scripts/package.mjs [--target linux-x64]      (or env VSCE_TARGET)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { run } from './build.mjs';
import { repoRoot } from './codeServer.mjs';

// vsce target -> @duckdb/node-bindings-<suffix>
const bindingSuffix = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'alpine-x64': 'linux-x64-musl',
  'alpine-arm64': 'linux-arm64-musl',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
};

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

/**
 * npm installs only the host's binding; another target's comes from the registry into
 * node_modules for vsce to pick up. Returns that folder so it can be removed afterwards.
 */
function fetchBindingIfMissing(suffix) {
  const dir = path.join(repoRoot, 'node_modules', '@duckdb', `node-bindings-${suffix}`);
  if (fs.existsSync(path.join(dir, 'duckdb.node'))) return undefined;
  const { version } = readJson(path.join(repoRoot, 'node_modules', '@duckdb', 'node-bindings', 'package.json'));
  const spec = `@duckdb/node-bindings-${suffix}@${version}`;
  console.log(`[package] fetching ${spec} (not installed on this platform)`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-binding-'));
  try {
    const tgz = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', work], { encoding: 'utf8' }).trim();
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xzf', path.join(work, tgz), '-C', dir, '--strip-components=1']);
    return dir;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** .vscodeignore with the platform binding lines replaced by the target's. */
function ignoreFileFor(suffix, dir) {
  const lines = fs
    .readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((line) => !/^!node_modules\/@duckdb\/node-bindings-/.test(line.trim()));
  lines.push(`!node_modules/@duckdb/node-bindings-${suffix}/**`);
  // On musl the binding loader needs detect-libc to pick the musl build.
  if (suffix.endsWith('-musl')) lines.push('!node_modules/detect-libc/**');
  const file = path.join(dir, 'vscodeignore');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Builds and packages; returns the VSIX path and its file list. */
export function packageVsix(target = 'linux-x64') {
  const suffix = bindingSuffix[target];
  if (!suffix) throw new Error(`Unsupported target "${target}"; one of: ${Object.keys(bindingSuffix).join(', ')}`);
  const { name, version } = readJson(path.join(repoRoot, 'package.json'));
  const vsix = path.join(repoRoot, `${name}-${version}-${target}.vsix`);

  run('npm', ['run', '--silent', 'build:production']);
  const fetched = fetchBindingIfMissing(suffix);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-package-'));
  try {
    fs.rmSync(vsix, { force: true });
    const args = ['package', '--target', target, '--out', vsix, '--ignoreFile', ignoreFileFor(suffix, work), '--allow-missing-repository', '--no-rewrite-relative-links'];
    const vsce = spawnSync('npx', ['vsce', ...args], { cwd: repoRoot, encoding: 'utf8' });
    const output = `${vsce.stdout ?? ''}${vsce.stderr ?? ''}`;
    if (vsce.status !== 0) throw new Error(`vsce package failed (${vsce.status ?? vsce.signal}):\n${output}`);
    // vsce lists every file as a tree; the check below and `unzip -l` cover that.
    console.log(output.split('\n').filter((line) => line.trim() && !/^\s*[│├└]/.test(line)).join('\n'));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    if (fetched) fs.rmSync(fetched, { recursive: true, force: true });
  }

  const files = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).trim().split('\n');
  const required = ['extension/package.json', 'extension/dist/extension.js', `extension/node_modules/@duckdb/node-bindings-${suffix}/duckdb.node`];
  const missing = required.filter((file) => !files.includes(file));
  if (missing.length > 0) throw new Error(`${path.basename(vsix)} lacks ${missing.join(', ')}`);
  return { vsix, files };
}

function targetFromArgs() {
  const index = process.argv.indexOf('--target');
  if (index !== -1) return process.argv[index + 1];
  const inline = process.argv.find((arg) => arg.startsWith('--target='));
  return inline?.slice('--target='.length) ?? process.env.VSCE_TARGET ?? 'linux-x64';
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { vsix, files } = packageVsix(targetFromArgs());
    const megabytes = (fs.statSync(vsix).size / 1024 / 1024).toFixed(1);
    console.log(`[package] ${path.relative(repoRoot, vsix)}: ${megabytes} MB, ${files.length} files`);
  } catch (error) {
    console.error(`[package] FAILED: ${error.message}`);
    process.exitCode = 1;
  }
}
