import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'mocha';
import { notesForTag, releaseNotes } from '../../../scripts/release-notes.mjs';

const changelog = ['# Changelog', '', '## Unreleased', '', '- next', '', '## 0.2.0 — 2026-08-01', '', '- two', '', '## 0.1.0 — 2026-07-01', '', '- one', ''].join('\n');

describe('release notes from CHANGELOG.md', () => {
  it("gives the body of the version's section", () => {
    assert.equal(releaseNotes(changelog, '0.2.0'), '- two');
    assert.equal(releaseNotes(changelog, '0.1.0'), '- one');
  });

  it('refuses a version without a section, one still marked unreleased, and an empty one', () => {
    assert.throws(() => releaseNotes(changelog, '0.3.0'), /no "## 0\.3\.0 — <date>" section/);
    assert.throws(() => releaseNotes(changelog, '0.2'), /no "## 0\.2 — <date>" section/);
    assert.throws(() => releaseNotes('## 0.3.0 — unreleased\n\n- x\n', '0.3.0'), /still marks 0\.3\.0 as unreleased/);
    assert.throws(() => releaseNotes('## 0.3.0 — 2026-09-01\n\n## 0.2.0\n- x\n', '0.3.0'), /section is empty/);
  });

  it("refuses a tag that is not package.json's version", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'release-notes-test-'));
    try {
      fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ version: '0.2.0' }));
      fs.writeFileSync(path.join(root, 'CHANGELOG.md'), changelog);
      assert.equal(notesForTag(root, 'v0.2.0'), '- two');
      assert.throws(() => notesForTag(root, 'v0.1.0'), /tag v0\.1\.0 is not package\.json's version v0\.2\.0/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
