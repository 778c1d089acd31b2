// Loads TypeScript modules of this repository into a script without a tsc run: esbuild bundles
// the `export … from` lines given into one CommonJS file, which is required and removed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './codeServer.mjs';

/** `requireTs(["export { a } from './src/x';", …])` → the module's exports. */
export async function requireTs(exportLines) {
  const bundle = await esbuild.build({
    stdin: { contents: exportLines.join('\n'), resolveDir: repoRoot, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'warning',
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'require-ts-'));
  try {
    const file = path.join(dir, 'bundle.cjs');
    writeFileSync(file, bundle.outputFiles[0].text);
    return createRequire(import.meta.url)(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
