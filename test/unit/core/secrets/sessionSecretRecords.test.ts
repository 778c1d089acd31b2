/**
 * The remembered session secrets: what survives a round trip through the record storage, and that
 * anything malformed in it (globalState is not trusted) is skipped rather than re-created or thrown on.
 */
import * as assert from 'node:assert/strict';
import { MemoryRecordStorage, SessionSecretRecords, type SessionSecretRecord } from '../../../../src/core/secrets/sessionSecretRecords';

/** Record storage holding whatever a test puts there, counting the writes. */
class RawStorage extends MemoryRecordStorage {
  writes = 0;
  constructor(private raw: unknown) {
    super();
  }
  override get(): unknown {
    return this.raw;
  }
  override async update(records: readonly SessionSecretRecord[]): Promise<void> {
    this.writes++;
    await super.update(records);
    this.raw = super.get();
  }
}

const plain: SessionSecretRecord = { name: 'plain', profileId: 'p1', scope: ['r2://lake'] };
const moved: SessionSecretRecord = {
  name: 'moved',
  profileId: 'p2',
  scope: [],
  definition: { type: 's3', keyIdParam: 'key_id', secretParam: 'secret', parameters: [{ key: 'region', value: 'auto' }, { key: 'use_ssl', value: true }] },
};
const definition = moved.definition;

describe('SessionSecretRecords', () => {
  it('a fresh storage holds no records', () => {
    const storage = new MemoryRecordStorage();
    assert.deepEqual(storage.get(), []);
    assert.deepEqual(new SessionSecretRecords(storage).all(), []);
  });

  it('a stored value that is not a list holds no records', () => {
    for (const raw of [undefined, null, 'plain', 7, { name: 'plain', profileId: 'p1', scope: [] }]) {
      assert.deepEqual(new SessionSecretRecords(new RawStorage(raw)).all(), [], JSON.stringify(raw));
    }
  });

  it('keeps well-formed records, with and without a definition, and skips every malformed one', () => {
    const malformed: unknown[] = [
      undefined,
      null,
      'plain',
      7,
      { profileId: 'p1', scope: [] },
      { name: 3, profileId: 'p1', scope: [] },
      { name: 'x', scope: [] },
      { name: 'x', profileId: 4, scope: [] },
      { name: 'x', profileId: 'p1' },
      { name: 'x', profileId: 'p1', scope: 'r2://lake' },
      { name: 'x', profileId: 'p1', scope: ['r2://lake', 5] },
      { ...plain, definition: null },
      { ...plain, definition: 's3' },
      { ...plain, definition: { ...definition, type: undefined } },
      { ...plain, definition: { ...definition, keyIdParam: 1 } },
      { ...plain, definition: { ...definition, secretParam: undefined } },
      { ...plain, definition: { ...definition, parameters: 'region=auto' } },
      { ...plain, definition: { ...definition, parameters: [{ key: 'region', value: 'auto' }, null] } },
      { ...plain, definition: { ...definition, parameters: [{ key: 'region', value: 'auto' }, undefined] } },
      { ...plain, definition: { ...definition, parameters: [{ value: 'auto' }] } },
      { ...plain, definition: { ...definition, parameters: [{ key: 'port', value: 443 }] } },
    ];
    for (const bad of malformed) {
      assert.deepEqual(new SessionSecretRecords(new RawStorage([plain, bad, moved])).all(), [plain, moved], JSON.stringify(bad) ?? String(bad));
    }
  });

  it('hands out copies holding only the record fields', () => {
    const extra = { ...plain, token: 'not-a-field', definition: { ...definition, parameters: [{ key: 'region', value: 'auto', note: 'x' }], more: 1 } };
    const [copy] = new SessionSecretRecords(new RawStorage([extra])).all();
    assert.deepEqual(copy, { ...plain, definition: { ...definition, parameters: [{ key: 'region', value: 'auto' }] } });
  });

  it('remember adds or replaces by name', async () => {
    const records = new SessionSecretRecords(new MemoryRecordStorage());
    await records.remember(plain);
    await records.remember(moved);
    await records.remember({ ...plain, scope: [] });
    assert.deepEqual(records.all(), [moved, { ...plain, scope: [] }]);
  });

  it('forget drops one name, and leaves the storage untouched when the name is unknown', async () => {
    const storage = new RawStorage([plain, 'malformed', moved]);
    const records = new SessionSecretRecords(storage);
    await records.forget('unknown');
    assert.equal(storage.writes, 0);
    assert.deepEqual(storage.get(), [plain, 'malformed', moved], 'nothing rewritten');
    await records.forget('plain');
    assert.deepEqual(records.all(), [moved]);
    assert.equal(storage.writes, 1);
  });

  it('forgetProfile drops every record made from that profile, and only those', async () => {
    const sibling: SessionSecretRecord = { name: 'sibling', profileId: 'p1', scope: [] };
    const storage = new RawStorage([plain, 'malformed', moved, sibling]);
    const records = new SessionSecretRecords(storage);
    await records.forgetProfile('unknown-profile');
    assert.equal(storage.writes, 0);
    assert.deepEqual(storage.get(), [plain, 'malformed', moved, sibling], 'nothing rewritten');
    await records.forgetProfile('p1');
    assert.deepEqual(records.all(), [moved]);
    assert.equal(storage.writes, 1);
  });
});
