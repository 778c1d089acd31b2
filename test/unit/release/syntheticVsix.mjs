// Synthetic VSIX contents for the check-vsix tests: the entry names, package.json texts and native
// headers a correct VSIX for a target has, built here, with the bytes real headers start with.
import { TARGETS } from '../../../scripts/duckdbBinding.mjs';
import { targetPlatform } from '../../../scripts/nativeBinary.mjs';

const ELF_MACHINE = { x64: 0x3e, arm64: 0xb7 };
const MACHO_CPU = { x64: 0x01000007, arm64: 0x0100000c };
const PE_MACHINE = { x64: 0x8664, arm64: 0xaa64 };

/** The first bytes of a native library built for `os` and `archs` (two archs: a universal Mach-O). */
export function nativeHeader(os, archs) {
  const header = Buffer.alloc(4096);
  if (os === 'linux') {
    header.writeUInt32BE(0x7f454c46, 0);
    header[4] = 2; // 64-bit
    header[5] = 1; // little-endian
    header.writeUInt16LE(ELF_MACHINE[archs[0]], 18);
  } else if (os === 'darwin' && archs.length === 1) {
    header.writeUInt32LE(0xfeedfacf, 0);
    header.writeUInt32LE(MACHO_CPU[archs[0]], 4);
  } else if (os === 'darwin') {
    header.writeUInt32BE(0xcafebabe, 0);
    header.writeUInt32BE(archs.length, 4);
    archs.forEach((arch, i) => header.writeUInt32BE(MACHO_CPU[arch], 8 + i * 20));
  } else {
    header.write('MZ', 0, 'latin1');
    header.writeUInt32LE(0x80, 0x3c);
    header.writeUInt32BE(0x50450000, 0x80);
    header.writeUInt16LE(PE_MACHINE[archs[0]], 0x84);
  }
  return header;
}

/**
 * `{ files, texts, headers }` of a correct VSIX for `target`: the extension, node-api pinned at
 * `version` and the target's binding at `bindingVersion` (default: the same).
 */
export function syntheticVsix(target, { version = '1.5.6-r.1', bindingVersion = version, manifestTarget = target } = {}) {
  const { suffix, library } = TARGETS[target];
  const { os, arch } = targetPlatform(target);
  const duckdb = 'extension/node_modules/@duckdb';
  const own = `${duckdb}/node-bindings-${suffix}`;
  const texts = new Map([
    ['extension.vsixmanifest', `<PackageManifest><Metadata><Identity Id="duckdb-secrets" Version="0.1.0" Publisher="duckdb-secrets" TargetPlatform="${manifestTarget}"/></Metadata></PackageManifest>`],
    ['extension/package.json', JSON.stringify({ name: 'duckdb-secrets', dependencies: { '@duckdb/node-api': version } })],
    [`${duckdb}/node-api/package.json`, JSON.stringify({ name: '@duckdb/node-api', version, dependencies: { '@duckdb/node-bindings': version } })],
    [`${duckdb}/node-bindings/package.json`, JSON.stringify({ name: '@duckdb/node-bindings', version })],
    [`${own}/package.json`, JSON.stringify({ name: `@duckdb/node-bindings-${suffix}`, version: bindingVersion })],
  ]);
  const headers = new Map([
    [`${own}/duckdb.node`, nativeHeader(os, [arch])],
    // DuckDB ships one universal libduckdb.dylib in both macOS packages.
    [`${own}/${library}`, nativeHeader(os, os === 'darwin' ? ['x64', 'arm64'] : [arch])],
  ]);
  const files = [
    '[Content_Types].xml',
    'extension/LICENSE.txt',
    'extension/dist/extension.js',
    'extension/dist/features.js',
    'extension/dist/shared/errors.js',
    'extension/dist/shared/redaction.js',
    'extension/dist/shared/credentialStore.js',
    'extension/dist/vendor/yaml.js',
    `${duckdb}/node-api/lib/index.js`,
    `${duckdb}/node-bindings/duckdb.js`,
    `${own}/LICENSE`,
    ...texts.keys(),
    ...headers.keys(),
  ];
  return { files, texts, headers };
}

/** Adds another platform's binding (name, package.json and native headers) to synthetic contents. */
export function withForeignBinding(contents, foreignTarget) {
  const foreign = syntheticVsix(foreignTarget);
  const extra = foreign.files.filter((name) => name.includes(`/node-bindings-${TARGETS[foreignTarget].suffix}/`));
  return {
    files: [...contents.files, ...extra],
    texts: new Map([...contents.texts, ...extra.filter((name) => foreign.texts.has(name)).map((name) => [name, foreign.texts.get(name)])]),
    headers: new Map([...contents.headers, ...extra.filter((name) => foreign.headers.has(name)).map((name) => [name, foreign.headers.get(name)])]),
  };
}
