// Architecture checks, run by `npm run lint`:
// 1. the layer rules in eslint.layers.mjs are part of eslint.config.mjs and fire on files that
//    break them (and stay quiet on files that keep them);
// 2. no import cycle anywhere under src/ (type-only imports count: they couple files all the same).
import { ESLint } from 'eslint';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import tseslint from 'typescript-eslint';
import config from '../eslint.config.mjs';
import { layerRules } from '../eslint.layers.mjs';

const root = path.resolve(import.meta.dirname, '..');
const failures = [];

for (const rule of layerRules) if (!config.includes(rule)) failures.push(`eslint.config.mjs does not apply the layer rule for ${rule.files.join(', ')}`);

const probes = [
  // [file, text, expected to be refused]
  ['src/core/bucket/probe.ts', "import * as vscode from 'vscode';", true],
  ['src/core/bucket/probe.ts', "import type { Uri } from 'vscode';", true],
  ['src/core/bucket/probe.ts', "import { x } from '../../extension/bucket/bucketView';", true],
  ['src/core/probe.ts', "import { x } from '../server/server';", true],
  ['src/core/probe.ts', "import { x } from '../cli/main';", true],
  ['src/server/probe.ts', "import { x } from 'vscode';", true],
  ['src/server/probe.ts', "import { x } from '../extension/activate';", true],
  ['src/cli/probe.ts', "import { x } from '../extension/activate';", true],
  ['src/cli/probe.ts', "import { x } from 'vscode';", true],
  ['src/core/bucket/probe.ts', "import { x } from '../duckdb/duckdbSession';", false],
  ['src/cli/probe.ts', "import { x } from '../core/bucket/bucketTest';", false],
  ['src/extension/probe.ts', "import * as vscode from 'vscode';", false],
];
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...layerRules],
});
for (const [file, text, refused] of probes) {
  const [result] = await eslint.lintText(`${text}\nexport const y = 1;\n`, { filePath: path.join(root, file) });
  const fired = result.messages.some((m) => m.ruleId === 'no-restricted-imports');
  if (fired !== refused) failures.push(`layer rule ${refused ? 'did not fire' : 'fired'} for ${file}: ${text}`);
}

// Import graph of src/ from TypeScript's own pre-processor (imports, `import type`, dynamic imports).
const files = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.ts')) files.push(full);
  }
};
walk(path.join(root, 'src'));
const graph = new Map();
for (const file of files) {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  const targets = [];
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), fileName);
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate));
    if (target) targets.push(target);
  }
  graph.set(file, targets);
}
const state = new Map(); // file -> 'open' | 'done'
const stack = [];
const visit = (file) => {
  state.set(file, 'open');
  stack.push(file);
  for (const next of graph.get(file) ?? []) {
    if (state.get(next) === 'open') {
      const cycle = [...stack.slice(stack.indexOf(next)), next].map((f) => path.relative(root, f));
      failures.push(`import cycle: ${cycle.join(' → ')}`);
    } else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(file, 'done');
};
for (const file of files) if (!state.has(file)) visit(file);

if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log(`architecture: ${probes.length} layer probes as expected, ${files.length} files under src/ with no import cycle`);
