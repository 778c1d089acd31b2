/**
 * The ListObjectsV2 reader on its own: what it makes of answers a hostile or broken endpoint may
 * send (cut short, glued to more text, sizes that are not numbers, entries without a key, character
 * references out of range), the messages it refuses them with, and how often a long page gives the
 * event loop a turn. The wire and the endpoint around it are in s3Listing*.test.ts.
 */
import * as assert from 'node:assert/strict';
import { UserFacingError } from '../../../../src/core/errors';
import { decodeXml, earlyContinuation, parseListing, splitEntries } from '../../../../src/core/bucket/s3ListingXml';

const NOT_A_LISTING = 'The endpoint answered the listing with something that is not an S3 listing';

function listing(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</ListBucketResult>`;
}

function contents(count: number): string {
  return Array.from({ length: count }, (_, i) => `<Contents><Key>k${i}</Key><Size>${i}</Size></Contents>`).join('');
}

/** How many turns the event loop took (other callbacks it ran) while `work` was under way. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const result = await work();
  done = true;
  return { result, turns };
}

async function refusal(xml: string, prefix = ''): Promise<UserFacingError> {
  try {
    await parseListing(xml, prefix);
  } catch (error) {
    assert.ok(error instanceof UserFacingError, String(error));
    return error;
  }
  assert.fail('the answer was read as a listing');
}

describe('reading a ListObjectsV2 answer (s3ListingXml)', () => {
  describe('answers that are not a listing', () => {
    it('a page that is not a listing is refused as such, and the log keeps only its first 300 characters', async () => {
      const portal = `<html><body>${'Sign in to the hotel Wi-Fi. '.repeat(40)}</body></html>`;
      const error = await refusal(portal);
      assert.equal(error.message, `${NOT_A_LISTING}.`);
      assert.equal(error.detail, portal.slice(0, 300));
    });

    it('an answer with a closing tag but no ListBucketResult opening is not a listing', async () => {
      const error = await refusal('<Error><Code>Oops</Code></Error></ListBucketResult>');
      assert.equal(error.message, `${NOT_A_LISTING}.`);
    });

    it('an answer cut short is refused, never read as a shorter listing', async () => {
      const error = await refusal(`<ListBucketResult><IsTruncated>false</IsTruncated>${contents(3)}`);
      assert.equal(error.message, `${NOT_A_LISTING} (the answer ends before the listing does).`);
    });

    it('a listing followed by more text is refused; trailing white space is not more text', async () => {
      const page = listing(`<IsTruncated>false</IsTruncated>${contents(1)}`);
      const glued = await refusal(`${page}<Contents><Key>smuggled</Key></Contents>`);
      assert.equal(glued.message, `${NOT_A_LISTING} (the answer ends before the listing does).`);
      assert.equal((await refusal(`${page}<!-- more -->`)).message, `${NOT_A_LISTING} (the answer ends before the listing does).`);
      assert.deepEqual(await parseListing(`${page}\r\n  \n`, ''), { folders: [], objects: [{ key: 'k0', size: 0 }] });
    });

    it('a size that is not a number is refused, naming the key (cut to 80 characters)', async () => {
      const error = await refusal(listing('<Contents><Key>a &amp; b.csv</Key><Size>12kB</Size></Contents>'));
      assert.equal(error.message, `${NOT_A_LISTING} (the size of "a & b.csv" is not a number).`);
      const longKey = `${'d/'.repeat(50)}x.csv`;
      const long = await refusal(listing(`<Contents><Key>${longKey}</Key><Size>NaN</Size></Contents>`));
      assert.equal(long.message, `${NOT_A_LISTING} (the size of ${JSON.stringify(longKey.slice(0, 80))} is not a number).`);
      assert.ok(!long.message.includes('x.csv'));
    });
  });

  describe('entries', () => {
    it('an entry without a key, or whose key is never closed, is left out', async () => {
      const page = await parseListing(
        listing('<Contents><Size>3</Size></Contents><Contents><Key>a/open<Size>4</Size></Contents><Contents><Key>a/b.csv</Key><Size>5</Size></Contents>'),
        'a/',
      );
      assert.deepEqual(page, { folders: [], objects: [{ key: 'a/b.csv', size: 5 }] });
    });

    it('a folder without a prefix name is no folder', async () => {
      const page = await parseListing(listing('<CommonPrefixes><Prefix/></CommonPrefixes><CommonPrefixes></CommonPrefixes><CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes>'), '');
      assert.deepEqual(page, { folders: [{ prefix: 'a/' }], objects: [] });
    });

    it('the folder marker is left out of the view and kept by a full listing; <Key/> reads as <Key></Key>', async () => {
      const body = '<Contents><Key>a/</Key><Size>0</Size></Contents><Contents><Key>a/x</Key><Size>1</Size></Contents>';
      assert.deepEqual((await parseListing(listing(body), 'a/')).objects, [{ key: 'a/x', size: 1 }]);
      assert.deepEqual((await parseListing(listing(body), 'a/', { keepPrefixMarker: true })).objects, [
        { key: 'a/', size: 0 },
        { key: 'a/x', size: 1 },
      ]);
      const selfClosed = await parseListing(listing('<Contents><Key/><Size>0</Size></Contents>'), '', { keepPrefixMarker: true });
      const empty = await parseListing(listing('<Contents><Key></Key><Size>0</Size></Contents>'), '', { keepPrefixMarker: true });
      assert.deepEqual(selfClosed, { folders: [], objects: [{ key: '', size: 0 }] });
      assert.deepEqual(selfClosed, empty);
    });

    it('a modification time that is not a date is left out, a real one kept', async () => {
      const page = await parseListing(
        listing('<Contents><Key>a</Key><Size>1</Size><LastModified>yesterday</LastModified></Contents><Contents><Key>b</Key><Size>2</Size><LastModified>2024-02-29T23:59:59.000Z</LastModified></Contents>'),
        '',
      );
      assert.deepEqual(page.objects, [
        { key: 'a', size: 1 },
        { key: 'b', size: 2, lastModified: new Date('2024-02-29T23:59:59.000Z') },
      ]);
    });

    it('text that only looks like an entry tag is not an entry', () => {
      const xml = '<L><Contents><Key>a</Key></Contents>xContents><Key>b</Key></Contents>yCommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></L>';
      assert.deepEqual(splitEntries(xml), {
        entries: ['<Contents><Key>a</Key></Contents>'],
        rest: '<L>xContents><Key>b</Key></Contents>yCommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></L>',
      });
    });
  });

  describe('character references', () => {
    it('decodes the five named entities and decimal and hexadecimal references', () => {
      assert.equal(decodeXml('&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos;'), '<a> & "b" \'c\'');
      assert.equal(decodeXml('&#65;&#x42;&#X43;&#x1F600;&#128512;'), 'AB&#X43;😀😀');
      assert.equal(decodeXml('x &#60;&#x3c; y'), 'x << y');
    });

    it('keeps as written what is no character: beyond U+10FFFF, unknown names, too many digits', () => {
      assert.equal(decodeXml('&#x110000;'), '&#x110000;');
      assert.equal(decodeXml('&#1114112;'), '&#1114112;');
      assert.equal(decodeXml('&#x10FFFF;'), '\u{10FFFF}');
      assert.equal(decodeXml('&#1114111;'), '\u{10FFFF}');
      assert.equal(decodeXml('&nbsp; &#x0000041; &#00000065; &#;'), '&nbsp; &#x0000041; &#00000065; &#;');
      assert.equal(decodeXml('no entities here'), 'no entities here');
    });

    it('keys and tokens are decoded, including numeric references', async () => {
      const page = await parseListing(
        listing('<IsTruncated>true</IsTruncated><NextContinuationToken>t&#x2B;1&#61;</NextContinuationToken><Contents><Key>caf&#233;/&#x1F4C8;.csv</Key><Size>1</Size></Contents>'),
        '',
      );
      assert.deepEqual(page, { folders: [], objects: [{ key: 'café/📈.csv', size: 1 }], continuation: 't+1=' });
    });
  });

  describe('the continuation token in the head of an answer still arriving', () => {
    const head = '<?xml version="1.0"?><ListBucketResult><Name>lake</Name><IsTruncated>true</IsTruncated>';

    it('is read as soon as it has arrived, before any entry', () => {
      assert.equal(earlyContinuation(`${head}<NextContinuationToken>t&amp;1</NextContinuationToken>`), 't&1');
      assert.equal(earlyContinuation(`${head}<NextContinuationToken>t&amp;1</NextContinuationToken><Contents><Key>a</Key>`), 't&1');
    });

    it('is not read before it is whole, after the first entry, or from a finished page', () => {
      assert.equal(earlyContinuation(`${head}<NextContinuationToken>t1</NextContinuationTok`), undefined);
      assert.equal(earlyContinuation(`${head}<NextContinuationToken></NextContinuationToken>`), undefined);
      assert.equal(earlyContinuation(`${head}<Contents><Key>a</Key></Contents><NextContinuationToken>late</NextContinuationToken>`), undefined);
      assert.equal(earlyContinuation(`${head}<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes><NextContinuationToken>late</NextContinuationToken>`), undefined);
      assert.equal(earlyContinuation(`${head.replace('true', 'false')}<NextContinuationToken>t1</NextContinuationToken>`), undefined);
    });
  });

  describe('long pages and the event loop', () => {
    it('a 1,000-key page is read in one go, a page over 2,000 entries gives the event loop a turn', async () => {
      const small = await turnsDuring(() => parseListing(listing(contents(1000)), ''));
      assert.equal(small.result.objects.length, 1000);
      assert.equal(small.turns, 0);
      const large = await turnsDuring(() => parseListing(listing(contents(2001)), ''));
      assert.equal(large.result.objects.length, 2001);
      assert.equal(large.turns, 1);
    });

    it('a turn after every full slice of entries, the slice given as a number or an option', async () => {
      const seven = await turnsDuring(() => parseListing(listing(contents(7)), '', 3));
      assert.deepEqual(seven.result.objects.map((o) => o.key), ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
      assert.equal(seven.turns, 2, 'after entries 3 and 6');
      const six = await turnsDuring(() => parseListing(listing(contents(6)), '', { entriesPerSlice: 3 }));
      assert.equal(six.result.objects.length, 6);
      assert.equal(six.turns, 1, 'after entry 3; none once the last is read');
    });
  });
});
