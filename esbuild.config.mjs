// Bundles the extension into dist/extension.js and the command line into dist/cli.js. DuckDB's
// native packages stay external (they ship in the VSIX, and are dependencies for the CLI).
import * as esbuild from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// Third-party libraries used only by some commands are bundled on their own under dist/vendor/
// and required on first use, so activation does not parse them.
// Every bundle sits in dist/, so a vendor module is always `./vendor/<name>` next to the bundle that
// requires it, whatever the relative path in the source (src/core/vendor/ from any folder).
const vendorExternal = {
  name: 'vendor-external',
  setup(build) {
    build.onResolve({ filter: /\/vendor\/(yaml|s3Client)$/ }, (args) =>
      args.kind === 'entry-point' ? undefined : { path: `./vendor/${args.path.split('/').pop()}`, external: true },
    );
  },
};

// The language client (vscode-languageclient) is bundled on its own as dist/lintClient.js and required
// when the first file to lint opens; the server is dist/server.js, which also runs standalone.
const lintClientExternal = {
  name: 'lint-client-external',
  setup(build) {
    build.onResolve({ filter: /\/lintClient$/ }, (args) => (args.kind === 'entry-point' ? undefined : { path: './lintClient', external: true }));
  },
};

// The rest of the extension (command handlers, the DuckDB session, the views' rows) is dist/features.js,
// required on first use by the activation bundle (src/extension/activate.ts).
const featuresExternal = {
  name: 'features-external',
  setup(build) {
    // Only our own `./features` (vscode-languageclient has modules of that name too).
    const ours = path.resolve('src/extension');
    build.onResolve({ filter: /^\.\/features$/ }, (args) =>
      args.kind === 'entry-point' || args.resolveDir !== ours ? undefined : { path: './features', external: true },
    );
  },
};

// Modules whose state or classes must exist once in the extension host even though several bundles
// use them: the secret-value registry (redaction), the error classes `instanceof` checks, and the
// credential store (activation builds it; its KeychainError is checked in dist/features.js). Each is
// bundled once as dist/shared/<name>.js and required by every bundle in dist/ (the build below fails
// when another class ends up in two of the extension host's bundles).
const SHARED = { errors: 'src/core/errors.ts', redaction: 'src/core/redaction.ts', credentialStore: 'src/core/credentials/credentialStore.ts' };
const sharedModules = {
  name: 'shared-modules',
  setup(build) {
    const names = new Map(Object.entries(SHARED).map(([name, file]) => [path.resolve(file), name]));
    build.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const name = names.get(path.resolve(args.resolveDir, `${args.path}.ts`));
      if (!name) return undefined;
      // Shared bundles sit together in dist/shared/, every other bundle in dist/.
      return { path: names.has(args.importer) ? `./${name}` : `./shared/${name}`, external: true };
    });
  },
};

/**
 * Classes of ours that two extension-host bundles both hold (each bundle would have its own class,
 * and `instanceof` across them fails). Read from an unminified in-memory build, where names survive.
 */
async function duplicatedClasses(buildOptions) {
  const result = await esbuild.build({ ...buildOptions, minify: false, sourcemap: false, write: false });
  const text = (file) => result.outputFiles.find((out) => out.path === path.resolve(file))?.text ?? '';
  const bundles = ['dist/extension.js', 'dist/features.js', 'dist/lintClient.js'].map(text);
  const classes = Object.keys(result.metafile.inputs)
    .filter((input) => input.startsWith('src/'))
    .flatMap((input) => [...readFileSync(input, 'utf8').matchAll(/^export (?:abstract )?class (\w+)/gm)].map((m) => m[1]));
  return classes.filter((name) => bundles.filter((bundle) => new RegExp(`\\bclass ${name}\\b|\\b${name} = class\\b`).test(bundle)).length > 1);
}

const options = {
  entryPoints: {
    extension: 'src/extension/activate.ts',
    features: 'src/extension/features.ts',
    ...Object.fromEntries(Object.entries(SHARED).map(([name, file]) => [`shared/${name}`, file])),
    lintClient: 'src/extension/lint/lintClient.ts',
    server: 'src/server/main.ts',
    'vendor/yaml': 'src/core/vendor/yaml.ts',
    'vendor/s3Client': 'src/core/vendor/s3Client.ts',
  },
  plugins: [vendorExternal, lintClientExternal, featuresExternal, sharedModules],
  bundle: true,
  outdir: 'dist',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', '@duckdb/*'],
  // `await import(x)` of an external becomes a lazy require(x), as tsc compiles it for the unit tier.
  supported: { 'dynamic-import': false },
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
};

// The `duckdb-secrets` bin: its own build for the shebang banner; it shares dist/vendor/ with the extension.
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const cliOptions = {
  ...options,
  entryPoints: { cli: 'src/cli/cli.ts' },
  // The CLI is one process with one bundle: nothing to share, so its own copies of errors and redaction.
  plugins: [vendorExternal],
  external: ['@duckdb/*'],
  banner: { js: '#!/usr/bin/env node' },
  define: { DUCKDB_SECRETS_VERSION: JSON.stringify(version) },
};

if (watch) {
  for (const build of [options, cliOptions]) await (await esbuild.context(build)).watch();
  console.log('esbuild: watching src/');
} else {
  const results = await Promise.all([esbuild.build(options), esbuild.build(cliOptions)]);
  const twice = await duplicatedClasses(options);
  if (twice.length > 0) throw new Error(`classes bundled twice into the extension host (add them to SHARED): ${twice.join(', ')}`);
  chmodSync('dist/cli.js', 0o755);
  const sizes = results
    .flatMap((result) => Object.entries(result.metafile.outputs))
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, output]) => `${file} ${(output.bytes / 1024).toFixed(1)} KiB`);
  console.log(`esbuild${production ? ' (production)' : ''}: ${sizes.join(', ')}`);
}
