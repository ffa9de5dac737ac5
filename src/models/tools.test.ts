import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import type { ModelEvent } from './events.js';
import { type ExecuteContext, Model } from './model.js';
import type { Prompt } from './prompt.js';
import type { Message } from './messages.js';
import { CancelToolCall, PauseChain, Tool, ToolOutput } from './tools.js';
import { Attachment } from './attachment.js';

/** A model that answers each request with the next script entry, recording the prompts it got. */
class ToolModel extends Model {
  readonly modelId = 'toolmodel';
  override supportsTools = true;
  readonly prompts: Prompt[] = [];
  constructor(private readonly script: ModelEvent[][]) {
    super();
  }
  async *execute(prompt: Prompt, _context: ExecuteContext): AsyncIterable<ModelEvent> {
    this.prompts.push(prompt);
    yield* this.script[this.prompts.length - 1] ?? [{ type: 'text', text: 'done' }];
  }
}

const call = (name: string, args: Record<string, unknown>, id?: string): ModelEvent => ({ type: 'tool_call', name, arguments: args, toolCallId: id });

const multiply = new Tool({
  name: 'multiply',
  description: 'Multiply two numbers.',
  inputSchema: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, required: ['a', 'b'] },
  implementation: ({ a, b }) => a * b,
});

describe('tools', () => {
  let user: ReturnType<typeof tempUserDir>;
  before(() => (user = tempUserDir()));
  after(() => user.cleanup());

  test('toolCalls() and executeToolCalls(): results as Python makes them', async () => {
    const model = new ToolModel([
      [
        call('multiply', { a: 3, b: 4 }, 'c1'),
        call('missing', {}, 'c2'),
        call('boom', {}, 'c3'),
        call('obj', {}, 'c4'),
        call('multiply', { a: 1, b: 1 }),
      ],
    ]);
    const boom = Tool.function(() => {
      throw new TypeError('bad input');
    }, { name: 'boom' });
    const obj = Tool.function(() => ({ b: [1, 'é'], a: null }), { name: 'obj' });
    const response = model.prompt('go', { tools: [multiply, boom, obj] });
    const calls = await response.toolCalls();
    assert.deepEqual(calls.slice(0, 2), [
      { name: 'multiply', arguments: { a: 3, b: 4 }, toolCallId: 'c1' },
      { name: 'missing', arguments: {}, toolCallId: 'c2' },
    ]);
    assert.match(calls[4]!.toolCallId!, /^tc_[0-9a-z]{26}$/);
    const results = await response.executeToolCalls();
    assert.deepEqual(
      results.map((r) => r.output),
      ['12', 'Error: tool "missing" does not exist', 'Error: bad input', '{"b": [1, "\\u00e9"], "a": null}', '1'],
    );
    assert.equal(results[1]!.exception?.name, 'KeyError');
    assert.equal(results[2]!.exception?.message, 'bad input');
    assert.equal(results[0]!.exception, undefined);
  });

  test('beforeCall may cancel a call; afterCall sees each result; async implementations are awaited', async () => {
    const model = new ToolModel([[call('multiply', { a: 2, b: 5 }, 'x'), call('slow', {}, 'y')]]);
    const slow = Tool.function(async () => new ToolOutput('late', [new Attachment({ content: new Uint8Array([1]), type: 'image/png' })]), { name: 'slow' });
    const seen: string[] = [];
    const results = await model.prompt('go', { tools: [multiply, slow] }).executeToolCalls({
      beforeCall: (tool, toolCall) => {
        seen.push(`before ${tool?.name} ${toolCall.toolCallId}`);
        if (toolCall.name === 'multiply') throw new CancelToolCall('not today');
      },
      afterCall: (_tool, toolCall, result) => void seen.push(`after ${toolCall.name} ${result.output}`),
    });
    assert.deepEqual(seen, ['before multiply x', 'before slow y', 'after slow late']);
    assert.equal(results[0]!.output, 'Cancelled: not today');
    assert.equal(results[0]!.exception?.name, 'CancelToolCall');
    assert.equal(results[1]!.attachments?.length, 1);
  });

  test('chain() runs the loop, sends calls and results in the history, and stops without tool calls', async () => {
    const model = new ToolModel([
      [{ type: 'text', text: 'Let me check.' }, call('multiply', { a: 6, b: 7 }, 'call_1')],
      [call('multiply', { a: 42, b: 2 }, 'call_2')],
      [{ type: 'text', text: 'It is 84.' }],
    ]);
    const chain = model.chain('What is 6*7*2?', { tools: [multiply], system: 'Be brief' });
    assert.equal(await chain.text(), 'Let me check. It is 84.');
    assert.equal(chain.responsesSoFar.length, 3);
    assert.equal(model.prompts.length, 3);
    const last = model.prompts[2]!;
    assert.deepEqual(
      last.messages.map((m) => [m.role, m.parts.map((p) => p.type).join(',')]),
      [
        ['system', 'text'],
        ['user', 'text'],
        ['assistant', 'text,tool_call'],
        ['tool', 'tool_result'],
        ['assistant', 'tool_call'],
        ['tool', 'tool_result'],
      ],
    );
    assert.deepEqual(last.messages[5]!.parts[0], { type: 'tool_result', name: 'multiply', output: '84', toolCallId: 'call_2' });
    assert.equal(last.tools[0], multiply);
  });

  test('a chain resumes a history that ends in unanswered tool calls: they run first, their results go with the prompt', async () => {
    const model = new ToolModel([[{ type: 'text', text: 'So 42 and 12.' }]]);
    const history: Message[] = [
      { role: 'user', parts: [{ type: 'text', text: 'Multiply twice' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', name: 'multiply', arguments: { a: 6, b: 7 }, toolCallId: 'c1' },
          { type: 'tool_call', name: 'multiply', arguments: { a: 3, b: 4 }, toolCallId: 'c2' },
        ],
      },
      // c1 was answered before the chain was cut short; c2 was not.
      { role: 'tool', parts: [{ type: 'tool_result', name: 'multiply', output: '42', toolCallId: 'c1' }] },
    ];
    const ran: string[] = [];
    const chain = model.conversation({ messages: history }).chain('', {
      tools: [multiply],
      afterCall: (_tool, toolCall) => void ran.push(toolCall.toolCallId!),
    });
    assert.equal(await chain.text(), 'So 42 and 12.');
    assert.deepEqual(ran, ['c2'], 'only the unanswered call ran');
    const sent = model.prompts[0]!.messages;
    assert.deepEqual(sent.at(-1), { role: 'tool', parts: [{ type: 'tool_result', name: 'multiply', output: '12', toolCallId: 'c2' }] });
    assert.equal(sent.length, 4);

    // Nothing pending: the history ends with the model's answer.
    const plain = new ToolModel([[{ type: 'text', text: 'ok' }]]);
    await plain.conversation({ messages: [...history.slice(0, 1), { role: 'assistant', parts: [{ type: 'text', text: 'hi' }] }] }).chain('next', { tools: [multiply] }).text();
    assert.equal(plain.prompts[0]!.messages.at(-1)!.role, 'user');
  });

  test('the chain limit stops a model that keeps calling tools', async () => {
    const model = new ToolModel(Array.from({ length: 10 }, (_, i) => [call('multiply', { a: i, b: 1 }, `c${i}`)]));
    await assert.rejects(model.chain('loop', { tools: [multiply], chainLimit: 3 }).text(), { message: 'Chain limit of 3 exceeded.' });
    assert.equal(model.prompts.length, 3);
    const unlimited = new ToolModel(Array.from({ length: 7 }, (_, i) => [call('multiply', { a: i, b: 1 }, `c${i}`)]));
    assert.equal(await unlimited.chain('loop', { tools: [multiply], chainLimit: 0 }).text(), 'done');
    assert.equal(unlimited.prompts.length, 8);
    await assert.rejects(new ToolModel(Array.from({ length: 9 }, () => [call('multiply', { a: 1, b: 1 })])).chain('x', { tools: [multiply] }).text(), {
      message: 'Chain limit of 5 exceeded.',
    });
  });

  test('PauseChain propagates out of the chain with the call that paused', async () => {
    const pause = Tool.function(() => {
      throw new PauseChain('wait for a human');
    }, { name: 'ask' });
    const model = new ToolModel([[call('multiply', { a: 1, b: 2 }, 'a'), call('ask', {}, 'b')]]);
    const error = await model.chain('x', { tools: [multiply, pause] }).text().then(() => undefined, (e) => e);
    assert.ok(error instanceof PauseChain);
    assert.equal(error.toolCall?.toolCallId, 'b');
    assert.deepEqual(error.toolResults.map((r: { output: string }) => r.output), ['2']);
  });

  test('a conversation keeps its tools and replays calls and results on the next prompt', async () => {
    const model = new ToolModel([[call('multiply', { a: 2, b: 3 }, 'k')], [{ type: 'text', text: 'six' }], [{ type: 'text', text: 'ok' }]]);
    const conversation = model.conversation({ tools: [multiply] });
    assert.equal(await conversation.chain('2*3?').text(), 'six');
    await conversation.prompt('thanks').text();
    const roles = model.prompts[2]!.messages.map((m) => m.role);
    assert.deepEqual(roles, ['user', 'assistant', 'tool', 'assistant', 'user']);
    assert.equal(model.prompts[2]!.tools[0], multiply);
  });

  test('toolResults given to prompt() are sent as a tool message before the text', async () => {
    const model = new ToolModel([[{ type: 'text', text: 'ok' }]]);
    await model
      .prompt('and?', { tools: [multiply], toolResults: [{ name: 'multiply', output: '6', toolCallId: 'z', exception: new Error('x') }] })
      .text();
    assert.deepEqual(model.prompts[0]!.messages, [
      { role: 'tool', parts: [{ type: 'tool_result', name: 'multiply', output: '6', toolCallId: 'z', exception: 'Error: x' }] },
      { role: 'user', parts: [{ type: 'text', text: 'and?' }] },
    ]);
  });

  test('a model without supportsTools refuses tools with Python\'s message', () => {
    class Plain extends ToolModel {
      override supportsTools = false;
    }
    assert.throws(() => new Plain([]).prompt('x', { tools: [multiply] }), { message: 'Plain: toolmodel does not support tools' });
  });

  test('Tool.hash() is Python\'s: sha256 of json.dumps of name, description, input_schema (and plugin)', async () => {
    // Python: hashlib.sha256(json.dumps({"name": "llm_version", "description": "Return the installed version of llm",
    //   "input_schema": {"properties": {}, "type": "object"}}).encode()).hexdigest()
    const tool = new Tool({ name: 'llm_version', description: 'Return the installed version of llm', inputSchema: { properties: {}, type: 'object' } });
    const { createHash } = await import('node:crypto');
    const expected = createHash('sha256')
      .update('{"name": "llm_version", "description": "Return the installed version of llm", "input_schema": {"properties": {}, "type": "object"}}')
      .digest('hex');
    assert.equal(tool.hash(), expected);
    tool.plugin = 'llm';
    assert.notEqual(tool.hash(), expected);
  });

  test('a zod input schema is converted when the response starts', async () => {
    const { z } = await import('zod');
    const tool = new Tool({ name: 'greet', inputSchema: z.object({ name: z.string() }), implementation: ({ name }) => `hi ${name}` });
    assert.throws(() => tool.inputSchema, /resolveSchema/);
    const model = new ToolModel([[{ type: 'text', text: 'ok' }]]);
    await model.prompt('x', { tools: [tool] }).text();
    assert.deepEqual((tool.inputSchema as { properties: unknown }).properties, { name: { type: 'string' } });
  });
  test("a tool call's providerMetadata stays on its part and reaches the next request", async () => {
    const signed: ModelEvent = { ...call('multiply', { a: 2, b: 5 }, 'c1'), providerMetadata: { gemini: { thoughtSignature: 'sig' } } } as ModelEvent;
    const model = new ToolModel([[signed]]);
    await model.chain('go', { tools: [multiply] }).text();
    const assistant = model.prompts[1]!.messages.find((m) => m.role === 'assistant')!;
    assert.deepEqual(assistant.parts[0], {
      type: 'tool_call',
      name: 'multiply',
      arguments: { a: 2, b: 5 },
      toolCallId: 'c1',
      serverExecuted: undefined,
      providerMetadata: { gemini: { thoughtSignature: 'sig' } },
    });
  });
});
