import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFencedCodeBlock, inlineCode, tokenUsageMarkdown, tokenUsageString, truncateString } from './render.js';

test('token usage details are shown as Python json.dumps writes them, strings untouched', () => {
  assert.equal(tokenUsageString(1200, 3, { cached_tokens: 2 }), '1,200 input, 3 output, {"cached_tokens": 2}');
  // A string holding "[ " or "{ " once lost its space to the old formatting.
  assert.equal(tokenUsageString(1, 2, { note: '[ a { b ]', list: [1, 2] }), '1 input, 2 output, {"note": "[ a { b ]", "list": [1, 2]}');
  assert.equal(tokenUsageString(1, null, {}), '1 input');
});

test("Markdown token usage: details in a code span long enough for the backticks inside (Python's _inline_code)", () => {
  assert.equal(tokenUsageMarkdown(5, 1, { cached_tokens: 2 }), '5 input, 1 output, `{"cached_tokens": 2}`');
  assert.equal(tokenUsageMarkdown(5, 1, { note: 'a ` b' }), '5 input, 1 output, ``{"note": "a ` b"}``');
  assert.equal(tokenUsageMarkdown(null, null, { a: 1 }), '`{"a": 1}`');
  assert.equal(tokenUsageMarkdown(5, 1, {}), '5 input, 1 output');
  assert.equal(inlineCode('`x'), '`` `x ``');
});

test('a closing fence may be followed by spaces, as in Python', () => {
  assert.equal(extractFencedCodeBlock('```\none\n```   \ntext'), 'one\n');
  assert.equal(extractFencedCodeBlock('````\nhas ``` inside\n````\n'), 'has ``` inside\n');
});

test("truncateString gives what Python's truncate_string gives (its test cases), counting characters, not UTF-16 units", () => {
  const cases: [string | null, number, boolean, boolean, string | null][] = [
    ['Hello, world!', 100, false, false, 'Hello, world!'],
    ['Hello, world!', 5, false, false, 'He...'],
    ['', 10, false, false, ''],
    [null, 10, false, false, null],
    ['Hello   world!', 100, true, false, 'Hello world!'],
    ['Hello \n\t world!', 100, true, false, 'Hello world!'],
    ['Hello   world!', 5, true, false, 'He...'],
    ['Hello, world!', 10, false, true, 'He... d!'],
    ['Hello, world!', 7, false, false, 'Hell...'],
    ['Hello   world!', 10, true, true, 'He... d!'],
    ['Hello \n\t world!', 12, true, true, 'Hello world!'],
    ['123456', 5, false, false, '12...'],
    ['A'.repeat(200), 10, false, true, 'AA... AA'],
    ['123456789', 9, false, true, '123456789'],
    ['1234567890', 9, false, true, '12... 90'],
    ['1234567890', 8, false, true, '12345...'],
    ['012345678901234', 14, true, true, '0123... 1234'],
    ['abcdefghijklmnopqrstuvwxyz', 12, false, true, 'abc... xyz'],
    // Python counts code points: an emoji is one character and is never cut in half.
    ['🦩'.repeat(20), 10, false, false, '🦩🦩🦩🦩🦩🦩🦩...'],
    ['🦩'.repeat(20), 10, false, true, '🦩🦩... 🦩🦩'],
    ['🦩'.repeat(10), 10, false, false, '🦩'.repeat(10)],
  ];
  for (const [text, max, normalize, keepEnd, expected] of cases) {
    assert.equal(truncateString(text, max, normalize, keepEnd), expected, `${JSON.stringify(text)}, ${max}, ${normalize}, ${keepEnd}`);
  }
});
