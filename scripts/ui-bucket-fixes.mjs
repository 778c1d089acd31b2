// The Bucket view's fixes of issue 10, looked at in code-server: run after the smoke checks and
// the journey's Set R2 Credentials step, with screenshots in test-results/ui-fix-*.png. (A failed
// Test R2 Bucket needs httpfs to get that far; test/integration/bucket.test.ts covers its view.)
//   node scripts/ui-bucket-fixes.mjs
// The lakehouse (ui-lakehouse.mjs) sits behind a front that refuses any request whose signature
// does not match what was sent, as R2 does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runUiSmoke, smokeChecks } from './run-ui-smoke.mjs';
import { journeyChecks, setUpJourney } from './ui-journey.mjs';
import { answerInput, expandRow, pickItem, runCommand, screenshot, treeRow, treeRows, viewPane, waitForQuiet } from './ui-workbench.mjs';
import { BUCKET } from './ui-lakehouse.mjs';

const rowsText = (rows) => rows.map((r) => `${r.label}${r.description ? ` (${r.description})` : ''}`).join(' | ');

const credentials = journeyChecks.find((c) => c.name.startsWith('journey: Set R2 Credentials'));
if (!credentials) throw new Error('the journey has no Set R2 Credentials step');

const checks = [
  {
    name: 'fix: folders with a space, unicode, % and # browse live (every signature checked)',
    async run({ page, world, log }) {
      await runCommand(page, 'DuckDB Secrets: Open Bucket Path…');
      await answerInput(page, { prompt: /A bucket, or a folder/, text: `r2://${BUCKET}/données/été 2024/` });
      const pane = viewPane(page, 'Bucket');
      await treeRow(pane, 'part-0.parquet').waitFor({ state: 'visible', timeout: 30_000 });
      await runCommand(page, 'DuckDB Secrets: Browse Bucket');
      await treeRow(pane, 'folder with spaces').waitFor({ state: 'visible', timeout: 30_000 });
      await expandRow(pane, 'folder with spaces');
      await treeRow(pane, '100% done #1.csv').waitFor({ state: 'visible' });
      await expandRow(pane, 'staging');
      await treeRow(pane, 'only sub').waitFor({ state: 'visible' });
      await waitForQuiet(page);
      log(`rows: ${rowsText(await treeRows(pane))}`);
      log(`requests the signing front refused: ${world.rejected().length}`);
      if (world.rejected().length > 0) throw new Error(`refused: ${world.rejected().join(', ')}`);
      log(await screenshot(page, 'ui-fix-spaces'));
    },
  },
  {
    name: 'fix: a live *.parquet filter says what it hid in a folder without a match',
    async run({ page, log }) {
      const pane = viewPane(page, 'Bucket');
      await runCommand(page, 'DuckDB Secrets: Filter Bucket…');
      await answerInput(page, { prompt: /^Glob pattern/, text: '*.parquet' });
      await expandRow(pane, 'customers');
      const message = pane.locator('.monaco-list-row', { hasText: 'No object here matches' }).first();
      await message.waitFor({ state: 'visible' });
      log(`message row: ${(await message.innerText()).trim()}; view: ${(await pane.locator('.message').innerText()).trim()}`);
      log(await screenshot(page, 'ui-fix-filter'));
      await runCommand(page, 'DuckDB Secrets: Clear Bucket Filter');
    },
  },
  {
    name: 'fix: Copy Query on the bucket root offers one query per dataset',
    async run({ page, log }) {
      const pane = viewPane(page, 'Bucket');
      await pane.locator('.monaco-list-row[aria-level="1"]').click(); // selects the root row (and folds it)
      await runCommand(page, 'DuckDB Secrets: Copy Query');
      const rows = page.locator('.quick-input-widget:visible .monaco-list-row');
      await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
      const title = (await page.locator('.quick-input-widget:visible .quick-input-title').innerText()).trim();
      log(`title: ${title}`);
      log(`items: ${(await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).slice(0, 6).join(' | ')}`);
      log(await screenshot(page, 'ui-fix-copy-query'));
      await pickItem(page, { placeholder: /pick one dataset/, filter: 'sales', label: /^sales\// });
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      log(`status bar: ${(await page.locator('.part.statusbar').innerText()).replace(/\s+/g, ' ').trim()}`);
    },
  },
  {
    name: 'fix: a missing bucket on a custom endpoint does not blame a jurisdiction',
    async run({ page, log }) {
      await runCommand(page, 'DuckDB Secrets: Open Bucket Path…');
      await answerInput(page, { prompt: /A bucket, or a folder/, text: 'r2://no-such-bucket/' });
      const pane = viewPane(page, 'Bucket');
      const row = pane.locator('.monaco-list-row', { hasText: 'not found' }).first();
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      const text = (await row.innerText()).trim();
      log(`row: ${text}`);
      if (/EU|FedRAMP/.test(text)) throw new Error('still suggests the EU or FedRAMP jurisdiction');
      log(await screenshot(page, 'ui-fix-missing-bucket'));
    },
  },
  {
    name: 'fix: preview of nested values, long cells, row count; one preview tab',
    async run({ page, world, log }) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-ui-preview-'));
      const file = path.join(dir, 'nested.parquet');
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      await connection.run(
        `COPY (SELECT range AS id, {'a': range, 'b': 1.5} AS s, [range, 0, NULL] AS l, MAP {'k': range} AS m, repeat('long text ', 40) AS note FROM range(250)) TO '${file}' (FORMAT parquet)`,
      );
      connection.closeSync();
      instance.closeSync();
      world.previewDir = dir;
      await runCommand(page, 'DuckDB Secrets: Preview Object');
      await answerInput(page, { prompt: /A \.parquet, \.csv/, text: file });
      const table = page.frameLocator('iframe.webview').frameLocator('iframe').locator('table');
      await table.waitFor({ state: 'visible', timeout: 30_000 });
      const first = (await table.locator('tbody tr').first().allInnerTexts())[0]?.replace(/\s+/g, ' ');
      const summary = await page.frameLocator('iframe.webview').frameLocator('iframe').locator('.summary').innerText();
      log(`summary: ${summary.trim()}; first row: ${first}`);
      await table.locator('tbody tr').nth(40).scrollIntoViewIfNeeded();
      await page.frameLocator('iframe.webview').frameLocator('iframe').locator('.wrap').evaluate((el) => (el.scrollLeft = 400));
      log(await screenshot(page, 'ui-fix-preview'));
      const tabs = await page.locator('.tabs-container .tab').allInnerTexts();
      log(`tabs: ${tabs.map((t) => t.trim()).join(' | ')}`);
    },
  },
];

const started = Date.now();
const failures = await runUiSmoke([...smokeChecks, credentials, ...checks], { setup: setUpJourney });
console.log(`[ui-fixes] ${failures === 0 ? 'passed' : `${failures} check(s) failed`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = failures === 0 ? 0 : 1;
