/**
 * The Bucket view in the real VS Code: live browsing of a real s3rver on 127.0.0.1 through the
 * commands, a folded listing shown through the API, the filter, Copy Query, and a preview of a
 * local Parquet file (r2:// previews need httpfs, which this tier does not have).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { foldListing } from '../../src/core/bucket/bucketFolding';
import type { BucketTreeNode } from '../../src/extension/bucket/bucketView';
import type { DuckDBSecretsApi } from '../../src/extension/testApi';
import type { ObjectPreview } from '../../src/core/bucket/objectPreview';
import { S3rverProfile } from './s3rverProfile';
import { activateApi, failing, runCommand as run, waitFor } from './support';

describe('Bucket view', () => {
  let api: DuckDBSecretsApi;
  let lake: S3rverProfile;
  let dir: string;

  const children = async (node?: BucketTreeNode) => api.bucket.view.provider.getChildren(node);
  const labels = (nodes: BucketTreeNode[]) =>
    nodes.map((n) => {
      const label = n.toTreeItem().label;
      return typeof label === 'string' ? label : (label?.label ?? '');
    });
  // The extension runs from its bundle, so its node classes are not the ones in out/src: tell
  // node kinds by contextValue, as the menus do.
  const kind = (node: BucketTreeNode | undefined) => node?.toTreeItem().contextValue ?? '';
  const folder = async (parent: BucketTreeNode, name: string) => {
    const found = (await children(parent)).find((n) => kind(n).startsWith('bucketFolder') && n.toTreeItem().label === name);
    assert.ok(found, `folder ${name}`);
    return found;
  };

  before(async () => {
    api = await activateApi();
    lake = await S3rverProfile.start(api, 'bucket-test');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-bucket-it-'));
  });

  after(async () => {
    await lake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('browses the active profile\'s bucket live, one folder at a time, with "Load more…"', async () => {
    await run('browseBucket');
    assert.equal(api.bucket.view.treeView.description, 'Live');
    const [root] = await children();
    assert.ok(root);
    assert.equal(kind(root), 'bucketFolder+root');
    assert.equal(root.toTreeItem().label, 'r2://lake/');
    assert.deepEqual(labels(await children(root)), ['logs', 'sales', 'README.md']);

    const sales = await folder(root, 'sales');
    const year = await folder(sales, 'year=2024');
    assert.match(String(year.toTreeItem().description), /^partition/);
    assert.equal(year.toTreeItem().contextValue, 'bucketFolder+partition');

    const logs = await folder(root, 'logs');
    const firstPage = await children(logs);
    const more = firstPage.at(-1);
    assert.equal(kind(more), 'bucketLoadMore', 'the last node of a long folder is "Load more…"');
    await run('loadMoreBucket', more);
    const all = await children(logs);
    assert.equal(all.filter((n) => kind(n).startsWith('bucketObject')).length, 1100);
    assert.notEqual(kind(all.at(-1)), 'bucketLoadMore');

    await run('filterBucket', 'l000?.csv');
    assert.equal(api.bucket.view.treeView.message, 'Filter: l000?.csv (live: a folder is checked when opened)');
    assert.equal((await children(logs)).length, 10);
    await run('clearBucketFilter');
    assert.equal(api.bucket.view.treeView.message, undefined);

    assert.equal(await run('copyBucketQuery', sales), "FROM read_parquet('r2://lake/sales/**/*.parquet', hive_partitioning = true);");
    assert.equal(await run('copyBucketUri', year), 'r2://lake/sales/year=2024/');
  });

  it('lists the shown sub-folders ahead of a click', async () => {
    await run('browseBucket');
    const [root] = await children();
    assert.ok(root);
    await children(root); // logs/, sales/, README.md
    const model = api.bucket.view.model;
    await waitFor(() => model.visible('sales/') !== undefined && model.visible('logs/') !== undefined, 'sales/ and logs/ listed ahead');
    assert.deepEqual(model.visible('sales/')?.folders.map((f) => f.prefix), ['sales/year=2024/']);
  });

  it('opens a prefix with Open Bucket Path…', async () => {
    await run('openBucketPath', 'r2://lake/sales/year=2024');
    const [root] = await children();
    assert.ok(root);
    assert.equal(root.toTreeItem().label, 'r2://lake/sales/year=2024/');
    assert.deepEqual(labels(await children(root)), ['month=01']);
  });

  it('shows a folded listing from another source, saying what it shows', async () => {
    const listing = await foldListing('lake', [
      { key: 'a/x.parquet', size: 1500 },
      { key: 'a/y.parquet', size: 2500 },
    ], { label: 'Test result', takenAt: new Date(2024, 0, 1, 12, 3) });
    await api.bucket.show(listing);
    assert.equal(api.bucket.view.treeView.description, 'Test result · 2 objects · 12:03');
    const [root] = await children();
    assert.ok(root);
    const [a] = await children(root);
    assert.equal(a?.toTreeItem().description, '2 objects · 4.0 KB');
  });

  it('a failed Test R2 Bucket replaces the previous listing with the failure', async () => {
    await api.bucket.show(await foldListing('lake', [{ key: 'a/x.parquet', size: 1500 }], { label: 'Test result' }));
    // Offline, a test run in MotherDuck fails before listing: no MotherDuck token is stored.
    const test = () => vscode.commands.executeCommand('duckdbSecrets.testBucket', { path: 'r2://other-bucket/', runIn: 'motherduck', createSecret: false });
    await failing(api, test, /testBucket: No MotherDuck token is stored/);
    assert.match(api.bucket.view.treeView.description ?? '', /^Test failed · \d\d:\d\d$/);
    const [root] = await children();
    assert.equal(root?.toTreeItem().label, 'r2://other-bucket/');
    assert.ok(root);
    const [message = ''] = labels(await children(root));
    assert.match(message, /No MotherDuck token is stored.* — click for log$/);
  });

  it('previews a Parquet file in a read-only webview', async () => {
    const file = path.join(dir, 'trips.parquet');
    await api.sql.run(`COPY (SELECT range AS trip, 'city ' || range AS city FROM range(500)) TO '${file}' (FORMAT parquet)`);
    const preview = await run<ObjectPreview>('previewObject', { path: file });
    assert.deepEqual(preview?.columns.map((c) => c.name), ['trip', 'city']);
    assert.equal(preview?.rows.length, 100);
    const html = api.bucket.previews.htmlOf(file) ?? '';
    assert.match(html, /<th scope="col" title="BIGINT">trip/);
    assert.match(html, /first 100 of 500 rows · read_parquet/);
  });

  it('reuses one preview tab until it is kept open', async () => {
    api.bucket.previews.dispose();
    const files = ['a', 'b', 'c'].map((n) => path.join(dir, `${n}.csv`));
    for (const f of files) fs.writeFileSync(f, 'x\n1\n');
    const [a = '', b = '', c = ''] = files;
    await run('previewObject', { path: a });
    await run('previewObject', { path: b });
    assert.deepEqual(api.bucket.previews.counts(), { open: 1, kept: 0 }, 'b replaced a in the one preview tab');
    assert.equal(api.bucket.previews.htmlOf(a), undefined);
    await run('keepPreviewOpen');
    await run('previewObject', { path: c });
    assert.deepEqual(api.bucket.previews.counts(), { open: 2, kept: 1 }, 'b stays, c opens in a new preview tab');
    assert.ok(api.bucket.previews.htmlOf(b) && api.bucket.previews.htmlOf(c));
  });

  it('opens a raw object as text', async () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '{"a": 1, "a": 2}\n');
    const size = await run<number>('openRawObject', { path: file });
    assert.equal(size, 17);
    assert.equal(vscode.window.activeTextEditor?.document.getText(), '{"a": 1, "a": 2}\n');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
