// The user journey of the UI tier, run by scripts/run-ui-smoke.mjs after its smoke checks: every
// step goes through the workbench as a person would (F1, typing into input boxes, clicking tree
// rows, hovering), against a real S3 server and a real DuckDB secret directory (ui-lakehouse.mjs).
// After each step the page's whole text is searched for the keys that were typed.
import fs from 'node:fs';
import path from 'node:path';
import {
  answerInput,
  assertNoProgressLeft,
  assertNoSecretShown,
  clearHover,
  clearNotifications,
  expandRow,
  hoverText,
  movePaneTop,
  pickItem,
  resizeSidebar,
  runCommand,
  screenshot,
  submitInput,
  treeRow,
  treeRows,
  viewPane,
  waitForNotification,
  waitForQuiet,
} from './ui-workbench.mjs';
import { BUCKET, HTTP_SECRET, PROFILE, setUpLakehouse } from './ui-lakehouse.mjs';

export const setUpJourney = setUpLakehouse;

/** The values no view, notification, tooltip or file of VS Code's may hold. */
const CANARIES = {
  'secret access key': PROFILE.secretAccessKey,
  'access key id': PROFILE.accessKeyId,
  'http bearer token': HTTP_SECRET.token,
};

const CREDENTIALS = 'journey: Set R2 Credentials by typing into its input boxes';
const BROWSE = 'journey: Browse Bucket, then expand sales/ and a partition in the Bucket view';

const describeRows = (rows) => rows.map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.label}${r.description ? ` (${r.description})` : ''}`);

/** Brings the sidebar's DuckDB Secrets container forward (a person clicks its activity bar icon). */
async function openSidebar(page) {
  const item = page.locator('.part.activitybar .action-item a[aria-label^="DuckDB Secrets"]');
  const checked = await item.locator('xpath=..').getAttribute('class');
  if (!/\bchecked\b/.test(checked ?? '')) await item.click();
  await viewPane(page, 'Secrets').waitFor({ state: 'visible' });
}

async function secretsRows(page) {
  const pane = viewPane(page, 'Secrets');
  await pane.locator('.monaco-progress-container.active').waitFor({ state: 'detached', timeout: 30_000 }).catch(() => {});
  return treeRows(pane);
}

export const journeyChecks = [
  {
    name: 'journey: the Secrets view shows the persistent http secret under "Local file (persistent)"',
    async run({ page, log }) {
      await runCommand(page, 'View: Close All Editors');
      await openSidebar(page);
      // Wide enough that bucket rows three folders deep keep their sizes in view, and more room
      // for the bucket than for the few secrets.
      await resizeSidebar(page, 400);
      await movePaneTop(page, 'Bucket', 260);
      const pane = viewPane(page, 'Secrets');
      await treeRow(pane, HTTP_SECRET.name).waitFor({ state: 'visible', timeout: 30_000 });
      const rows = await secretsRows(page);
      log(`rows: ${describeRows(rows).join(' | ')}`);
      const group = rows.findIndex((r) => r.label === 'Local file (persistent)');
      const secret = rows.findIndex((r) => r.label === HTTP_SECRET.name);
      if (group === -1) throw new Error('no "Local file (persistent)" group');
      if (secret <= group || rows[secret].level <= rows[group].level) throw new Error(`${HTTP_SECRET.name} is not inside "Local file (persistent)"`);
      if (!rows[secret].description.includes('http')) throw new Error(`${HTTP_SECRET.name} row does not say its type: "${rows[secret].description}"`);
      await assertNoSecretShown(page, CANARIES, 'the Secrets view');
    },
  },
  {
    name: CREDENTIALS,
    async run({ page, world, log }) {
      await runCommand(page, 'DuckDB Secrets: Set R2 Credentials');
      const prompts = [];
      prompts.push(await answerInput(page, { prompt: /Profile name/, text: PROFILE.label }));
      prompts.push(await answerInput(page, { prompt: /Cloudflare account id/, text: PROFILE.accountId }));
      prompts.push(await answerInput(page, { prompt: /^Access key id/, text: PROFILE.accessKeyId }));
      prompts.push(await answerInput(page, { prompt: /^Secret access key/, text: PROFILE.secretAccessKey, submit: false }));
      const input = page.locator('.quick-input-widget:visible .quick-input-box input');
      if ((await input.getAttribute('type')) !== 'password') throw new Error('the secret access key box does not mask what is typed');
      await assertNoSecretShown(page, CANARIES, 'while typing the secret access key');
      log(await screenshot(page, 'ui-credentials'));
      await submitInput(page, /^Secret access key/);
      prompts.push(await answerInput(page, { prompt: /Default bucket/, text: BUCKET }));
      await pickItem(page, { placeholder: /Where does the bucket live/, filter: 'Custom', label: /Custom endpoint/ });
      prompts.push('(pick) Where does the bucket live? → Custom endpoint');
      prompts.push(await answerInput(page, { prompt: /^Endpoint/, text: world.endpoint }));
      log(`answered: ${prompts.join(' → ')}`);

      const saved = await waitForNotification(page, /Saved R2 profile "dev"/, { severity: 'info' });
      log(`notification: ${saved}`);
      const status = page.locator('.part.statusbar .statusbar-item', { hasText: `R2: ${PROFILE.label}` });
      await status.waitFor({ state: 'visible' });
      log(`status bar: ${(await status.innerText()).trim()} (tooltip: ${await status.locator('a, .statusbar-item-label').first().getAttribute('aria-label')})`);
      await assertNoSecretShown(page, CANARIES, 'after saving the profile');
      await clearNotifications(page);
    },
  },
  {
    name: 'journey: clicking "R2: dev" in the status bar offers the profiles',
    needs: [CREDENTIALS],
    async run({ page, log }) {
      await page.locator('.part.statusbar .statusbar-item', { hasText: `R2: ${PROFILE.label}` }).click();
      const rows = page.locator('.quick-input-widget:visible .monaco-list-row');
      await rows.first().waitFor({ state: 'visible' });
      const items = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      log(`quick pick: ${items.join(' | ')}`);
      if (!items[0]?.startsWith(PROFILE.label)) throw new Error(`the active profile is not offered first: ${items[0]}`);
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    },
  },
  {
    name: BROWSE,
    needs: [CREDENTIALS],
    async run({ page, log }) {
      await runCommand(page, 'DuckDB Secrets: Browse Bucket');
      const pane = viewPane(page, 'Bucket');
      await treeRow(pane, 'sales').waitFor({ state: 'visible', timeout: 30_000 });
      await expandRow(pane, 'sales');
      await treeRow(pane, 'year=2024').waitFor({ state: 'visible' });
      await expandRow(pane, 'year=2024');
      await treeRow(pane, 'month=01').waitFor({ state: 'visible' });
      await expandRow(pane, 'month=01');
      await treeRow(pane, 'part-1.parquet').waitFor({ state: 'visible' });
      await waitForQuiet(page);
      const rows = await treeRows(pane);
      log(`rows: ${describeRows(rows).join(' | ')}`);
      const root = rows[0];
      if (root?.label !== `r2://${BUCKET}/`) throw new Error(`the first row is ${root?.label}, not r2://${BUCKET}/`);
      for (const label of ['sales', 'customers', 'exports', 'raw', 'README.md']) {
        if (!rows.some((r) => r.label === label)) throw new Error(`no ${label} row under the bucket`);
      }
      const partition = rows.find((r) => r.label === 'year=2024');
      if (!/partition/.test(partition?.description ?? '')) throw new Error(`year=2024 is not described as a partition: "${partition?.description}"`);
      const part = rows.find((r) => r.label === 'part-0.parquet');
      if (!/^\d+(\.\d+)? (B|KB|MB) · (\d\d:\d\d|[A-Z][a-z]{2} \d{1,2}|\d{4}-\d\d-\d\d)$/.test(part?.description ?? '')) {
        throw new Error(`part-0.parquet does not show its size and a short time: "${part?.description}"`);
      }
      const description = await pane.locator('.pane-header .description').innerText().catch(() => '');
      log(`view description: ${description.trim()}`);
      await clearHover(page);
      log(await screenshot(page, 'ui-bucket'));
      await assertNoSecretShown(page, CANARIES, 'the Bucket view');
    },
  },
  {
    name: 'journey: Filter Bucket… from the Bucket view\'s title bar, then clear it',
    needs: [BROWSE],
    async run({ page, log }) {
      const pane = viewPane(page, 'Bucket');
      await pane.locator('.pane-header').hover();
      await pane.locator('.pane-header .action-label[aria-label^="Filter Bucket"]').click();
      await answerInput(page, { prompt: /^Glob pattern/, text: '*.csv' });
      const message = await pane.locator('.message', { hasText: 'Filter:' }).innerText();
      await expandRow(pane, 'customers');
      await treeRow(pane, 'customers.csv').waitFor({ state: 'visible' });
      const rows = await treeRows(pane);
      log(`message: ${message.trim()}; rows: ${describeRows(rows).join(' | ')}`);
      if (rows.some((r) => r.label.endsWith('.parquet'))) throw new Error('the filter *.csv still shows .parquet files');
      if (!message.includes('*.csv')) throw new Error('the view does not say which filter is on');
      await pane.locator('.pane-header').hover();
      await pane.locator('.pane-header .action-label[aria-label^="Clear Bucket Filter"]').click();
      await treeRow(pane, 'part-0.parquet').waitFor({ state: 'visible' });
      await pane.locator('.message', { hasText: 'Filter:' }).waitFor({ state: 'hidden' });
      log(`cleared: ${(await treeRows(pane)).length} rows shown`);
    },
  },
  {
    name: 'journey: hovering the persistent secret shows its tooltip, without its token',
    async run({ page, log }) {
      await openSidebar(page);
      const pane = viewPane(page, 'Secrets');
      const text = await hoverText(page, treeRow(pane, HTTP_SECRET.name));
      log(`tooltip: ${text}`);
      if (!/Storage: Local file \(persistent\)/.test(text)) throw new Error('the tooltip does not say where the secret is stored');
      if (!text.includes(HTTP_SECRET.scope)) throw new Error('the tooltip does not show the scope');
      await assertNoSecretShown(page, CANARIES, 'the secret tooltip');
      log(await screenshot(page, 'ui-secrets'));
      await clearHover(page);
    },
  },
  {
    name: 'journey: Create R2 Secret from the palette, Enter through every prompt',
    needs: [CREDENTIALS],
    async run({ page, world, log }) {
      await runCommand(page, 'DuckDB Secrets: Create R2 Secret');
      const name = await answerInput(page, { prompt: /^Secret name/, text: 'r2_dev_secret' });
      log(`prompt: ${name}`);
      await pickItem(page, { placeholder: /^Scope/, label: /No scope/ });
      if (world.httpfs) {
        const created = await waitForNotification(page, /Created R2 secret r2_dev_secret/, { severity: 'info' });
        log(`notification: ${created}`);
        await treeRow(viewPane(page, 'Secrets'), 'r2_dev_secret').waitFor({ state: 'visible' });
        const rows = await secretsRows(page);
        log(`rows: ${describeRows(rows).join(' | ')}`);
        const session = rows.findIndex((r) => r.label === 'Session (memory)');
        const secret = rows.findIndex((r) => r.label === 'r2_dev_secret');
        if (session === -1 || secret <= session) throw new Error('r2_dev_secret is not under "Session (memory)"');
        const tooltip = await hoverText(page, treeRow(viewPane(page, 'Secrets'), 'r2_dev_secret'));
        log(`tooltip: ${tooltip}`);
        if (!tooltip.includes(world.endpoint.replace(/^http:\/\//, ''))) throw new Error('the R2 secret tooltip does not show its endpoint');
        if (!/Key id: \S+…\S+/.test(tooltip)) throw new Error('the R2 secret tooltip does not show a masked key id');
        await assertNoSecretShown(page, CANARIES, 'the R2 secret tooltip');
        log(await screenshot(page, 'ui-session-secret'));
        await clearHover(page);
      } else {
        const error = await waitForNotification(page, /httpfs/, { severity: 'error' });
        log(`notification: ${error}`);
        if (!error.includes('duckdbSecrets.duckdb.options')) throw new Error('the error does not name the duckdbSecrets.duckdb.options setting');
        await waitForQuiet(page);
        log(await screenshot(page, 'ui-offline-error'));
      }
      await assertNoProgressLeft(page);
      await assertNoSecretShown(page, CANARIES, 'after Create R2 Secret');
      await clearNotifications(page);
    },
  },
  {
    name: 'journey: Test R2 Bucket from the palette',
    needs: [CREDENTIALS],
    async run({ page, world, log }) {
      await runCommand(page, 'DuckDB Secrets: Test R2 Bucket');
      if (world.httpfs) {
        const result = await waitForNotification(page, /Test R2 Bucket r2:\/\/lakehouse\/: list /, { timeout: 60_000 });
        log(`notification: ${result}`);
        if (!/list ✓/.test(result) || !/read ✓/.test(result)) throw new Error('the result does not say list ✓ and read ✓');
        if (!result.includes(`${world.objectCount} objects`)) throw new Error(`the result does not count ${world.objectCount} objects`);
        const pane = viewPane(page, 'Bucket');
        await expandRow(pane, 'sales');
        await treeRow(pane, 'year=2024').waitFor({ state: 'visible' });
        await waitForQuiet(page);
        log(`rows: ${describeRows(await treeRows(pane)).join(' | ')}`);
        await clearHover(page);
        log(await screenshot(page, 'ui-test-bucket'));
      } else {
        const offered = page.locator('.notification-toast .notification-list-item', { hasText: /No R2 secret applies/ });
        const error = page.locator('.notification-toast .notification-list-item', { hasText: /httpfs/ });
        await offered.or(error).first().waitFor({ state: 'visible', timeout: 30_000 });
        if (await offered.isVisible()) {
          log(`notification: ${(await offered.innerText()).replace(/\s+/g, ' ')}`);
          await offered.getByRole('button', { name: 'Create R2 Secret' }).click();
          await answerInput(page, { prompt: /^Secret name/, text: 'r2_dev_secret' });
          await pickItem(page, { placeholder: /^Scope/, label: /No scope/ });
        }
        const text = await waitForNotification(page, /httpfs/, { severity: 'error' });
        log(`notification: ${text}`);
        if (!text.includes('duckdbSecrets.duckdb.options')) throw new Error('the error does not name the duckdbSecrets.duckdb.options setting');
        await assertNoProgressLeft(page);
        log(await screenshot(page, 'ui-test-bucket-offline'));
      }
      await assertNoProgressLeft(page);
      await assertNoSecretShown(page, CANARIES, 'after Test R2 Bucket');
      await clearNotifications(page);
    },
  },
  {
    name: 'journey: clicking a Parquet file in the Bucket view previews it',
    needs: [CREDENTIALS],
    async run({ page, world, log }) {
      const pane = viewPane(page, 'Bucket');
      for (const folder of ['sales', 'year=2024', 'month=01']) {
        await treeRow(pane, folder).waitFor({ state: 'visible' });
        await expandRow(pane, folder);
      }
      await treeRow(pane, 'part-0.parquet').click();
      if (world.httpfs) {
        await page.locator('.tab', { hasText: 'Preview: part-0.parquet' }).waitFor({ state: 'visible', timeout: 30_000 });
        const table = page.frameLocator('iframe.webview').frameLocator('iframe').locator('table');
        await table.waitFor({ state: 'visible' });
        const header = (await table.locator('th').allInnerTexts()).map((t) => t.trim());
        log(`preview columns: ${header.map((h) => h.replace(/\s+/g, ' ')).join(', ')}; ${await table.locator('tbody tr').count()} row(s)`);
        if (!header.some((h) => h.startsWith('order_id'))) throw new Error('the preview does not show the order_id column');
        await waitForQuiet(page);
        await clearHover(page);
        log(await screenshot(page, 'ui-preview'));
      } else {
        const error = await waitForNotification(page, /httpfs/, { severity: 'error' });
        log(`notification: ${error}`);
      }
      await assertNoSecretShown(page, CANARIES, 'after the preview');
      await clearNotifications(page);
    },
  },
  {
    name: 'journey: Delete Secret from the row\'s trash icon removes the persistent secret and its group',
    async run({ page, world, log }) {
      const pane = viewPane(page, 'Secrets');
      const row = treeRow(pane, HTTP_SECRET.name);
      await row.hover();
      await row.locator('.action-label[aria-label^="Delete Secret"]').click();
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible' });
      log(`dialog: ${(await dialog.innerText()).replace(/\s+/g, ' ').trim()}`);
      await dialog.getByRole('button', { name: 'Delete' }).click();
      await row.waitFor({ state: 'detached' });
      const done = await waitForNotification(page, /Deleted secret/, { severity: 'info' });
      log(`notification: ${done}`);
      const rows = await secretsRows(page);
      log(`rows: ${describeRows(rows).join(' | ') || '(none: welcome content)'}`);
      if (rows.some((r) => r.label === 'Local file (persistent)')) throw new Error('the empty "Local file (persistent)" group is still shown');
      const left = fs.readdirSync(world.secretDirectory);
      if (left.length > 0) throw new Error(`the secret directory still holds ${left.join(', ')}`);
      await clearNotifications(page);
    },
  },
  {
    name: 'journey: the log (Show Log) and VS Code\'s files hold none of the typed keys',
    async run({ page, world, log }) {
      await runCommand(page, 'DuckDB Secrets: Show Log');
      const output = page.locator('.part.panel .output-view, .part.panel .monaco-editor').first();
      await output.waitFor({ state: 'visible' });
      await page.waitForTimeout(500); // the output editor fills in after it opens
      const lines = (await page.locator('.part.panel .view-lines').first().innerText()).split('\n').filter(Boolean);
      log(`log: ${lines.length} visible line(s), last: ${lines.at(-1) ?? ''}`);
      log(await screenshot(page, 'ui-log'));
      await assertNoSecretShown(page, CANARIES, 'the log');
      // code-server's user data (settings, globalState, logs) and the browser profile (where the
      // web workbench keeps SecretStorage, encrypted): no typed key in the clear.
      const dirs = fs.readdirSync(world.stateDir).filter((name) => name !== 'extensions').map((name) => path.join(world.stateDir, name));
      const files = dirs.flatMap((dir) => (fs.statSync(dir).isDirectory() ? [...walk(dir)] : [dir]));
      const leaks = filesHolding(files, Object.values(CANARIES)).map((file) => path.relative(world.stateDir, file));
      if (leaks.length > 0) throw new Error(`files of code-server or the browser hold a typed key in the clear: ${leaks.join(', ')}`);
      log(`no typed key in ${files.length} files of code-server's user data and the browser profile`);
    },
  },
];

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(file);
    else if (entry.isFile()) yield file;
  }
}

/** The files holding any of `values`, as UTF-8 or UTF-16 (how browsers store strings). */
function filesHolding(files, values) {
  const needles = values.flatMap((value) => [Buffer.from(value), Buffer.from(value, 'utf16le')]);
  return files.filter((file) => {
    const bytes = fs.readFileSync(file);
    return needles.some((needle) => bytes.includes(needle));
  });
}
