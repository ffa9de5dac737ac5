import assert from 'node:assert/strict';
import { test } from 'node:test';
import { helpWidth, shortHelp } from './click-help.js';

test("shortHelp cuts a command's help as click does", () => {
  // Python llm's own `llm --help` lines, at 80 columns (a limit of 60 next to "embed-models").
  assert.equal(shortHelp('Store embeddings for multiple strings at once in the specified collection.', 60), 'Store embeddings for multiple strings at once in the...');
  assert.equal(shortHelp('Return top N similar IDs from a collection using cosine similarity.', 60), 'Return top N similar IDs from a collection using cosine...');
  assert.equal(shortHelp('Hold an ongoing chat with a model.', 60), 'Hold an ongoing chat with a model.');
  assert.equal(shortHelp('Execute a prompt\n\nDocumentation: https://llm.datasette.io/', 60), 'Execute a prompt');
  assert.equal(shortHelp('First sentence. Second sentence', 60), 'First sentence.');
  assert.equal(shortHelp('', 60), '');
  assert.equal(helpWidth(undefined), 78);
  assert.equal(helpWidth(200), 78);
  assert.equal(helpWidth(40), 50);
});
