// The built-in echo model against Python's llm-echo plugin (tests/test_echo.py there).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tempUserDir } from '../../../test/helpers/user-dir.js';
import { Tool } from '../../models/tools.js';
import { Echo } from './echo-model.js';

describe('echo, as llm-echo', () => {
  let dir: ReturnType<typeof tempUserDir>;
  before(() => (dir = tempUserDir()));
  after(() => dir.cleanup());

  test('a prompt is answered with json.dumps(indent=2) of what was sent', async () => {
    const text = await new Echo().prompt('prompt ✓', { system: 'system' }).text();
    assert.equal(
      text,
      '{\n  "prompt": "prompt \\u2713",\n  "system": "system",\n  "attachments": [],\n  "stream": true,\n  "previous": []\n}',
    );
    const withOption = JSON.parse(await new Echo().prompt('prompt', { system: 'system', example_bool: true }).text());
    assert.deepEqual(withOption, { prompt: 'prompt', system: 'system', attachments: [], stream: true, previous: [], options: { example_bool: true } });
  });

  test('a conversation lists earlier prompts under previous, never the system prompt', async () => {
    const conversation = new Echo().conversation();
    await conversation.prompt('hi1', { system: 'system' }).text();
    const second = JSON.parse(await conversation.prompt('hi2').text());
    assert.deepEqual(second, { prompt: 'hi2', system: '', attachments: [], stream: true, previous: [{ prompt: 'hi1' }] });
  });

  test('a JSON prompt with tool_calls calls those tools; the results come back', async () => {
    const example = new Tool({ name: 'example', implementation: ({ input }) => `Example output for ${input}` });
    const hello = new Tool({ name: 'hello', implementation: () => 'Hello world' });
    const prompt = JSON.stringify({ tool_calls: [{ name: 'example', arguments: { input: 'test' } }, { name: 'hello' }], prompt: 'prompt' });
    const chain = new Echo().chain(prompt, { system: 'system', tools: [example, hello] });
    const responses = [];
    for await (const response of chain.responses()) responses.push(response);
    assert.equal(responses.length, 2);
    const calls = await responses[0]!.toolCalls();
    assert.deepEqual(calls.map(({ name, arguments: args }) => ({ name, args })), [
      { name: 'example', args: { input: 'test' } },
      { name: 'hello', args: {} },
    ]);
    assert.deepEqual(JSON.parse(await responses[0]!.text()).prompt, 'prompt');
    const ids = calls.map((c) => c.toolCallId);
    assert.deepEqual(JSON.parse(await responses[1]!.text()), {
      prompt: '',
      // Python 0.32's chain sends the system prompt with every response of the chain.
      system: 'system',
      attachments: [],
      stream: true,
      previous: [{ prompt }],
      tool_results: [
        { name: 'example', output: 'Example output for test', tool_call_id: ids[0] },
        { name: 'hello', output: 'Hello world', tool_call_id: ids[1] },
      ],
    });
    // The chain's typed events: text, then the two calls, then the second response's text.
    const types = [];
    for await (const event of chain.streamEvents()) if (event.type !== 'text') types.push([event.type, event.chunk]);
    assert.deepEqual(types, [
      ['tool_call_name', 'example'],
      ['tool_call_args', '{"input":"test"}'],
      ['tool_call_name', 'hello'],
      ['tool_call_args', '{}'],
    ]);
  });

  test('"raw" is answered as is', async () => {
    const text = await new Echo().prompt(JSON.stringify({ raw: 'this is the raw text', misc: 'Other stuff' }), { system: 'system' }).text();
    assert.equal(text, 'this is the raw text');
  });

  test('text that only looks like JSON is echoed as text', async () => {
    assert.equal(JSON.parse(await new Echo().prompt('{not json').text()).prompt, '{not json');
  });
});
