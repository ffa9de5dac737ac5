// `tool_choice` and `n` through llm serve, with the real `openai` SDK as the client and a
// loopback fake of OpenAI's API as the upstream; every choice checked in logs.db.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import OpenAI from 'openai';
import { writeChatCompletion, writeChatStream } from '../../test/helpers/openai-replies.js';
import { serveOverUpstream } from '../../test/helpers/serve-fixture.js';
import { MAX_CHOICES } from './chat-completions.js';

const fx = serveOverUpstream('sk-upstream-secret-0123456789');
let client: OpenAI;

beforeEach(() => {
  client = new OpenAI({ baseURL: `${fx.served.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  let count = 0;
  // Each upstream request answers with its own number, so the choices differ.
  fx.handler = (req, res) => {
    count++;
    if (req.json.stream) return writeChatStream(res, [`answer `, `${count}`]);
    return writeChatCompletion(res, `answer ${count}`);
  };
});

const weather = {
  type: 'function' as const,
  function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};
const ask: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];

describe('tool_choice', () => {
  test('each form reaches the upstream as OpenAI takes it', async () => {
    const choices: OpenAI.Chat.ChatCompletionToolChoiceOption[] = ['none', 'auto', 'required', { type: 'function', function: { name: 'weather' } }];
    for (const tool_choice of choices) await client.chat.completions.create({ model: 'gpt-4o-mini', messages: ask, tools: [weather], tool_choice });
    assert.deepEqual(
      fx.upstream.requests.map((r) => r.json.tool_choice),
      ['none', 'auto', 'required', { type: 'function', function: { name: 'weather' } }],
    );
  });

  test('the Responses API form too ({type: function, name})', async () => {
    await client.responses.create({
      model: 'gpt-4o-mini',
      input: 'Weather in Paris?',
      tools: [{ type: 'function', name: 'weather', parameters: { type: 'object', properties: {} }, strict: false }],
      tool_choice: { type: 'function', name: 'weather' },
    });
    assert.deepEqual(fx.upstream.requests[0]!.json.tool_choice, { type: 'function', function: { name: 'weather' } });
  });

  test('mistakes are a 400 in OpenAI shape, naming tool_choice or the tool', async () => {
    const refused = async (body: Record<string, unknown>, message: RegExp) =>
      assert.rejects(client.chat.completions.create({ model: 'gpt-4o-mini', messages: ask, ...body } as never), (error: any) => {
        assert.equal(error.status, 400);
        assert.equal(error.error.type, 'invalid_request_error');
        assert.match(error.message, message);
        return true;
      });
    await refused({ tools: [weather], tool_choice: 'sometimes' }, /^400 tool_choice must be "auto", "none", "required" or \{"type": "function", "function": \{"name": \.\.\.\}\}, not "sometimes"$/);
    await refused({ tools: [weather], tool_choice: { type: 'function', function: { name: 'lookup' } } }, /toolChoice names the tool "lookup", which is not among the tools given \(weather\)/);
    await refused({ tool_choice: 'required' }, /toolChoice "required" needs tools, and none were given/);
    await refused({ model: 'echo', tools: [weather], tool_choice: 'required' }, /Echo: echo does not support toolChoice/);
    assert.equal(fx.upstream.requests.length, 0);
  });

  test('"none" on a model that cannot be told so: it is offered no tools', async () => {
    await client.chat.completions.create({ model: 'echo', messages: ask, tools: [weather] });
    await client.chat.completions.create({ model: 'echo', messages: ask, tools: [weather], tool_choice: 'none' });
    assert.deepEqual(fx.served.logged().map((row) => row.tools.map((tool) => tool.name)), [['weather'], []]);
  });
});

describe('n choices', () => {
  test('n=3: three completions, three choices by index, each logged as its own turn', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: ask, n: 3 });
    assert.equal(fx.upstream.requests.length, 3);
    assert.deepEqual(completion.choices.map((c) => c.index), [0, 1, 2]);
    const answers = completion.choices.map((c) => c.message.content);
    assert.deepEqual([...answers].sort(), ['answer 1', 'answer 2', 'answer 3']);
    const rows = fx.served.logged();
    assert.equal(rows.length, 3);
    assert.deepEqual(rows.map((r) => r.response).sort(), answers.sort());
    assert.ok(rows.every((r) => r.prompt === 'Weather in Paris?'));
    assert.equal(completion.id, `chatcmpl-${rows.map((r) => r.id).find((id) => completion.id.endsWith(id))}`);
    // Each completion was its own request: the usage is their sum.
    assert.equal(completion.usage!.prompt_tokens, 3 * 5);
  });

  test('streamed: the chunks of each choice carry its index; the SDK puts them together', async () => {
    const stream = client.chat.completions.stream({ model: 'gpt-4o-mini', messages: ask, n: 2, stream_options: { include_usage: true } });
    const finished = new Set<number>();
    stream.on('chunk', (chunk) => {
      for (const choice of chunk.choices) if (choice.finish_reason) finished.add(choice.index);
    });
    const final = await stream.finalChatCompletion();
    assert.deepEqual([...finished].sort(), [0, 1]);
    assert.deepEqual(final.choices.map((c) => c.message.content).sort(), ['answer 1', 'answer 2']);
    assert.deepEqual(final.choices.map((c) => c.finish_reason), ['stop', 'stop']);
    assert.deepEqual(fx.served.logged().map((r) => r.response).sort(), ['answer 1', 'answer 2']);
  });

  test(`n outside 1..${MAX_CHOICES} is a 400 naming n; nothing is sent upstream`, async () => {
    for (const n of [0, MAX_CHOICES + 1, 1.5]) {
      await assert.rejects(client.chat.completions.create({ model: 'gpt-4o-mini', messages: ask, n }), (error: any) => {
        assert.equal(error.status, 400);
        assert.equal(error.error.param, 'n');
        assert.equal(error.message, `400 n must be a whole number from 1 to ${MAX_CHOICES}, not ${n}`);
        return true;
      });
    }
    assert.equal(fx.upstream.requests.length, 0);
  });

  test('one failing choice fails the request with the upstream error; the others are still logged', async () => {
    let count = 0;
    fx.handler = (_req, res) => {
      if (++count === 2) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'Bad things', type: 'invalid_request_error' } }));
        return;
      }
      writeChatCompletion(res, 'fine');
    };
    await assert.rejects(client.chat.completions.create({ model: 'gpt-4o-mini', messages: ask, n: 2 }), (error: any) => error.status === 400 && /Bad things/.test(error.message));
    assert.deepEqual(fx.served.logged().map((r) => r.response), ['fine']);
  });
});
