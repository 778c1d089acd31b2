// UI smoke tier: package the VSIX, install it into a fresh code-server with its CLI (proving
// the package installs), open the workbench in headless Chromium on the sample workspace and
// use the extension the way a person would. Each check prints what it saw; any failure exits 1.
//   node scripts/run-ui-smoke.mjs
// More checks: add them to `smokeChecks` below, or in a sibling script call
// runUiSmoke([...smokeChecks, myCheck]) using the helpers exported here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium, workbenchUrl } from './browser.mjs';
import { freePort, installVsix, repoRoot, startCodeServer } from './codeServer.mjs';
import { packageVsix } from './package.mjs';

export const resultsDir = path.join(repoRoot, 'test-results');
const workspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');
const extensionId = 'duckdb-secrets.duckdb-secrets';

/** Runs a command from the palette by its title, as typed after F1. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await input.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Texts of the error notifications currently shown (toasts and the notification center). */
export async function errorNotifications(page) {
  const errors = page.locator('.notification-list-item', { has: page.locator('.codicon-error') });
  return (await errors.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
}

/** The pane of a view in the sidebar, found by its exact title. */
export function viewPane(page, title) {
  const exactTitle = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i');
  return page.locator('.part.sidebar .pane', { has: page.locator('.pane-header .title', { hasText: exactTitle }) });
}

/** Waits until start-up activation and progress indicators are done, so pictures are stable. */
export async function waitForQuiet(page, timeout = 30_000) {
  await page.waitForFunction(
    () => {
      /* global document -- this function runs in the page */
      const visible = (element) => element.offsetParent !== null;
      const statusbar = document.querySelector('.part.statusbar')?.textContent ?? '';
      const busyProgress = [...document.querySelectorAll('.monaco-progress-container.active')].some(visible);
      const busyBadge = [...document.querySelectorAll('.part.activitybar .progress-badge')].some(visible);
      return !statusbar.includes('Activating Extensions') && !busyProgress && !busyBadge;
    },
    undefined,
    { timeout, polling: 250 },
  );
}

export async function screenshot(page, name) {
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return path.relative(repoRoot, file);
}

/** Each check gets { page, log } and throws when what it sees is wrong. */
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

/** Packages, installs and opens the workbench, then runs `checks` in order; returns failures. */
export async function runUiSmoke(checks = smokeChecks) {
  fs.mkdirSync(resultsDir, { recursive: true });
  const { vsix } = packageVsix('linux-x64');
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-ui-'));
  const extensionsDir = path.join(stateDir, 'extensions');
  const running = [];
  let failures = 0;
  try {
    await installVsix(vsix, extensionsDir);
    const installed = fs.readdirSync(extensionsDir).filter((name) => name.startsWith(`${extensionId}-`));
    if (installed.length !== 1) throw new Error(`expected ${extensionId} in ${extensionsDir}, found: ${fs.readdirSync(extensionsDir).join(', ')}`);
    console.log(`[ui-smoke] ok   ${path.basename(vsix)} installs with code-server --install-extension (${installed[0]})`);

    const server = await startCodeServer({
      port: await freePort(),
      userDataDir: path.join(stateDir, 'user-data'),
      extensionsDir,
      workspace,
      stateDir,
      logFile: path.join(resultsDir, 'ui-smoke-code-server.log'),
    });
    running.push(() => server.stop());
    const browser = await launchChromium(path.join(stateDir, 'chromium'));
    running.push(() => browser.close());
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(15_000);
    await page.goto(workbenchUrl(server.url, { folder: workspace }));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: 60_000 });

    for (const check of checks) {
      const lines = [];
      try {
        await check.run({ page, log: (line) => lines.push(line) });
        console.log(`[ui-smoke] ok   ${check.name}`);
      } catch (error) {
        failures++;
        console.log(`[ui-smoke] FAIL ${check.name}\n             ${error.message.split('\n')[0]}`);
        await screenshot(page, `ui-smoke-failure-${failures}`).catch(() => {});
      }
      for (const line of lines) console.log(`             ${line}`);
    }
  } finally {
    while (running.length > 0) await running.pop()().catch(() => {});
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
  return failures;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  try {
    const failures = await runUiSmoke();
    console.log(`[ui-smoke] ${failures === 0 ? 'passed' : `${failures} check(s) failed`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.exitCode = failures === 0 ? 0 : 1;
  } catch (error) {
    console.error(`[ui-smoke] FAILED: ${error.message}`);
    process.exitCode = 1;
  }
}
