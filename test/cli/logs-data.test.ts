// `llm logs --data`, `--data-array`, `--data-key` and `--data-ids`: logged JSON answers
// decoded back out, one object per line or as an array.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeUserDir, runLlm } from './run.js';

let user: { dir: string; cleanup: () => void };
before(() => {
  user = makeUserDir();
});
after(() => user.cleanup());
const llm = (args: string[]) => runLlm(user.dir, args);

describe('llm logs --data', () => {
  test('each JSON answer decoded; an array; ids of the response and its conversation', async () => {
    // The echo model answers with a JSON object describing the prompt.
    assert.equal((await llm(['-m', 'echo', 'first'])).code, 0);
    assert.equal((await llm(['-m', 'echo', 'second'])).code, 0);
    const [older, newer] = JSON.parse((await llm(['logs', '-n', '2', '--json'])).stdout) as { id: string; conversation_id: string }[];

    // --data lists newest first (Python reverses the rows for everything but --data).
    const lines = (await llm(['logs', '-n', '2', '--data'])).stdout.trimEnd().split('\n');
    assert.deepEqual(lines.map((line) => (JSON.parse(line) as { prompt: string }).prompt), ['second', 'first']);

    const array = (await llm(['logs', '-n', '2', '--data-array'])).stdout;
    assert.deepEqual((JSON.parse(array) as { prompt: string }[]).map((item) => item.prompt), ['first', 'second']);

    const withIds = (await llm(['logs', '-n', '2', '--data-ids'])).stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    // Python writes the response id into conversation_id too (a known quirk); here it is the conversation's.
    assert.deepEqual(
      withIds.map((item) => [item.response_id, item.conversation_id]),
      [
        [older!.id, older!.conversation_id],
        [newer!.id, newer!.conversation_id],
      ],
    );
    assert.notEqual(newer!.id, newer!.conversation_id);
  });

  test('--data-key takes the list under that key, one item per line', async () => {
    // The echo answer's "previous" is a list of objects once the conversation has history.
    assert.equal((await llm(['-m', 'echo', '-c', 'third'])).code, 0);
    const r = await llm(['logs', '-n', '1', '--data-key', 'previous']);
    assert.equal(r.code, 0, r.stderr);
    const items = r.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(items, [{ prompt: 'second' }]);
  });
});
