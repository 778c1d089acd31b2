// Loads DuckDB from inside a platform VSIX, on that platform: extracts the VSIX's DuckDB packages
// and, in a fresh Node, opens an in-memory database through them and checks the library's
// version. The release workflow runs it on each target's own runner (Node and VS Code's
// extension host load N-API modules alike).
//   node scripts/smoke-vsix.mjs duckdb-secrets-0.1.0-darwin-arm64.vsix
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import yauzl from 'yauzl';

const DUCKDB_PACKAGES = 'extension/node_modules/@duckdb/';

/** Extracts the VSIX entries under `prefix` into `dir`; resolves to the entry names. */
function extract(file, prefix, dir) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (openError, zip) => {
      if (openError) return reject(openError);
      const names = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(names));
      zip.on('entry', (entry) => {
        const name = entry.fileName;
        if (!(name.startsWith(prefix) || name === 'extension.vsixmanifest') || name.endsWith('/')) return zip.readEntry();
        const target = path.join(dir, ...name.split('/'));
        if (!target.startsWith(dir + path.sep)) return reject(new Error(`entry outside the VSIX root: ${name}`));
        names.push(name);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const out = fs.createWriteStream(target);
          out.on('error', reject);
          out.on('close', () => zip.readEntry());
          stream.on('error', reject);
          stream.pipe(out);
        });
      });
      zip.readEntry();
    });
  });
}

// Runs in the child: only the extracted VSIX is on the module path.
const probe = `
const { DuckDBInstance } = require(process.argv[1]);
(async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll("SELECT version() AS version, 6 * 7 AS answer");
  console.log(JSON.stringify(reader.getRowObjectsJson()[0]));
  connection.closeSync();
})().catch((error) => { console.error(error.message); process.exit(1); });
`;

/** Resolves to `{ target, version }` when DuckDB from the VSIX answers; rejects otherwise. */
export async function smokeVsix(file) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-smoke-'));
  try {
    await extract(file, DUCKDB_PACKAGES, dir);
    const manifest = fs.readFileSync(path.join(dir, 'extension.vsixmanifest'), 'utf8');
    const target = /TargetPlatform="([^"]*)"/.exec(manifest)?.[1];
    const host = `${process.platform}-${process.arch}`;
    if (target !== host) throw new Error(`${path.basename(file)} is for ${target ?? 'no platform'}; this machine is ${host}`);
    const bindings = JSON.parse(fs.readFileSync(path.join(dir, 'extension', 'node_modules', '@duckdb', 'node-bindings', 'package.json'), 'utf8'));
    const api = path.join(dir, 'extension', 'node_modules', '@duckdb', 'node-api');
    const child = spawnSync(process.execPath, ['-e', probe, api], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
    if (child.status !== 0) throw new Error(`DuckDB from ${path.basename(file)} did not load: ${(child.stderr || child.stdout).trim()}`);
    const row = JSON.parse(child.stdout.trim().split('\n').at(-1));
    const expected = `v${bindings.version.split('-')[0]}`;
    if (row.answer !== 42 || row.version !== expected) throw new Error(`DuckDB from ${path.basename(file)} answered ${JSON.stringify(row)}; expected ${expected} and 42`);
    return { target, version: row.version };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    for (const file of process.argv.slice(2)) {
      const { target, version } = await smokeVsix(file);
      console.log(`[smoke-vsix] ok ${path.basename(file)}: DuckDB ${version} loads from the VSIX on ${target}`);
    }
    if (process.argv.length < 3) throw new Error('usage: node scripts/smoke-vsix.mjs <file.vsix>...');
  } catch (error) {
    console.error(`[smoke-vsix] FAILED: ${error.message}`);
    process.exitCode = 1;
  }
}
