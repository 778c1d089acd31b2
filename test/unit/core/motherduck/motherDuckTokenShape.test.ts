/**
 * What the token check says about values that are not MotherDuck tokens (the JSON header of a
 * JWT, placeholders, connection strings), and how the question before storing a token names where
 * it came from. Tokens are generated (test/support/fakeTokens); no message repeats a value.
 */
import * as assert from 'node:assert/strict';
import { checkMotherDuckToken, tokenQuestion } from '../../../../src/core/motherduck/motherDuck';
import { fakeMotherDuckToken } from '../../../support/fakeTokens';

const TOKEN = fakeMotherDuckToken('motherDuckTokenShape.test', 'md-shape');
const [, PAYLOAD, SIGNATURE] = TOKEN.split('.');
const NOT_A_TOKEN = /^This is not a MotherDuck token: a token is a JWT, three base64url parts separated by dots \(starting with eyJ\)\./;
const PLACEHOLDER = /^This looks like a placeholder from a template, not a MotherDuck token\./;

/** The token's payload and signature behind another JSON header. */
function withHeader(header: string): string {
  return `${Buffer.from(header).toString('base64url')}.${PAYLOAD}.${SIGNATURE}`;
}

/** The check's error for `raw`, asserting it refused the value without repeating it. */
function refusal(raw: string): string {
  const checked = checkMotherDuckToken(raw);
  assert.equal(checked.ok, false, raw);
  const error = checked.ok ? '' : checked.error;
  assert.ok(!error.includes(raw), `${error} repeats the value`);
  return error;
}

describe('MotherDuck token shape', () => {
  it('takes a JWT whose header names its algorithm', () => {
    assert.deepEqual(checkMotherDuckToken(TOKEN), { ok: true, token: TOKEN, notes: [] });
    assert.equal(checkMotherDuckToken(withHeader('{"alg":"EdDSA"}')).ok, true);
  });

  it('refuses three base64url parts whose header is JSON without a textual alg', () => {
    for (const header of ['{}', '{"typ":"JWT"}', '{"alg":256}', '{"alg":null}', 'null', '"HS256"', '42', '[]']) {
      assert.match(refusal(withHeader(header)), NOT_A_TOKEN, header);
    }
  });

  it('calls a value without dots a placeholder only when it reads like one', () => {
    assert.match(refusal('your-motherduck-token'), PLACEHOLDER);
    assert.match(refusal('0a1b2c3d4e5f'), NOT_A_TOKEN);
    assert.match(refusal('your.token.here'), NOT_A_TOKEN, 'dotted: a broken JWT, not a template word');
  });

  it('calls a value a connection string when it starts with md: or motherduck:, or carries motherduck_token=', () => {
    const CONNECTION = /^Paste only the token, not a connection string/;
    assert.match(refusal('md:my_db'), CONNECTION);
    assert.match(refusal('MotherDuck:my_db'), CONNECTION);
    assert.match(refusal(`duckdb:///md.db?motherduck_token=${TOKEN}`), CONNECTION);
    assert.match(refusal('cmd:run'), NOT_A_TOKEN, 'md: inside a word starts no connection string');
  });

  it('the question names where a token came from, never the token', () => {
    const stored = fakeMotherDuckToken('motherDuckTokenShape.test stored', 'md-stored');
    const replaceByCommand = tokenQuestion({ kind: 'argument' }, stored, TOKEN);
    assert.deepEqual(replaceByCommand && replaceByCommand !== 'same' ? [replaceByCommand.message, replaceByCommand.confirmLabel] : [], [
      'Replace the stored MotherDuck token with the one given by a command (another extension, a link or a script)?',
      'Replace Token',
    ]);
    const storeFromFile = tokenQuestion({ kind: 'environment', name: 'MOTHERDUCK_TOKEN', source: '/w/.env', workspaceFile: true }, undefined, TOKEN);
    assert.deepEqual(storeFromFile && storeFromFile !== 'same' ? [storeFromFile.message, storeFromFile.confirmLabel] : [], [
      'Store the MotherDuck token from MOTHERDUCK_TOKEN in /w/.env in the OS keychain?',
      'Store Token',
    ]);
    assert.match(storeFromFile && storeFromFile !== 'same' ? storeFromFile.detail : '', /^The token is kept in the OS keychain for every window: .* Store it only if it is your own token\.$/);
    assert.equal(tokenQuestion({ kind: 'typed' }, stored, TOKEN), undefined, 'typed into Set MotherDuck Token: no question');
    for (const question of [replaceByCommand, storeFromFile]) assert.ok(!JSON.stringify(question).includes(TOKEN) && !JSON.stringify(question).includes(stored));
  });
});
