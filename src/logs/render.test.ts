import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenUsageString } from './render.js';

test('token usage details are shown as Python json.dumps writes them, strings untouched', () => {
  assert.equal(tokenUsageString(1200, 3, { cached_tokens: 2 }), '1,200 input, 3 output, {"cached_tokens": 2}');
  // A string holding "[ " or "{ " once lost its space to the old formatting.
  assert.equal(tokenUsageString(1, 2, { note: '[ a { b ]', list: [1, 2] }), '1 input, 2 output, {"note": "[ a { b ]", "list": [1, 2]}');
  assert.equal(tokenUsageString(1, null, {}), '1 input');
});
