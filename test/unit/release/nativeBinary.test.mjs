import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'mocha';
import { binaryPlatform, HEADER_BYTES } from '../../../scripts/nativeBinary.mjs';

const require = createRequire(import.meta.url);
const host = { os: process.platform, arch: process.arch };
const headerOf = (file) => {
  const handle = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    return header.subarray(0, fs.readSync(handle, header, 0, HEADER_BYTES, 0));
  } finally {
    fs.closeSync(handle);
  }
};

describe('nativeBinary: the platform inside a native file', () => {
  it("reads this machine's platform from the Node binary running the test", () => {
    const found = binaryPlatform(headerOf(process.execPath));
    assert.equal(found?.os, host.os);
    assert.ok(found.archs.includes(host.arch), `${found.archs} has ${host.arch}`);
  });

  it("reads it from the DuckDB binding npm installed for this machine, and its library", () => {
    const dir = path.dirname(require.resolve(`@duckdb/node-bindings-${host.os}-${host.arch}/package.json`));
    const library = fs.readdirSync(dir).find((name) => /^(libduckdb\.(so|dylib)|duckdb\.dll)$/.test(name));
    for (const name of ['duckdb.node', library]) {
      const found = binaryPlatform(headerOf(path.join(dir, name)));
      assert.equal(found?.os, host.os, name);
      assert.ok(found.archs.includes(host.arch), `${name}: ${found.archs}`);
    }
  });

  it('finds no platform in text or an empty file', () => {
    assert.equal(binaryPlatform(Buffer.from('#!/usr/bin/env node\nconsole.log(1)\n')), undefined);
    assert.equal(binaryPlatform(Buffer.alloc(0)), undefined);
    assert.equal(binaryPlatform(Buffer.from('MZ but nothing else')), undefined);
  });
});
