// Packages the extension for one platform: production build, then `vsce package --target`.
// The VSIX carries dist/ (everything but DuckDB bundled by esbuild) and DuckDB's N-API packages
// for that platform only: .vscodeignore is an allowlist naming the linux-x64 binding, and this
// script swaps in the binding of the requested target, at exactly the version the pinned
// @duckdb/node-api needs (fetched from the npm registry when npm did not install it here), and
// checks the result with check-vsix.mjs.
//   node scripts/package.mjs [--target linux-x64]      (or env VSCE_TARGET)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { run } from './build.mjs';
import { checkVsix } from './check-vsix.mjs';
import { repoRoot } from './codeServer.mjs';
import { fetchBinding, locateBinding, requiredBindingVersion, targetInfo } from './duckdbBinding.mjs';

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

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

/** Builds, packages and checks; resolves to the VSIX path, its file list and the check's summary. */
export async function packageVsix(target = 'linux-x64') {
  const { suffix } = targetInfo(target);
  const { binding } = requiredBindingVersion(repoRoot);
  const located = locateBinding(repoRoot, target, binding);
  const { name, version } = readJson(path.join(repoRoot, 'package.json'));
  const vsix = path.join(repoRoot, `${name}-${version}-${target}.vsix`);
  fs.rmSync(vsix, { force: true });

  run('npm', ['run', '--silent', 'build:production']);
  if (!located.installed) {
    console.log(`[package] fetching @duckdb/node-bindings-${suffix}@${binding} (not installed on this platform)`);
    try {
      fetchBinding(target, binding, located.dir);
    } catch (error) {
      fs.rmSync(located.dir, { recursive: true, force: true });
      throw error;
    }
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-package-'));
  try {
    const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
    const args = ['package', '--target', target, '--out', vsix, '--ignoreFile', ignoreFileFor(suffix, work), '--allow-missing-repository', '--no-rewrite-relative-links'];
    const result = spawnSync(process.execPath, [vsce, ...args], { cwd: repoRoot, encoding: 'utf8' });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    if (result.status !== 0) throw new Error(`vsce package failed (${result.status ?? result.signal}):\n${output}`);
    // vsce lists every file as a tree; check-vsix.mjs checks that list.
    console.log(output.split('\n').filter((line) => line.trim() && !/^\s*[│├└]/.test(line)).join('\n'));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    if (!located.installed) fs.rmSync(located.dir, { recursive: true, force: true });
  }

  try {
    const { files, summary } = await checkVsix(vsix, target);
    return { vsix, files, summary };
  } catch (error) {
    fs.rmSync(vsix, { force: true }); // never leave a wrong VSIX behind
    throw error;
  }
}

function targetFromArgs() {
  const index = process.argv.indexOf('--target');
  if (index !== -1) return process.argv[index + 1];
  const inline = process.argv.find((arg) => arg.startsWith('--target='));
  return inline?.slice('--target='.length) ?? process.env.VSCE_TARGET ?? 'linux-x64';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { summary } = await packageVsix(targetFromArgs());
    console.log(`[package] ${summary}`);
  } catch (error) {
    console.error(`[package] FAILED: ${error.message}`);
    process.exitCode = 1;
  }
}
