import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import type { ModelEvent } from './events.js';
import { type ExecuteContext, Model } from './model.js';
import type { Prompt } from './prompt.js';
import { AbortedError, LlmError, OptionsError, StreamInterruptedError, UsageError } from '../errors.js';

class Scripted extends Model {
  readonly modelId = 'scripted';
  calls = 0;
  override readonly optionsSpec = { temperature: { type: 'number' as const, min: 0, max: 2 } };
  constructor(private readonly script: (prompt: Prompt) => ModelEvent[], private readonly failAfter?: number) {
    super();
  }
  async *execute(prompt: Prompt, _context: ExecuteContext): AsyncIterable<ModelEvent> {
    this.calls++;
    const events = this.script(prompt);
    for (let i = 0; i < events.length; i++) {
      if (this.failAfter !== undefined && i === this.failAfter) throw new Error('socket hang up');
      yield events[i]!;
    }
  }
}

describe('Response', () => {
  let user: ReturnType<typeof tempUserDir>;
  before(() => (user = tempUserDir()));
  after(() => user.cleanup());

  test('is lazy, replays on second iteration, and sends one request', async () => {
    const model = new Scripted(() => [
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo' },
      { type: 'usage', input: 3, output: 2 },
    ]);
    const response = model.prompt('hi');
    assert.equal(model.calls, 0);
    const first: string[] = [];
    for await (const chunk of response) first.push(chunk);
    const second: string[] = [];
    for await (const chunk of response) second.push(chunk);
    assert.deepEqual(first, ['Hel', 'lo']);
    assert.deepEqual(second, first);
    assert.equal(await response.text(), 'Hello');
    assert.equal(String(response), 'Hello');
    assert.deepEqual(await response.usage(), { input: 3, output: 2, details: null });
    assert.equal(model.calls, 1);
    assert.match(response.id, /^[0-9a-z]{26}$/);
  });

  test('String() before completion is a clear error', () => {
    const model = new Scripted(() => [{ type: 'text', text: 'x' }]);
    const response = model.prompt('hi');
    assert.throws(() => String(response), /has not finished yet/);
  });

  test('onDone runs after completion, or at once when already done', async () => {
    const model = new Scripted(() => [{ type: 'text', text: 'x' }]);
    const response = model.prompt('hi');
    const seen: string[] = [];
    await response.onDone(async (r) => {
      seen.push(`done:${r.textSoFar}`);
    });
    assert.deepEqual(seen, []);
    await response.text();
    assert.deepEqual(seen, ['done:x']);
    await response.onDone((r) => seen.push(`late:${r.textSoFar}`));
    assert.deepEqual(seen, ['done:x', 'late:x']);
  });

  test('options: flat and nested, coercion, conflicts and unknown names', () => {
    const model = new Scripted(() => []);
    assert.equal(model.prompt('x', { temperature: '0.5' }).prompt.options.temperature, 0.5);
    assert.equal(model.prompt('x', { options: { temperature: 1 } }).prompt.options.temperature, 1);
    assert.throws(() => model.prompt('x', { temperature: 1, options: { temperature: 1 } }), /temperature was given both/);
    assert.throws(() => model.prompt('x', { temprature: 1 }), (e: unknown) => OptionsError.is(e) && /Unknown option temprature.*valid options: temperature/.test((e as Error).message));
    assert.throws(() => model.prompt('x', { temperature: 5 }), /temperature: expected a number between 0 and 2, got 5/);
    assert.throws(() => model.prompt('x', { temperature: 'hot' }), /got "hot"/);
  });

  test('a stream cut midway keeps its text and rejects text()', async () => {
    const model = new Scripted(() => [
      { type: 'text', text: 'partial ' },
      { type: 'text', text: 'answer' },
      { type: 'text', text: 'never' },
    ], 2);
    const response = model.prompt('hi');
    await assert.rejects(response.text(), (e: unknown) => StreamInterruptedError.is(e) && LlmError.is(e));
    assert.equal(response.textSoFar, 'partial answer');
    assert.equal(response.done, false);
  });

  test('conversations carry earlier turns', async () => {
    const model = new Scripted((prompt) => [{ type: 'text', text: `turns:${prompt.messages.length}` }]);
    const conversation = model.conversation();
    assert.equal(await conversation.prompt('one', { system: 'be brief' }).text(), 'turns:2');
    const second = conversation.prompt('two');
    assert.equal(await second.text(), 'turns:4');
    assert.deepEqual(second.prompt.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.equal(conversation.responses.length, 2);
  });

  test('an AbortSignal aborts mid-stream: the text so far is kept, text() rejects with AbortedError', async () => {
    const controller = new AbortController();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    class Slow extends Model {
      readonly modelId = 'slow';
      async *execute(): AsyncIterable<ModelEvent> {
        yield { type: 'text', text: 'first ' };
        await gate; // a provider that ignores the signal: the Response must still stop
        yield { type: 'text', text: 'never' };
      }
    }
    const response = new Slow().prompt('hi', { signal: controller.signal });
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const chunk of response) {
          seen.push(chunk);
          controller.abort();
        }
      })(),
      (e: unknown) => AbortedError.is(e) && (e as Error).message === 'The request was aborted after 6 characters',
    );
    release();
    assert.deepEqual(seen, ['first ']);
    assert.equal(response.textSoFar, 'first ');
    await assert.rejects(response.text(), (e: unknown) => AbortedError.is(e));
  });

  test('an already-aborted signal: nothing is sent', async () => {
    const model = new Scripted(() => [{ type: 'text', text: 'x' }]);
    await assert.rejects(model.prompt('hi', { signal: AbortSignal.abort() }).text(), { message: 'The request was aborted' });
    assert.equal(model.calls, 0);
  });

  test('json(), usage() details, duration and start time; toString is a UsageError before done', async () => {
    const model = new Scripted(() => [
      { type: 'text', text: 'ok' },
      { type: 'response_json', json: { id: 'x', content: 'ok' } },
      { type: 'usage', input: 1, output: 2, details: { cached_tokens: 1 } },
      { type: 'resolved_model', model: 'scripted-2024' },
    ]);
    const response = model.prompt('hi');
    assert.throws(() => response.toString(), (e: unknown) => UsageError.is(e));
    assert.equal(response.durationMs(), undefined);
    assert.deepEqual(await response.json(), { id: 'x', content: 'ok' });
    assert.deepEqual(await response.usage(), { input: 1, output: 2, details: { cached_tokens: 1 } });
    assert.equal(response.resolvedModel, 'scripted-2024');
    assert.equal(typeof response.durationMs(), 'number');
    assert.match(response.datetimeUtc()!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
    assert.ok(response.startedAt instanceof Date);
  });

  test('the API key never reaches json() or an error message', async () => {
    const key = 'sk-very-secret-0123456789';
    class Leaky extends Model {
      readonly modelId = 'leaky';
      override needsKey = 'leaky';
      async *execute(_p: Prompt, context: ExecuteContext): AsyncIterable<ModelEvent> {
        yield { type: 'response_json', json: { echoed: `Bearer ${context.key}` } };
        yield { type: 'text', text: 'ok' };
      }
    }
    class Failing extends Leaky {
      override async *execute(_p: Prompt, context: ExecuteContext): AsyncIterable<ModelEvent> {
        throw new Error(`request to https://example.com/?key=${context.key} failed`);
      }
    }
    assert.deepEqual(await new Leaky().prompt('x', { key }).json(), { echoed: 'Bearer [REDACTED]' });
    const nested = { headers: [{ name: 'auth', value: `${key} and ${key}` }], [`k-${key}`]: 1, other: 'clean', n: 3 };
    class Nested extends Model {
      readonly modelId = 'nested';
      override needsKey = 'nested';
      async *execute(): AsyncIterable<ModelEvent> {
        yield { type: 'response_json', json: nested };
      }
    }
    assert.deepEqual(await new Nested().prompt('x', { key }).json(), {
      headers: [{ name: 'auth', value: '[REDACTED] and [REDACTED]' }],
      'k-[REDACTED]': 1,
      other: 'clean',
      n: 3,
    });
    // Without the key in it, the payload is handed back as it is.
    const clean = { id: 'x', choices: [{ text: 'fine' }] };
    class Clean extends Model {
      readonly modelId = 'clean';
      override needsKey = 'clean';
      async *execute(): AsyncIterable<ModelEvent> {
        yield { type: 'response_json', json: clean };
      }
    }
    assert.equal(await new Clean().prompt('x', { key }).json(), clean);
    const error = await new Failing().prompt('x', { key }).text().catch((e: unknown) => e as Error);
    assert.equal(error.message, 'request to https://example.com/?key=[REDACTED] failed');
    assert.ok(!String(error.stack).includes(key));
  });

  test('concurrent readers share one request; async onDone callbacks are awaited once', async () => {
    const model = new Scripted(() => [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }]);
    const response = model.prompt('hi');
    const order: string[] = [];
    await response.onDone(async () => {
      await new Promise((r) => setTimeout(r, 1));
      order.push('callback');
    });
    const [one, two] = await Promise.all([response.text(), response.text()]);
    order.push('read');
    assert.equal(one, 'ab');
    assert.equal(two, 'ab');
    assert.equal(model.calls, 1);
    assert.deepEqual(order, ['callback', 'read']);
  });

  test('a callback that throws rejects that read, but the response stays done', async () => {
    const model = new Scripted(() => [{ type: 'text', text: 'fine' }]);
    const response = model.prompt('hi');
    await response.onDone(() => {
      throw new Error('callback failed');
    });
    await assert.rejects(response.text(), { message: 'callback failed' });
    assert.equal(response.done, true);
    assert.equal(await response.text(), 'fine');
  });

  test('a second iteration while the first is still streaming sees every chunk, once', async () => {
    const model = new Scripted(() => [{ type: 'text', text: '1' }, { type: 'text', text: '2' }, { type: 'text', text: '3' }]);
    const response = model.prompt('hi');
    const a: string[] = [];
    const b: string[] = [];
    await Promise.all([
      (async () => {
        for await (const c of response) a.push(c);
      })(),
      (async () => {
        for await (const c of response) b.push(c);
      })(),
    ]);
    assert.deepEqual(a, ['1', '2', '3']);
    assert.deepEqual(b, ['1', '2', '3']);
    assert.equal(model.calls, 1);
  });

  test('system prompts reach the provider as a system message', async () => {
    const model = new Scripted((prompt) => [{ type: 'text', text: `${prompt.system}|${prompt.messages[0]!.role}` }]);
    assert.equal(await model.prompt('hi', { system: 'be brief' }).text(), 'be brief|system');
  });
});

