// The tool loop offline: the echo model calls the tools a JSON prompt names (as llm-echo does).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeUserDir, runLlm } from './run.js';

describe('llm -m echo with -T', () => {
  let user: { dir: string; cleanup: () => void };
  before(() => (user = makeUserDir()));
  after(() => user.cleanup());

  test('{"tool_calls": [{"name": "llm_version"}]} runs llm_version and sends its result back', async () => {
    const r = await runLlm(user.dir, ['-m', 'echo', '-T', 'llm_version', '{"tool_calls": [{"name": "llm_version"}]}']);
    assert.equal(r.code, 0, r.stderr);
    const version = (await runLlm(user.dir, ['--version'])).stdout.trim().split(' ').pop();
    // The chain's two answers, with the space the CLI puts between responses that would run together.
    const second = JSON.parse(r.stdout.slice(r.stdout.indexOf('\n} {') + 3));
    assert.equal(second.prompt, '');
    assert.deepEqual(second.previous, [{ prompt: '{"tool_calls": [{"name": "llm_version"}]}' }]);
    assert.equal(second.tool_results.length, 1);
    assert.equal(second.tool_results[0].name, 'llm_version');
    assert.equal(second.tool_results[0].output, version);
    assert.match(second.tool_results[0].tool_call_id, /^tc_[0-9a-z]{26}$/);
    const logged = JSON.parse((await runLlm(user.dir, ['logs', '-n', '1', '--json'])).stdout);
    assert.equal(logged[0].tool_results[0].output, version);
  });
});
