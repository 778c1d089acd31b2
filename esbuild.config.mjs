// Bundles the extension into dist/extension.js and the command line into dist/cli.js. DuckDB's
// native packages stay external (they ship in the VSIX, and are dependencies for the CLI).
import * as esbuild from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

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

const options = {
  entryPoints: {
    extension: 'src/extension/activate.ts',
    lintClient: 'src/extension/lint/lintClient.ts',
    server: 'src/server/main.ts',
    'vendor/yaml': 'src/core/vendor/yaml.ts',
    'vendor/s3Client': 'src/core/vendor/s3Client.ts',
  },
  plugins: [vendorExternal, lintClientExternal],
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
  external: ['@duckdb/*'],
  banner: { js: '#!/usr/bin/env node' },
  define: { DUCKDB_SECRETS_VERSION: JSON.stringify(version) },
};

if (watch) {
  for (const build of [options, cliOptions]) await (await esbuild.context(build)).watch();
  console.log('esbuild: watching src/');
} else {
  const results = await Promise.all([esbuild.build(options), esbuild.build(cliOptions)]);
  chmodSync('dist/cli.js', 0o755);
  const sizes = results
    .flatMap((result) => Object.entries(result.metafile.outputs))
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, output]) => `${file} ${(output.bytes / 1024).toFixed(1)} KiB`);
  console.log(`esbuild${production ? ' (production)' : ''}: ${sizes.join(', ')}`);
}
