// Second runner: the same test/integration suite in desktop VS Code through @vscode/test-electron.
// For machines that have a desktop VS Code or can download one (a contributor's laptop, a CI
// with internet). Without one it prints "skipped: <why>" and exits 0 (or with
// $TEST_TIER_SKIP_CODE when the caller wants to count the skip, or 1 with VSCODE_TEST_REQUIRED=1,
// as hosted CI sets it, where a skip would hide a broken download).
//   VSCODE_EXECUTABLE=/path/to/code node scripts/run-electron.mjs
//   VSCODE_TEST_VERSION=1.100.3 node scripts/run-electron.mjs     (download, default: stable)
//   VSCODE_TEST_VERSION=engine node scripts/run-electron.mjs      (the lowest engines.vscode)
import fs from 'node:fs';
import path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { buildForTests } from './build.mjs';
import { repoRoot } from './codeServer.mjs';

const downloadTimeoutMs = 20_000;

function skip(reason) {
  if (process.env.VSCODE_TEST_REQUIRED === '1') {
    console.error(`[electron] FAILED: cannot run (VSCODE_TEST_REQUIRED=1): ${reason}`);
    process.exit(1);
  }
  console.log(`[electron] skipped: ${reason}`);
  process.exit(Number(process.env.TEST_TIER_SKIP_CODE ?? 0));
}

/** The lowest VS Code that package.json's engines.vscode (`^1.100.0` or `>=1.100.0`) admits. */
function lowestEngine() {
  const { engines } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const lowest = /^(?:\^|>=)\s*(\d+\.\d+\.\d+)$/.exec(engines?.vscode ?? '')?.[1];
  if (!lowest) throw new Error(`cannot read the lowest version from engines.vscode ${JSON.stringify(engines?.vscode)}`);
  return lowest;
}

const requestedVersion = () => {
  const version = process.env.VSCODE_TEST_VERSION ?? 'stable';
  return version === 'engine' ? lowestEngine() : version;
};

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
  const version = requestedVersion();
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
  console.log(`[electron] VS Code at ${path.relative(repoRoot, vscodeExecutablePath) || vscodeExecutablePath}`);
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
