// The notes of one release, from CHANGELOG.md: the section under `## X.Y.Z — date`. The release
// workflow runs it before packaging, so a tag that is not package.json's version, or a version
// whose changes were never written down (still under "Unreleased"), stops the release.
//   node scripts/release-notes.mjs --tag v0.2.0 > notes.md
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The body of the `## <version>` section of a changelog; throws when there is none. */
export function releaseNotes(changelog, version) {
  const lines = changelog.split(/\r?\n/);
  const heading = new RegExp(`^## \\[?${escape(version)}\\]?(\\s|$)`);
  const start = lines.findIndex((line) => heading.test(line));
  if (start === -1) throw new Error(`CHANGELOG.md has no "## ${version} — <date>" section; move the Unreleased entries under one`);
  if (/unreleased/i.test(lines[start])) throw new Error(`CHANGELOG.md still marks ${version} as unreleased: "${lines[start]}"`);
  const end = lines.findIndex((line, index) => index > start && /^## /.test(line));
  const body = lines.slice(start + 1, end === -1 ? undefined : end).join('\n').trim();
  if (body === '') throw new Error(`CHANGELOG.md's ${version} section is empty`);
  return body;
}

/** Checks `tag` against package.json's version and returns that version's notes. */
export function notesForTag(root, tag) {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  if (tag !== `v${version}`) throw new Error(`tag ${tag} is not package.json's version v${version}`);
  return releaseNotes(fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'), version);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const index = process.argv.indexOf('--tag');
  const tag = index === -1 ? undefined : process.argv[index + 1];
  try {
    if (!tag) throw new Error('usage: node scripts/release-notes.mjs --tag vX.Y.Z');
    console.log(notesForTag(fileURLToPath(new URL('..', import.meta.url)), tag));
  } catch (error) {
    console.error(`[release-notes] FAILED: ${error.message}`);
    process.exitCode = 1;
  }
}
