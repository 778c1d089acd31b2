// Entry point for the tests that run inside a real VS Code extension host. Both runners
// (scripts/run-integration.mjs with code-server, scripts/run-electron.mjs with desktop VS Code)
// load this module and call run(), the contract @vscode/test-electron defines.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

function findTestFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTestFiles(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    grep: process.env.DUCKDB_SECRETS_TEST_GREP || undefined,
  });
  const files = findTestFiles(__dirname).sort();
  if (files.length === 0) throw new Error(`No *.test.js files under ${__dirname}`);
  for (const file of files) mocha.addFile(file);
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
