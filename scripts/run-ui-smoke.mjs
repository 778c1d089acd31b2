// UI smoke tier: package the VSIX, install it into a fresh code-server with its CLI (proving
// the package installs), open the workbench in headless Chromium on the sample workspace and
// use the extension the way a person would. Each check prints what it saw; any failure exits 1.
//   node scripts/run-ui-smoke.mjs
// It then walks a user journey against a real S3 server (scripts/ui-journey.mjs): set R2
// credentials, browse the bucket, look at the secrets, create an R2 secret, test the bucket,
// saving screenshots to test-results/ui-*.png. With DUCKDB_SECRETS_TEST_EXTENSION_DIR naming a
// folder with a self-built httpfs, the R2 steps succeed; without it they show the offline error.
// DUCKDB_SECRETS_UI_VSIX=path installs that VSIX instead of packaging one first.
// More checks: add them to `smokeChecks` below, or in a sibling script call
// runUiSmoke([...smokeChecks, myCheck]) using the helpers in scripts/ui-workbench.mjs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium, workbenchUrl } from './browser.mjs';
import { freePort, installVsix, repoRoot, startCodeServer } from './codeServer.mjs';
import { packageVsix } from './package.mjs';
import { journeyChecks, setUpJourney } from './ui-journey.mjs';
import { errorNotifications, resultsDir, runCommand, screenshot, viewPane, waitForQuiet } from './ui-workbench.mjs';

export { errorNotifications, resultsDir, runCommand, screenshot, viewPane, waitForQuiet } from './ui-workbench.mjs';
const workspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');
const extensionId = 'duckdb-secrets.duckdb-secrets';

/** Each check gets { page, world, log } and throws when what it sees is wrong. */
export const smokeChecks = [
  {
    name: 'activity bar has "DuckDB Secrets" and it opens the Secrets view',
    async run({ page, log }) {
      const item = page.locator('.part.activitybar .action-item a[aria-label^="DuckDB Secrets"]');
      await item.waitFor({ state: 'visible', timeout: 30_000 });
      await item.click();
      await viewPane(page, 'Secrets').waitFor({ state: 'visible', timeout: 15_000 });
      log(`sidebar title: ${(await page.locator('.part.sidebar .title-label').first().innerText()).trim()}`);
    },
  },
  {
    name: 'palette runs "DuckDB Secrets: Refresh Secrets" without an error notification',
    async run({ page, log }) {
      await runCommand(page, 'DuckDB Secrets: Refresh Secrets');
      await page.waitForTimeout(2000); // let a failure surface as a notification
      const errors = await errorNotifications(page);
      if (errors.length > 0) throw new Error(`error notification: ${errors.join(' | ')}`);
      log('command ran, no error notification');
    },
  },
  {
    name: 'Secrets view shows rows or its welcome content',
    async run({ page, log }) {
      const pane = viewPane(page, 'Secrets');
      await pane.locator('.monaco-list-row, .welcome-view-content').first().waitFor({ state: 'visible', timeout: 30_000 });
      await pane.locator('.monaco-progress-container.active').waitFor({ state: 'detached', timeout: 30_000 });
      const rows = (await pane.locator('.monaco-list-row').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
      if (rows.length > 0) {
        log(`${rows.length} row(s): ${rows.join(' | ')}`);
        const failure = rows.find((row) => /error|failed|for log/i.test(row));
        if (failure) throw new Error(`the view shows a failure: ${failure}`);
      } else {
        const welcome = (await pane.locator('.welcome-view-content').innerText()).replace(/\s+/g, ' ').trim();
        log(`welcome content: ${welcome}`);
      }
    },
  },
  {
    name: 'screenshot of the Secrets view',
    async run({ page, log }) {
      await page.mouse.move(900, 600, { steps: 5 }); // no hover tooltip in the picture
      await page.locator('.workbench-hover').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => page.keyboard.press('Escape'));
      await waitForQuiet(page);
      log(await screenshot(page, 'ui-smoke'));
    },
  },
  {
    name: '"Developer: Show Running Extensions" lists the extension as activated',
    async run({ page, log }) {
      await runCommand(page, 'Developer: Show Running Extensions');
      const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'DuckDB Secrets' });
      await row.waitFor({ state: 'visible' });
      const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
      const activation = text.match(/(\d+)\s*ms/);
      if (!activation) throw new Error(`no activation time in: ${text}`);
      log(`running extensions row: ${text}`);
    },
  },
];

/**
 * Packages, installs and opens the workbench, then runs `checks` in order; returns failures.
 * `setup({ stateDir })`, when given, runs before code-server starts and returns the world the
 * checks share: its `settings` go into the user settings.json, the whole object reaches each
 * check as `world` (with `stateDir` and `userDataDir`), and its `stop()` runs at the end. A check
 * with `needs: [names]` is skipped when one of those checks failed.
 */
export async function runUiSmoke(checks = smokeChecks, { setup } = {}) {
  fs.mkdirSync(resultsDir, { recursive: true });
  for (const name of fs.readdirSync(resultsDir)) {
    if (/^ui-smoke-failure-\d+\.png$/.test(name)) fs.rmSync(path.join(resultsDir, name)); // from an earlier run
  }
  const phase = timer();
  // DUCKDB_SECRETS_UI_VSIX: a VSIX packaged earlier (CI's package step) instead of packaging again.
  const vsix = process.env.DUCKDB_SECRETS_UI_VSIX ? path.resolve(process.env.DUCKDB_SECRETS_UI_VSIX) : (await packageVsix('linux-x64')).vsix;
  const packagedIn = phase();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-ui-'));
  const extensionsDir = path.join(stateDir, 'extensions');
  const userDataDir = path.join(stateDir, 'user-data');
  const running = [];
  const failed = new Set();
  try {
    await installVsix(vsix, extensionsDir);
    const installed = fs.readdirSync(extensionsDir).filter((name) => name.startsWith(`${extensionId}-`));
    if (installed.length !== 1) throw new Error(`expected ${extensionId} in ${extensionsDir}, found: ${fs.readdirSync(extensionsDir).join(', ')}`);
    console.log(`[ui-smoke] ok   ${path.basename(vsix)} installs with code-server --install-extension (${installed[0]}) [package ${packagedIn}, install ${phase()}]`);

    const world = { stateDir, userDataDir, ...(setup ? await setup({ stateDir }) : {}) };
    if (world.stop) running.push(() => world.stop());
    if (setup) console.log(`[ui-smoke] ok   set up the world the checks run in [${phase()}]`);

    const server = await startCodeServer({
      port: await freePort(),
      userDataDir,
      extensionsDir,
      workspace,
      stateDir,
      logFile: path.join(resultsDir, 'ui-smoke-code-server.log'),
    });
    running.push(() => server.stop());
    // startCodeServer writes a fresh settings.json; the workbench reads it when the page opens.
    if (world.settings) addUserSettings(userDataDir, world.settings);
    const browser = await launchChromium(path.join(stateDir, 'chromium'));
    running.push(() => browser.close());
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(15_000);
    await page.setViewportSize({ width: 1280, height: 800 }); // the size of the README screenshots
    await page.goto(workbenchUrl(server.url, { folder: workspace }));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: 60_000 });
    console.log(`[ui-smoke] ok   code-server started and the workbench opened [${phase()}]`);

    for (const check of checks) {
      const missing = (check.needs ?? []).filter((name) => failed.has(name));
      if (missing.length > 0) {
        failed.add(check.name);
        console.log(`[ui-smoke] SKIP ${check.name}
             needs: ${missing.join('; ')}`);
        continue;
      }
      const lines = [];
      try {
        await check.run({ page, world, log: (line) => lines.push(line) });
        console.log(`[ui-smoke] ok   ${check.name} [${phase()}]`);
      } catch (error) {
        failed.add(check.name);
        console.log(`[ui-smoke] FAIL ${check.name} [${phase()}]\n             ${error.message.split('\n')[0]}`);
        await screenshot(page, `ui-smoke-failure-${failed.size}`).catch(() => {});
      }
      for (const line of lines) console.log(`             ${line}`);
    }
  } finally {
    while (running.length > 0) await running.pop()().catch(() => {});
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
  return failed.size;
}

/**
 * Adds `settings` to the user settings and to the server's machine settings. code-server's window
 * is a remote one, where VS Code takes `machine`-scoped settings (duckdb.options) from the remote
 * machine's settings (`Machine/settings.json`): from the user settings alone, about one reloaded
 * window in four opened DuckDB without them (no secret_directory, no httpfs); with both, none in ten.
 */
function addUserSettings(userDataDir, settings) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  const current = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.writeFileSync(file, `${JSON.stringify({ ...current, ...settings }, null, 2)}\n`);
  const machine = path.join(userDataDir, 'Machine', 'settings.json');
  fs.mkdirSync(path.dirname(machine), { recursive: true });
  const machineCurrent = fs.existsSync(machine) ? JSON.parse(fs.readFileSync(machine, 'utf8')) : {};
  fs.writeFileSync(machine, `${JSON.stringify({ ...machineCurrent, ...settings }, null, 2)}\n`);
}

/** Each call returns the time since the previous one, e.g. `2.3 s`. */
function timer() {
  let last = Date.now();
  return () => {
    const now = Date.now();
    const text = `${((now - last) / 1000).toFixed(1)} s`;
    last = now;
    return text;
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  try {
    const failures = await runUiSmoke([...smokeChecks, ...journeyChecks], { setup: setUpJourney });
    console.log(`[ui-smoke] ${failures === 0 ? 'passed' : `${failures} check(s) failed`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.exitCode = failures === 0 ? 0 : 1;
  } catch (error) {
    console.error(`[ui-smoke] FAILED: ${error.message}`);
    process.exitCode = 1;
  }
}
