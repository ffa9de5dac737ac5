import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractFencedCodeBlock, inlineCode, tokenUsageMarkdown, tokenUsageString } from './render.js';

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
