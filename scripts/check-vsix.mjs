// Checks that a platform VSIX holds its platform's DuckDB library, at the version the pinned
// @duckdb/node-api needs, and nothing native from any other platform.
//   node scripts/check-vsix.mjs --target darwin-arm64 duckdb-secrets-0.1.0-darwin-arm64.vsix
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import yauzl from 'yauzl';
import { TARGETS, targetInfo } from './duckdbBinding.mjs';
import { binaryPlatform, HEADER_BYTES, targetPlatform } from './nativeBinary.mjs';

const API = 'extension/node_modules/@duckdb/node-api/package.json';
const LOADER = 'extension/node_modules/@duckdb/node-bindings/package.json';
const MANIFEST = 'extension.vsixmanifest';
const EXTENSION = 'extension/package.json';
const bindingDir = (suffix) => `extension/node_modules/@duckdb/node-bindings-${suffix}/`;
const BINDING_PACKAGE = /^extension\/node_modules\/@duckdb\/node-bindings-([^/]+)\//;
/** The bundles activation requires besides dist/extension.js (esbuild.config.mjs: features and the shared modules). */
const EXTENSION_HOST_BUNDLES = ['features', 'shared/errors', 'shared/redaction', 'shared/credentialStore'].map((name) => `extension/dist/${name}.js`);
const NATIVE = /\.(node|so(\.\d+)*|dylib|dll|exe)$/i;

/** The entries whose text the checks read; everything else is checked by name only. */
export const isTextNeeded = (name) => name === MANIFEST || name === EXTENSION || name === API || name === LOADER || /^extension\/node_modules\/@duckdb\/node-bindings-[^/]+\/package\.json$/.test(name);

function parseJson(readText, name, problems) {
  const text = readText(name);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    problems.push(`${name} is not valid JSON`);
    return undefined;
  }
}

/** Native files (by name) whose first bytes the checks read. */
export const isHeaderNeeded = (name) => NATIVE.test(name);

function checkBinary(name, header, target, problems) {
  if (header === undefined) return;
  const found = binaryPlatform(header);
  const { os, arch } = targetPlatform(target);
  if (!found) problems.push(`${name} is not a native library (no ELF, Mach-O or PE header)`);
  else if (found.os !== os || !found.archs.includes(arch)) problems.push(`${name} is built for ${found.os} ${found.archs.join('+')}, not ${target}`);
}

/**
 * Problems with a VSIX for `target`, given its entry names, a reader for the text of the entries
 * isTextNeeded names and one for the first bytes of those isHeaderNeeded names. An empty list
 * means the VSIX is right for the target.
 */
export function checkVsixContents(target, files, readText, readHeader) {
  const { suffix, library } = targetInfo(target);
  const own = bindingDir(suffix);
  const names = new Set(files);
  const problems = [];

  const required = [MANIFEST, EXTENSION, 'extension/dist/extension.js', ...EXTENSION_HOST_BUNDLES, API, LOADER, 'extension/node_modules/@duckdb/node-bindings/duckdb.js', `${own}package.json`, `${own}duckdb.node`, `${own}${library}`];
  for (const name of required) if (!names.has(name)) problems.push(`missing ${name}`);

  const others = new Set();
  for (const name of files) {
    const binding = BINDING_PACKAGE.exec(name);
    if (binding && binding[1] !== suffix) others.add(binding[1]);
    else if (NATIVE.test(name) && !(name.startsWith(own) && (name === `${own}duckdb.node` || name === `${own}${library}`))) {
      problems.push(`native file that is not ${target}'s DuckDB: ${name}`);
    }
  }
  for (const other of others) problems.push(`holds another platform's binding: @duckdb/node-bindings-${other}`);
  for (const name of [`${own}duckdb.node`, `${own}${library}`]) if (names.has(name)) checkBinary(name, readHeader(name), target, problems);

  const manifest = readText(MANIFEST);
  const declared = manifest && /TargetPlatform="([^"]*)"/.exec(manifest)?.[1];
  if (manifest !== undefined && declared !== target) problems.push(`${MANIFEST} declares TargetPlatform ${JSON.stringify(declared ?? null)}, not "${target}"`);

  const extension = parseJson(readText, EXTENSION, problems);
  const api = parseJson(readText, API, problems);
  const loader = parseJson(readText, LOADER, problems);
  const binding = parseJson(readText, `${own}package.json`, problems);
  const pinned = extension?.dependencies?.['@duckdb/node-api'];
  if (extension && api && api.version !== pinned) problems.push(`@duckdb/node-api is ${api.version}, but package.json pins ${pinned}`);
  const wanted = api?.dependencies?.['@duckdb/node-bindings'];
  if (api && loader && loader.version !== wanted) problems.push(`@duckdb/node-bindings is ${loader.version}, but @duckdb/node-api ${api.version} needs ${wanted}`);
  if (api && binding && binding.version !== wanted) {
    problems.push(`@duckdb/node-bindings-${suffix} is ${binding.version}, but @duckdb/node-api ${api.version} needs ${wanted}`);
  }
  return problems;
}

/** Entry names of a VSIX (a zip), the text of the entries isTextNeeded names, and the first bytes of those isHeaderNeeded names. */
export function readVsix(file) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (openError, zip) => {
      if (openError) return reject(openError);
      const files = [];
      const texts = new Map();
      const headers = new Map();
      zip.on('error', reject);
      zip.on('end', () => resolve({ files, texts, headers }));
      zip.on('entry', (entry) => {
        const name = entry.fileName;
        if (name.endsWith('/')) return zip.readEntry();
        files.push(name);
        const text = isTextNeeded(name);
        if (!text && !isHeaderNeeded(name)) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks = [];
          let length = 0;
          let done = false;
          const finish = () => {
            if (done) return;
            done = true;
            const content = Buffer.concat(chunks);
            if (text) texts.set(name, content.toString('utf8'));
            else headers.set(name, content.subarray(0, HEADER_BYTES));
            zip.readEntry();
          };
          stream.on('data', (chunk) => {
            chunks.push(chunk);
            length += chunk.length;
            // A library is tens of megabytes; its header is all that is needed.
            if (!text && length >= HEADER_BYTES) {
              stream.destroy();
              finish();
            }
          });
          stream.on('error', (error) => (done ? undefined : reject(error)));
          stream.on('end', finish);
        });
      });
      zip.readEntry();
    });
  });
}

/** Reads and checks one VSIX; resolves to a summary, rejects listing every problem. */
export async function checkVsix(file, target) {
  const { files, texts, headers } = await readVsix(file);
  const problems = checkVsixContents(target, files, (name) => texts.get(name), (name) => headers.get(name));
  const name = path.basename(file);
  if (problems.length > 0) throw new Error(`${name} is not a correct ${target} VSIX:\n  - ${problems.join('\n  - ')}`);
  const { suffix, library } = TARGETS[target];
  const version = JSON.parse(texts.get(`${bindingDir(suffix)}package.json`)).version;
  const megabytes = (fs.statSync(file).size / 1024 / 1024).toFixed(1);
  return { files, summary: `${name}: ${megabytes} MB, ${files.length} files, @duckdb/node-bindings-${suffix} ${version} (duckdb.node, ${library}: ${target} binaries), no other platform's native files` };
}

function parseArgs(argv) {
  const files = [];
  let target;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--target') target = argv[++i];
    else if (argv[i].startsWith('--target=')) target = argv[i].slice('--target='.length);
    else files.push(argv[i]);
  }
  if (!target || files.length === 0) throw new Error('usage: node scripts/check-vsix.mjs --target <vsce target> <file.vsix>...');
  return { target, files };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { target, files } = parseArgs(process.argv.slice(2));
    for (const file of files) console.log(`[check-vsix] ok ${(await checkVsix(file, target)).summary}`);
  } catch (error) {
    console.error(`[check-vsix] FAILED: ${error.message}`);
    process.exitCode = 1;
  }
}
