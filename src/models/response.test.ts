import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import type { ModelEvent } from './events.js';
import { type ExecuteContext, Model } from './model.js';
import type { Prompt } from './prompt.js';
import { LlmError, OptionsError, StreamInterruptedError } from '../errors.js';

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
});
