import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import { getModel } from '../plugins/registry.js';
import { Attachment } from './attachment.js';
import type { ModelEvent } from './events.js';
import { Message, Part, assistant, system, toolMessage, user } from './messages.js';
import { type ExecuteContext, Model } from './model.js';
import type { Prompt } from './prompt.js';
import { Response } from './response.js';
import type { ResponseDict } from './serialization.js';
import { Tool } from './tools.js';

/** Answers each prompt with the next script, and keeps the messages it was sent. */
class Scripted extends Model {
  readonly modelId = 'scripted';
  override supportsTools = true;
  override attachmentTypes: ReadonlySet<string> = new Set(['image/png']);
  override readonly optionsSpec = { temperature: { type: 'number' as const, min: 0, max: 2 } };
  readonly sent: Prompt[] = [];
  constructor(private readonly scripts: ModelEvent[][]) {
    super();
  }
  async *execute(prompt: Prompt, _context: ExecuteContext): AsyncIterable<ModelEvent> {
    this.sent.push(prompt);
    yield* this.scripts.shift() ?? [{ type: 'text', text: 'ok' }];
  }
}

const dicts = (messages: readonly Message[]) => messages.map((m) => Message.toDict(m));

/**
 * What Python llm 0.32's `response.to_dict()` writes for a prompt with a system prompt, an
 * option and an image, answered with reasoning (an Anthropic signature), text and a tool
 * call; hand-written from llm/parts.py and llm/models.py's `_response_to_dict`.
 */
const PYTHON_DICT = `{"model": "scripted", "prompt": {"messages": [{"role": "system", "parts": [{"type": "text", "text": "Be brief."}]}, {"role": "user", "parts": [{"type": "text", "text": "find weather"}, {"type": "attachment", "attachment": {"type": "image/png", "content": "iVBORw0KGgo="}}]}], "options": {"temperature": 0.5}, "system": "Be brief."}, "messages": [{"role": "assistant", "parts": [{"type": "reasoning", "text": "thinking...", "provider_metadata": {"anthropic": {"signature": "sig-abc"}}}, {"type": "text", "text": "Let me look."}, {"type": "tool_call", "name": "search", "arguments": {"q": "weather"}, "tool_call_id": "c1"}]}], "id": "01k0abcdefghjkmnpqrstvwxyz", "usage": {"input": 5, "output": 7, "details": {"cached_tokens": 1}}, "datetime_utc": "2026-01-02T10:00:00.123000+00:00"}`;

describe('Messages, stream events and dicts (the Python API page newer half)', () => {
  let dir: ReturnType<typeof tempUserDir>;
  before(() => (dir = tempUserDir()));
  after(() => dir.cleanup());

  test('user(), assistant(), system() and { role, content } build the messages sent', async () => {
    const model = new Scripted([]);
    const png = new Attachment({ content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), type: 'image/png' });
    const response = model.prompt('And Germany?', {
      messages: [
        system('You are a helpful pirate.'),
        user('What is the capital of France?', png),
        { role: 'assistant', content: 'Paris, matey.' },
        { role: 'user', content: ['Hmm', { type: 'text', text: '?' }] },
      ],
    });
    await response.text();
    assert.deepEqual(dicts(model.sent[0]!.messages), [
      { role: 'system', parts: [{ type: 'text', text: 'You are a helpful pirate.' }] },
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'What is the capital of France?' },
          { type: 'attachment', attachment: { type: 'image/png', content: 'iVBORw0KGgo=' } },
        ],
      },
      { role: 'assistant', parts: [{ type: 'text', text: 'Paris, matey.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Hmm' }, { type: 'text', text: '?' }] },
      { role: 'user', parts: [{ type: 'text', text: 'And Germany?' }] },
    ]);
    assert.deepEqual(assistant('hi', { providerMetadata: { x: 1 } }), {
      role: 'assistant',
      parts: [{ type: 'text', text: 'hi' }],
      providerMetadata: { x: 1 },
    });
    assert.deepEqual(toolMessage({ type: 'tool_result', name: 's', output: 'r', toolCallId: 'c1' }).role, 'tool');
    assert.throws(() => user(42 as never), /Cannot convert 42 to an llm Part/);
  });

  test('Part and Message dicts are Python to_dict() JSON, and load back', () => {
    const message: Message = {
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: '', redacted: true },
        { type: 'text', text: 'answer', providerMetadata: {} },
        { type: 'tool_call', name: 'search', arguments: { q: 'x' }, toolCallId: 'c1', serverExecuted: true },
        { type: 'tool_result', name: 'search', output: 'r', toolCallId: 'c1', exception: 'KeyError: x', attachments: [new Attachment({ url: 'https://e.com/a.png' })] },
      ],
      providerMetadata: { anthropic: { signature: 'abc' } },
    };
    const dict = Message.toDict(message);
    assert.equal(
      JSON.stringify(dict),
      '{"role":"assistant","parts":[{"type":"reasoning","text":"","redacted":true},{"type":"text","text":"answer"},{"type":"tool_call","name":"search","arguments":{"q":"x"},"tool_call_id":"c1","server_executed":true},{"type":"tool_result","name":"search","output":"r","tool_call_id":"c1","exception":"KeyError: x","attachments":[{"url":"https://e.com/a.png"}]}],"provider_metadata":{"anthropic":{"signature":"abc"}}}',
    );
    const back = Message.fromDict(JSON.parse(JSON.stringify(dict)));
    assert.deepEqual(Message.toDict(back), dict);
    assert.equal((back.parts[3] as { attachments: Attachment[] }).attachments[0]!.url, 'https://e.com/a.png');
    assert.deepEqual(Part.fromDict({ type: 'tool_call', name: 't', arguments: {}, tool_call_id: 'c9' }), {
      type: 'tool_call',
      name: 't',
      arguments: {},
      toolCallId: 'c9',
    });
    assert.throws(() => Part.fromDict({ type: 'nonsense' } as never), /^UsageError: Unknown part type: 'nonsense'$/m);
  });

  test('streamEvents() yields typed events with part indexes, live and replayed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    class Slow extends Scripted {
      override async *execute(): AsyncIterable<ModelEvent> {
        yield { type: 'reasoning', text: 'Think' };
        yield { type: 'reasoning', text: 'ing' };
        await gate;
        yield { type: 'text', text: 'Hel' };
        yield { type: 'usage', input: 1, output: 2 };
        yield { type: 'text', text: 'lo' };
        yield { type: 'tool_call', name: 'upper', arguments: { text: 'a' }, toolCallId: 'c1' };
        yield { type: 'tool_result', name: 'web', output: 'found', toolCallId: 's1', serverExecuted: true };
        yield { type: 'text', text: '!' };
      }
    }
    const response = new Slow([]).prompt('hi');
    const iterator = response.streamEvents();
    // Reasoning arrives while the model still holds back its text.
    const first = await iterator.next();
    assert.deepEqual(first.value, { type: 'reasoning', chunk: 'Think', partIndex: 0, messageIndex: 0 });
    release();
    const live = [first.value];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) live.push(next.value);
    const expected = [
      { type: 'reasoning', chunk: 'Think', partIndex: 0, messageIndex: 0 },
      { type: 'reasoning', chunk: 'ing', partIndex: 0, messageIndex: 0 },
      { type: 'text', chunk: 'Hel', partIndex: 1, messageIndex: 0 },
      { type: 'text', chunk: 'lo', partIndex: 1, messageIndex: 0 },
      { type: 'tool_call_name', chunk: 'upper', partIndex: 2, messageIndex: 0, toolCallId: 'c1' },
      { type: 'tool_call_args', chunk: '{"text":"a"}', partIndex: 2, messageIndex: 0, toolCallId: 'c1' },
      { type: 'tool_result', chunk: 'found', partIndex: 3, messageIndex: 0, toolName: 'web', toolCallId: 's1', serverExecuted: true },
      { type: 'text', chunk: '!', partIndex: 4, messageIndex: 0 },
    ];
    assert.deepEqual(live, expected);
    const replayed = [];
    for await (const event of response.streamEvents()) replayed.push(event);
    assert.deepEqual(replayed, expected);
    // One part per part index, as messages() assembles them.
    const [message] = await response.messages();
    assert.deepEqual(
      message!.parts.map((p) => p.type),
      ['reasoning', 'text', 'tool_call', 'tool_result', 'text'],
    );
    assert.equal(await response.text(), 'Hello!');
  });

  test('messages() runs the response if it has not run', async () => {
    const model = new Scripted([[{ type: 'text', text: 'answer' }]]);
    const response = model.prompt('q');
    assert.deepEqual(dicts(await response.messages()), [{ role: 'assistant', parts: [{ type: 'text', text: 'answer' }] }]);
    assert.equal(model.sent.length, 1);
  });

  test('toDict() runs the response and writes Python to_dict() keys in order', async () => {
    const model = new Scripted([
      [
        { type: 'reasoning', text: 'thinking...', providerMetadata: { anthropic: { signature: 'sig-abc' } } },
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_call', name: 'search', arguments: { q: 'weather' }, toolCallId: 'c1' },
        { type: 'usage', input: 5, output: 7, details: { cached_tokens: 1 } },
      ],
    ]);
    const png = new Attachment({ content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), type: 'image/png' });
    const response = model.prompt('find weather', { system: 'Be brief.', temperature: '0.5', attachments: [png] });
    const dict = await response.toDict();
    const python = JSON.parse(PYTHON_DICT) as ResponseDict;
    assert.match(dict.datetime_utc!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
    assert.equal(dict.id, response.id);
    assert.equal(
      JSON.stringify({ ...dict, id: python.id, datetime_utc: python.datetime_utc }),
      JSON.stringify(python),
    );
  });

  test('a dict as Python writes it loads, replays and round-trips', async () => {
    const model = new Scripted([]);
    const rebuilt = Response.fromDict(JSON.parse(PYTHON_DICT), { model });
    assert.equal(rebuilt.id, '01k0abcdefghjkmnpqrstvwxyz');
    assert.ok(rebuilt.done);
    assert.equal(await rebuilt.text(), 'Let me look.');
    assert.deepEqual(await rebuilt.toolCalls(), [{ name: 'search', arguments: { q: 'weather' }, toolCallId: 'c1' }]);
    assert.deepEqual(await rebuilt.usage(), { input: 5, output: 7, details: { cached_tokens: 1 } });
    assert.deepEqual(rebuilt.prompt.options, { temperature: 0.5 });
    assert.equal(rebuilt.prompt.system, 'Be brief.');
    const reasoning = (await rebuilt.messages())[0]!.parts[0]!;
    assert.deepEqual(reasoning, { type: 'reasoning', text: 'thinking...', providerMetadata: { anthropic: { signature: 'sig-abc' } } });
    const png = rebuilt.prompt.messages[1]!.parts[1] as { attachment: Attachment };
    assert.deepEqual([...(await png.attachment.contentBytes())], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // Python does not restore the start time, so a rebuilt response writes none.
    const { datetime_utc: _dropped, ...expected } = JSON.parse(PYTHON_DICT) as ResponseDict;
    assert.equal(JSON.stringify(await rebuilt.toDict()), JSON.stringify(expected));
    assert.equal(model.sent.length, 0);
  });

  test('reply() on a rebuilt response runs its pending tool calls and continues', async () => {
    const model = new Scripted([[{ type: 'text', text: 'It is sunny.' }]]);
    const rebuilt = Response.fromDict(JSON.parse(PYTHON_DICT), { model });
    const search = new Tool({ name: 'search', implementation: ({ q }) => `results for ${q}` });
    const next = await rebuilt.reply(null, { tools: [search] });
    assert.equal(await next.text(), 'It is sunny.');
    assert.deepEqual(dicts(next.prompt.messages).slice(2), [
      ...(JSON.parse(PYTHON_DICT) as ResponseDict).messages,
      { role: 'tool', parts: [{ type: 'tool_result', name: 'search', output: 'results for weather', tool_call_id: 'c1' }] },
    ]);
    // Python's reply() sends the options only when given again.
    assert.deepEqual(next.prompt.options, {});
  });

  test('reply(text) continues a conversation; toolResults skip running the calls', async () => {
    const model = new Scripted([
      [{ type: 'text', text: 'a1' }],
      [{ type: 'text', text: 'a2' }],
      [{ type: 'tool_call', name: 'upper', arguments: {}, toolCallId: 'c7' }],
      [{ type: 'text', text: 'done' }],
    ]);
    const first = model.prompt('q1');
    const rebuilt = Response.fromDict(JSON.parse(JSON.stringify(await first.toDict())), { model });
    const second = await rebuilt.reply('q2');
    await second.text();
    assert.deepEqual(dicts(second.prompt.messages), dicts([user('q1'), assistant('a1'), user('q2')]));

    let ran = 0;
    const upper = new Tool({ name: 'upper', implementation: () => String(++ran) });
    const asking = model.prompt('go', { tools: [upper] });
    const answered = await asking.reply('and?', { toolResults: [{ name: 'upper', output: 'given', toolCallId: 'c7' }] });
    await answered.text();
    assert.equal(ran, 0);
    assert.deepEqual(dicts(answered.prompt.messages).slice(2), [
      { role: 'tool', parts: [{ type: 'tool_result', name: 'upper', output: 'given', tool_call_id: 'c7' }] },
      { role: 'user', parts: [{ type: 'text', text: 'and?' }] },
    ]);
    assert.deepEqual(answered.prompt.tools.map((t) => t.name), ['upper']);
  });

  test('fromDict() without a model finds it by id', async () => {
    getModel('echo');
    const dict: ResponseDict = { model: 'echo', prompt: { messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }] }, messages: [{ role: 'assistant', parts: [{ type: 'text', text: 'hello' }] }] };
    const rebuilt = Response.fromDict(dict);
    assert.equal(rebuilt.model.modelId, 'echo');
    assert.equal(await rebuilt.text(), 'hello');
    assert.deepEqual(dicts(await rebuilt.messages()), dict.messages);
  });
});
