// The real `openai` SDK as a client of `llm serve`: echo (no network) and a loopback fake
// of OpenAI's API as the upstream, every exchange checked in logs.db.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, beforeEach, describe, test } from 'node:test';
import OpenAI from 'openai';
import { writeChatCompletion } from '../../test/helpers/openai-replies.js';
import { embedDemoPlugin } from '../../test/helpers/embed-demo.js';
import { registerPlugin } from '../plugins/registry.js';
import { serveOverUpstream } from '../../test/helpers/serve-fixture.js';

const fx = serveOverUpstream('sk-upstream-secret-0123456789', (_req, res) => writeChatCompletion(res, 'upstream says hi'));
let client: OpenAI;

before(() => registerPlugin(embedDemoPlugin()));
beforeEach(() => {
  client = new OpenAI({ baseURL: `${fx.served.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});

const echoed = (text: string | null | undefined) => JSON.parse(text ?? 'null');

describe('chat completions with the openai SDK', () => {
  test('a reply from echo, logged as a CLI prompt is', async () => {
    const completion = await client.chat.completions.create({
      model: 'echo',
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'Hello there' },
      ],
    });
    const answer = echoed(completion.choices[0]!.message.content);
    assert.equal(answer.prompt, 'Hello there');
    assert.equal(answer.system, 'Be brief');
    assert.equal(completion.choices[0]!.finish_reason, 'stop');
    assert.equal(completion.usage!.prompt_tokens, 4);
    const [row] = fx.served.logged();
    assert.equal(row!.model, 'echo');
    assert.equal(row!.prompt, 'Hello there');
    assert.equal(row!.system, 'Be brief');
    assert.equal(row!.response, completion.choices[0]!.message.content);
    assert.equal(completion.id, `chatcmpl-${row!.id}`);
  });

  test('streams, with usage when asked, and logs the whole answer', async () => {
    const stream = await client.chat.completions.create({
      model: 'echo',
      messages: [{ role: 'user', content: 'Stream me' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let pieces = 0;
    let usage;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.content;
      if (delta) {
        text += delta;
        pieces++;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    assert.ok(pieces > 1, 'arrives in pieces');
    assert.equal(echoed(text).prompt, 'Stream me');
    assert.equal(echoed(text).stream, true);
    assert.equal(usage!.prompt_tokens, 2);
    assert.equal(fx.served.logged()[0]!.response, text);
  });

  test('a history that continues a logged turn stays in its conversation', async () => {
    const first = await client.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'one' }] });
    const reply = first.choices[0]!.message.content!;
    const second = await client.chat.completions.create({
      model: 'echo',
      messages: [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: reply },
        { role: 'user', content: 'two' },
      ],
    });
    assert.deepEqual(echoed(second.choices[0]!.message.content).previous, [{ prompt: 'one' }]);
    const third = await client.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'unrelated' }] });
    assert.ok(third);
    const rows = fx.served.logged();
    assert.equal(rows.length, 3);
    assert.equal(rows[1]!.conversation_id, rows[0]!.conversation_id);
    assert.notEqual(rows[2]!.conversation_id, rows[0]!.conversation_id);
  });

  test('options: validated by the model (400 in OpenAI shape), model_options.json defaults applied', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'x' }], example_int: 'many' } as never),
      (error: any) => {
        assert.equal(error.status, 400);
        assert.equal(error.error.type, 'invalid_request_error');
        assert.match(error.message, /example_int/);
        return true;
      },
    );
    await assert.rejects(
      client.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'x' }], frobnicate: 1 } as never),
      (error: any) => error.status === 400 && /frobnicate/.test(error.message),
    );
    writeFileSync(join(fx.served.dir, 'model_options.json'), JSON.stringify({ echo: { example_int: 5, example_str: 'stored' } }));
    const completion = await client.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'x' }], example_str: 'given' } as never);
    assert.deepEqual(echoed(completion.choices[0]!.message.content).options, { example_int: 5, example_str: 'given' });
    assert.equal(fx.served.logged().length, 1, 'refused requests are not logged');
  });

  test('sampling settings a model does not take are ignored; ones it takes are checked', async () => {
    const ok = await client.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'x' }], temperature: 0.2 });
    assert.equal(echoed(ok.choices[0]!.message.content).options, undefined);
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], temperature: 7 }),
      (error: any) => error.status === 400 && /temperature/.test(error.message),
    );
    assert.equal(fx.upstream.requests.length, 0);
  });

  test('an unknown model is a 404 model_not_found', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }), (error: any) => {
      assert.equal(error.status, 404);
      assert.equal(error.code, 'model_not_found');
      assert.equal(error.message, '404 Unknown model: no-such-model');
      return true;
    });
  });

  test('response_format json_schema becomes the schema; images arrive as attachments', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex').toString('base64');
    const completion = await client.chat.completions.create({
      model: 'echo',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
          ],
        },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'person', schema } },
    });
    const answer = echoed(completion.choices[0]!.message.content);
    assert.deepEqual(answer.schema, schema);
    assert.equal(answer.attachments[0].type, 'image/png');
    const [row] = fx.served.logged();
    assert.deepEqual(row!.schema_json, schema);
    assert.equal(row!.attachments[0]!.type, 'image/png');
  });

  test('a model without attachments says so (400)', async () => {
    await assert.rejects(
      client.chat.completions.create({
        model: 'gpt-4',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }],
      }),
      (error: any) => error.status === 400 && /attachments/.test(error.message),
    );
  });

  test('tools: the call goes to the client, the result comes back, both turns logged in one conversation', async () => {
    fx.handler = (req, res) => {
      const last = req.json.messages[req.json.messages.length - 1];
      if (last.role === 'tool') return writeChatCompletion(res, `It is ${JSON.parse(last.content).temp} degrees`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          model: 'gpt-4o-mini',
          choices: [
            {
              index: 0,
              finish_reason: 'tool_calls',
              message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
            },
          ],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        }),
      );
    };
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      },
    ];
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, tools });
    const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
    assert.equal(first.choices[0]!.finish_reason, 'tool_calls');
    assert.equal(call.id, 'call_abc');
    assert.equal(call.function.name, 'weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });
    assert.deepEqual(fx.upstream.requests[0]!.json.tools[0].function.name, 'weather');
    messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: '{"temp": 21}' });
    const second = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, tools });
    assert.equal(second.choices[0]!.message.content, 'It is 21 degrees');
    const sent = fx.upstream.requests[1]!.json.messages;
    assert.deepEqual(sent.at(-1), { role: 'tool', tool_call_id: 'call_abc', content: '{"temp": 21}' });
    assert.equal(sent.at(-2).tool_calls[0].id, 'call_abc');
    const rows = fx.served.logged();
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.tool_calls[0]!.name, 'weather');
    assert.equal(rows[1]!.tool_results[0]!.output, '{"temp": 21}');
    assert.equal(rows[1]!.tool_results[0]!.name, 'weather');
    assert.equal(rows[1]!.conversation_id, rows[0]!.conversation_id);
  });

  test('a streamed tool call reaches a streaming client', async () => {
    fx.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const base = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini' };
      const send = (delta: unknown, finish: string | null = null) => res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
      send({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_s', type: 'function', function: { name: 'weather', arguments: '' } }] });
      send({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] });
      send({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] });
      send({}, 'tool_calls');
      res.end('data: [DONE]\n\n');
    };
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
    assert.equal(call.id, 'call_s');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Oslo' });
    assert.equal(final.choices[0]!.finish_reason, 'tool_calls');
  });

  test('an upstream refusal keeps its status and never shows the key', async () => {
    fx.handler = (req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${req.headers.authorization}`, type: 'invalid_request_error' } }));
    };
    const response = await fetch(`${fx.served.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    });
    const body = await response.text();
    assert.equal(response.status, 502);
    assert.ok(!body.includes('sk-upstream-secret-0123456789'), body);
    assert.deepEqual(Object.keys(JSON.parse(body).error).sort(), ['code', 'message', 'param', 'type']);
  });
});

describe('responses, embeddings and models with the openai SDK', () => {
  test('responses: text, then previous_response_id continues the conversation', async () => {
    const first = await client.responses.create({ model: 'echo', input: 'First question', instructions: 'Answer well' });
    const answer = echoed(first.output_text);
    assert.equal(answer.prompt, 'First question');
    assert.equal(answer.system, 'Answer well');
    const second = await client.responses.create({ model: 'echo', input: 'Second', previous_response_id: first.id });
    assert.deepEqual(echoed(second.output_text).previous, [{ prompt: 'First question' }]);
    const rows = fx.served.logged();
    assert.equal(rows.length, 2);
    assert.equal(rows[1]!.conversation_id, rows[0]!.conversation_id);
    assert.equal(first.id, `resp_${rows[0]!.id}`);
  });

  test('responses: streaming text deltas and a completed event', async () => {
    const stream = await client.responses.create({ model: 'echo', input: [{ role: 'user', content: 'Stream it' }], stream: true });
    let text = '';
    let completed: any;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    assert.equal(echoed(text).prompt, 'Stream it');
    assert.equal(completed.output[0].content[0].text, text);
    assert.equal(fx.served.logged()[0]!.response, text);
  });

  test('responses: a function call and its output', async () => {
    fx.handler = (req, res) => {
      const last = req.json.messages.at(-1);
      if (last.role === 'tool') return writeChatCompletion(res, 'Sunny');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: 'x', object: 'chat.completion', model: 'gpt-4o-mini',
        choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_r', type: 'function', function: { name: 'weather', arguments: '{}' } }] } }],
      }));
    };
    const tools = [{ type: 'function' as const, name: 'weather', parameters: { type: 'object', properties: {} }, strict: false }];
    const first = await client.responses.create({ model: 'gpt-4o-mini', input: 'Weather?', tools });
    const call = first.output.find((o) => o.type === 'function_call') as any;
    assert.equal(call.call_id, 'call_r');
    assert.equal(call.name, 'weather');
    const second = await client.responses.create({
      model: 'gpt-4o-mini',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: 'call_r', output: 'sunny, 25C' }],
      tools,
    });
    assert.equal(second.output_text, 'Sunny');
    assert.deepEqual(fx.upstream.requests[1]!.json.messages.at(-1), { role: 'tool', tool_call_id: 'call_r', content: 'sunny, 25C' });
  });

  test('responses: the reply says the tool_choice asked for (string forms and one function), streamed too', async () => {
    const tools = [{ type: 'function' as const, name: 'weather', parameters: { type: 'object', properties: {} }, strict: false }];
    const ask = (tool_choice?: any) => client.responses.create({ model: 'gpt-4o-mini', input: 'Weather?', tools, ...(tool_choice === undefined ? {} : { tool_choice }) });
    assert.equal((await ask()).tool_choice, 'auto');
    for (const choice of ['auto', 'none', 'required'] as const) assert.equal((await ask(choice)).tool_choice, choice);
    assert.deepEqual((await ask({ type: 'function', name: 'weather' })).tool_choice, { type: 'function', name: 'weather' });
    assert.deepEqual(fx.upstream.requests.at(-1)!.json.tool_choice, { type: 'function', function: { name: 'weather' } });
    const stream = await client.responses.create({ model: 'gpt-4o-mini', input: 'Weather?', tools, tool_choice: 'required', stream: true });
    const seen: [string, unknown][] = [];
    for await (const event of stream) if ('response' in event) seen.push([event.type, event.response.tool_choice]);
    assert.deepEqual(seen, [
      ['response.created', 'required'],
      ['response.in_progress', 'required'],
      ['response.completed', 'required'],
    ]);
  });

  test('embeddings: float and base64 (the SDK default) give the model\'s vectors', async () => {
    const result = await client.embeddings.create({ model: 'embed-demo', input: ['hello world', 'a bb ccc'] });
    assert.deepEqual(result.data[0]!.embedding.slice(0, 3), [5, 5, 0]);
    assert.deepEqual(result.data[1]!.embedding.slice(0, 4), [1, 2, 3, 0]);
    const floats = await client.embeddings.create({ model: 'demo', input: 'four', encoding_format: 'float' });
    assert.equal(floats.data[0]!.embedding.length, 16);
    assert.equal(floats.data[0]!.embedding[0], 4);
  });

  test('models: ids and aliases, chat and embedding', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    for (const id of ['echo', 'gpt-4o-mini', '4o-mini', 'embed-demo', 'demo']) assert.ok(ids.includes(id), id);
  });
});

describe('many clients at once', () => {
  test('50 concurrent streaming requests complete and are all logged', async () => {
    const runs = Array.from({ length: 50 }, async (_, i) => {
      const stream = await client.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: `request ${i}` }], stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return echoed(text).prompt;
    });
    const prompts = await Promise.all(runs);
    assert.deepEqual(prompts, Array.from({ length: 50 }, (_, i) => `request ${i}`));
    const rows = fx.served.logged();
    assert.equal(rows.length, 50);
    assert.deepEqual(new Set(rows.map((r) => r.prompt)), new Set(prompts));
  });
});
