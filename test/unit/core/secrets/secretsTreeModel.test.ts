/**
 * The Secrets view's state against the real DuckDB: loaded once until refreshed, the
 * secret_directory read only when a local file secret is listed, and the which_secret mark.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DuckDBSession } from '../../../../src/core/duckdb/duckdbSession';
import { MemoryLogger } from '../../../../src/core/logger';
import { SecretsTreeModel } from '../../../../src/core/secrets/secretsTreeModel';
import { testDuckDBOptions } from '../../../support/duckdbOptions';

describe('SecretsTreeModel', () => {
  let dir: string;
  let session: DuckDBSession;
  let model: SecretsTreeModel;

  beforeEach(() => {
    const options = testDuckDBOptions();
    dir = options.secret_directory ?? '';
    session = new DuckDBSession({ path: ':memory:', options }, new MemoryLogger());
    model = new SecretsTreeModel(session, new MemoryLogger());
  });
  afterEach(() => {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const names = (state: SecretsTreeModel['state']) => (state.kind === 'loaded' ? state.secrets.map((s) => `${s.name}@${s.storage}`) : state.kind);

  it('starts unloaded, loads once, and shows new secrets only after refresh', async () => {
    assert.deepEqual(model.state, { kind: 'unloaded' });
    await session.run('CREATE SECRET first (TYPE http)');
    assert.deepEqual(names(await model.ensureLoaded()), ['first@memory']);
    await session.run('CREATE SECRET second (TYPE http)');
    assert.deepEqual(names(await model.ensureLoaded()), ['first@memory'], 'ensureLoaded does not query again');
    assert.deepEqual(names(model.state), ['first@memory']);
    assert.deepEqual(names(await model.refresh()), ['first@memory', 'second@memory']);
    assert.deepEqual(names(model.state), ['first@memory', 'second@memory']);
  });

  it('knows where the plaintext file is only when a local file secret is listed', async () => {
    await session.run('CREATE SECRET in_memory (TYPE http)');
    const sessionOnly = await model.refresh();
    assert.equal(sessionOnly.kind, 'loaded');
    assert.equal('secretDirectory' in sessionOnly, false, 'no secret_directory without a local file secret');

    await session.run('CREATE PERSISTENT SECRET on_disk (TYPE http)');
    const withFile = await model.refresh();
    assert.equal(withFile.kind === 'loaded' && withFile.secretDirectory, dir);
    assert.deepEqual(withFile.kind === 'loaded' && withFile.groups.map((g) => g.storage), ['memory', 'local_file']);
  });

  it('marks the secret which_secret chose, clears it, and tells listeners until they are disposed', async () => {
    let changes = 0;
    const subscription = model.onDidChange(() => changes++);
    assert.equal(model.mark, undefined);
    const mark = { name: 'first', storage: 'memory', path: 'https://host/x' };
    model.setMark(mark);
    assert.deepEqual(model.mark, mark);
    assert.equal(changes, 1);
    await model.refresh();
    assert.equal(changes, 2, 'a refresh redraws');
    model.setMark(undefined);
    assert.equal(model.mark, undefined);
    assert.equal(changes, 3);
    subscription.dispose();
    model.setMark(mark);
    await model.refresh();
    assert.equal(changes, 3, 'a disposed listener hears nothing');
  });
});
