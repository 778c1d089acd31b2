// Second runner: the same test/integration suite in desktop VS Code through @vscode/test-electron.
// For machines that have a desktop VS Code or can download one (a contributor's laptop, a CI
// with internet). Without one it prints "skipped: <why>" and exits 0 (or with
// $TEST_TIER_SKIP_CODE when the caller wants to count the skip).
//   VSCODE_EXECUTABLE=/path/to/code node scripts/run-electron.mjs
//   VSCODE_TEST_VERSION=1.100.3 node scripts/run-electron.mjs     (download, default: stable)
import fs from 'node:fs';
import path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { buildForTests } from './build.mjs';
import { repoRoot } from './codeServer.mjs';

const downloadTimeoutMs = 20_000;

function skip(reason) {
  console.log(`[electron] skipped: ${reason}`);
  process.exit(Number(process.env.TEST_TIER_SKIP_CODE ?? 0));
}

/**
 * A desktop VS Code: $VSCODE_EXECUTABLE, or a download. Asking for the release list first
 * answers at once when offline (no DNS) instead of waiting on a stalled download.
 */
async function findVSCode() {
  const configured = process.env.VSCODE_EXECUTABLE;
  if (configured) {
    if (!fs.existsSync(configured)) skip(`VSCODE_EXECUTABLE=${configured} does not exist`);
    return () => configured;
  }
  const version = process.env.VSCODE_TEST_VERSION ?? 'stable';
  const unavailable = (error) =>
    skip(`no desktop VS Code: VSCODE_EXECUTABLE is not set and VS Code ${version} cannot be downloaded (${error.cause?.code ?? error.message})`);
  try {
    const releases = await fetch('https://update.code.visualstudio.com/api/releases/stable', { signal: AbortSignal.timeout(downloadTimeoutMs) });
    if (!releases.ok) throw new Error(`release list answered HTTP ${releases.status}`);
  } catch (error) {
    unavailable(error);
  }
  return () =>
    downloadAndUnzipVSCode({ version, cachePath: path.join(repoRoot, '.vscode-test'), timeout: downloadTimeoutMs }).catch(unavailable);
}

async function main() {
  const vscode = await findVSCode();
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    skip('desktop VS Code needs a display; run `xvfb-run -a node scripts/run-electron.mjs`');
  }
  const vscodeExecutablePath = await vscode();
  buildForTests();
  // runTests adds --no-sandbox, --disable-workspace-trust and its own user-data and extensions dirs.
  const launchArgs = [path.join(repoRoot, 'test', 'fixtures', 'workspace'), '--disable-extensions'];
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    launchArgs,
  });
}

try {
  await main();
  console.log('[electron] integration tests passed in desktop VS Code');
} catch (error) {
  console.error(`[electron] FAILED: ${error.message}`);
  process.exitCode = 1;
}
