/**
 * Issue 19, item 5: folder and object names come from the bucket, so its tooltips must show them
 * as text. Rendered with markdown-it (CommonMark, with GFM-style linkify on, as pessimistic as VS
 * Code's hover renderer), no hostile name may produce a link, an image, HTML or a heading.
 */
import * as assert from 'node:assert/strict';
import { folderTooltipMarkdown, objectTooltipMarkdown } from '../../../../src/core/bucket/bucketTooltips';
import { hivePartition } from '../../../../src/core/bucket/bucketSource';

interface MarkdownRenderer {
  render(text: string): string;
}
// markdown-it ships with @vscode/vsce (a pinned devDependency); it has no bundled types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (options: { html: boolean; linkify: boolean }) => MarkdownRenderer;
const md = new MarkdownIt({ html: false, linkify: true });

/** The rendered HTML's text, entities decoded, tags dropped. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

const HOSTILE = [
  '` [x](http:evil.com) `',
  '[click](command:duckdbSecrets.setMotherDuckToken)',
  '![img](https://evil.example/p.png)',
  'https://evil.example/a',
  'www.evil.example',
  '<img src=x onerror=alert(1)>',
  'a\n\n# heading\n[x](http://evil.example)',
  '**bold** _it_ ~~s~~ `c` \\`',
];

describe('Bucket view tooltips escape names from the bucket (issue 19, item 5)', () => {
  it('a Hive partition value cannot add a link (the attack from the issue, and one that closes the code span)', () => {
    for (const value of ['` [x](http:evil.com) `', 'x` [x](http:evil.com) `y']) {
      const prefix = `lake/year=${value}/`;
      const partition = hivePartition(prefix);
      assert.deepEqual(partition, { key: 'year', value });
      const html = md.render(folderTooltipMarkdown({ uri: `r2://b/${prefix}`, partition }));
      assert.ok(!/<a\b/.test(html), html);
      assert.ok(textOf(html).includes(`Hive partition: year = ${value}`), html);
    }
  });

  it('no hostile folder name, partition key or value, or object key produces a link, an image, HTML or a heading', () => {
    for (const name of HOSTILE) {
      const rendered = [
        md.render(folderTooltipMarkdown({ uri: `r2://b/${name}/`, partition: { key: 'k', value: name }, counts: '3 objects · 1 KB', newest: '2024-01-01' })),
        md.render(folderTooltipMarkdown({ uri: 'r2://b/x/', partition: { key: name, value: 'v' } })),
        md.render(objectTooltipMarkdown(`r2://b/${name}`, 1234, undefined)),
      ];
      for (const html of rendered) {
        assert.ok(!/<(a|img|h\d|script)\b/.test(html), `${JSON.stringify(name)} → ${html}`);
        assert.ok(textOf(html).includes(name.replace(/\r?\n/g, ' ')), `${JSON.stringify(name)} is not shown as written: ${html}`);
      }
    }
  });

  it('shows the ordinary parts', () => {
    const html = md.render(objectTooltipMarkdown('r2://lake/sales/part-0.parquet', 1234567, '1 Jan 2024, 10:00'));
    assert.equal(textOf(html).trim(), 'r2://lake/sales/part-0.parquet\n1,234,567 bytes\nModified 1 Jan 2024, 10:00');
  });

  it('a folder shows its name first, then only the parts it has, one per line', () => {
    const shown = (t: Parameters<typeof folderTooltipMarkdown>[0]) => textOf(md.render(folderTooltipMarkdown(t))).trim();
    assert.equal(
      shown({ uri: 'r2://lake/year=2024/', partition: { key: 'year', value: '2024' }, counts: '3 objects · 1.2 KB', newest: '1 Jan 2024, 10:00' }),
      'r2://lake/year=2024/\nHive partition: year = 2024\n3 objects · 1.2 KB\nNewest object: 1 Jan 2024, 10:00',
    );
    assert.equal(shown({ uri: 'r2://lake/sales/' }), 'r2://lake/sales/');
    assert.equal(shown({ uri: 'r2://lake/sales/', counts: '12 objects' }), 'r2://lake/sales/\n12 objects');
    assert.equal(shown({ uri: 'r2://lake/sales/', newest: 'today' }), 'r2://lake/sales/\nNewest object: today');
  });

  it('an object without a modification time shows name and size only', () => {
    assert.equal(textOf(md.render(objectTooltipMarkdown('r2://lake/a.csv', 0, undefined))).trim(), 'r2://lake/a.csv\n0 bytes');
  });
});
