// Integration tier: runs test/integration (mocha, see test/integration/index.ts) inside the
// extension host of a real VS Code: code-server's web workbench in headless Chromium, with this
// repo loaded as the development extension. Exits with the tests' exit code.
//   node scripts/run-integration.mjs            (DUCKDB_SECRETS_TEST_GREP=pattern to filter)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { launchChromium, workbenchUrl } from './browser.mjs';
import { buildForTests } from './build.mjs';
import { ensureCodeServer, freePort, repoRoot, startCodeServer } from './codeServer.mjs';

const timeoutMs = Number(process.env.DUCKDB_SECRETS_INTEGRATION_TIMEOUT_MS ?? 10 * 60_000);
const resultsDir = path.join(repoRoot, 'test-results', 'integration');
const workspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');
const testsEntry = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');

// In a test run the workbench hands the extension host's console (mocha's report) to its log
// service, which passes every message to codeAutomationLog. All of it goes to workbench.log;
// stdout gets everything except the workbench's own start-up chatter.
const workbenchChatter = /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions cache|\[Service Worker\]|ChatSessionStore: |Ignoring fetching additional builtin extensions|Creation of workbench contribution)/;

function relayLog(browserLog) {
  return (type, args) => {
    const text = format(...args);
    browserLog.write(`[${type}] ${text}\n`);
    if (!workbenchChatter.test(text)) (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
  };
}

// Whatever was started, stopped last-first by stopAll() on success, failure, timeout or signal.
const running = [];
async function stopAll() {
  while (running.length > 0) await running.pop()().catch(() => {});
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => stopAll().finally(() => process.exit(130)));
}

async function runTests(stateDir, browserLog) {
  const server = await startCodeServer({
    port: await freePort(),
    userDataDir: path.join(stateDir, 'user-data'),
    extensionsDir: path.join(stateDir, 'extensions'),
    workspace,
    stateDir,
    logFile: path.join(resultsDir, 'code-server.log'),
  });
  running.push(() => server.stop());
  console.log(`[integration] code-server ${server.url} answered /healthz in ${server.startupMs} ms`);
  const browser = await launchChromium(path.join(stateDir, 'chromium'));
  running.push(() => browser.close());
  let exited;
  const exitCode = new Promise((resolve) => (exited = resolve));
  await browser.exposeFunction('codeAutomationLog', relayLog(browserLog));
  await browser.exposeFunction('codeAutomationExit', (code, logs) => {
    for (const log of logs ?? []) {
      const file = path.join(resultsDir, 'workbench-logs', log.relativePath);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, log.contents);
    }
    exited(code);
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.on('crash', () => exited(`the workbench page crashed`));
  page.on('pageerror', (error) => browserLog.write(`[pageerror] ${error.stack ?? error}\n`));
  page.on('console', (message) => {
    // info and debug messages arrive again through codeAutomationLog
    if (message.type() === 'error' || message.type() === 'warning') browserLog.write(`[console.${message.type()}] ${message.text()}\n`);
  });
  const url = workbenchUrl(server.url, {
    folder: workspace,
    payload: { extensionDevelopmentPath: repoRoot, extensionTestsPath: testsEntry, skipWelcome: 'true', skipReleaseNotes: 'true' },
  });
  const opened = Date.now();
  await page.goto(url);
  const code = await exitCode;
  if (typeof code !== 'number') throw new Error(code);
  console.log(`[integration] workbench opened to tests finished: ${((Date.now() - opened) / 1000).toFixed(1)} s`);
  return code;
}

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`integration tests did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const started = Date.now();
  buildForTests();
  await ensureCodeServer(); // a first install takes a minute or two; the timeout is for the tests
  fs.rmSync(resultsDir, { recursive: true, force: true });
  fs.mkdirSync(resultsDir, { recursive: true });
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-integration-'));
  const browserLog = fs.createWriteStream(path.join(resultsDir, 'workbench.log'));
  try {
    const code = await withTimeout(runTests(stateDir, browserLog), timeoutMs);
    console.log(`[integration] exit code ${code}, ${((Date.now() - started) / 1000).toFixed(1)} s in all (logs: ${path.relative(repoRoot, resultsDir)}/)`);
    return code;
  } finally {
    await stopAll();
    browserLog.end();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`[integration] FAILED: ${error.message}`);
  process.exitCode = 1;
}
// A timed-out run can leave the browser or server promise pending; do not wait for it.
setTimeout(() => process.exit(), 2000).unref();
