// Daily and monthly budgets through the built binary, against a loopback OpenAI server.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { writeChatStream } from '../helpers/openai-replies.js';
import { loopbackCli } from './loopback.js';

// Each prompt costs $0.003264 on gpt-4.1 (2000 in, 1024 of them cached, 100 out).
const USAGE = { prompt_tokens: 2000, completion_tokens: 100, total_tokens: 2100, prompt_tokens_details: { cached_tokens: 1024 } };

const cli = loopbackCli((_req, res) => writeChatStream(res, ['Hi'], USAGE as never, 'gpt-4.1'));

const llm = cli.llm;

describe('llm budget', () => {
  test('warns past 80 %, refuses at 100 % unless --force', async () => {
    assert.equal((await llm(['budget'])).stdout, 'No budget set. Set one with: llm budget set --daily 5 --monthly 50\n');
    assert.equal((await llm(['budget', 'set', '--daily', '0.004', '--monthly', '10'])).stdout, 'Budget: $0.004 a day, $10.00 a month\n');
    const first = await llm(['-m', 'gpt-4.1', 'one']);
    assert.equal(first.stderr, '');
    const second = await llm(['-m', 'gpt-4.1', 'two']);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stderr, 'Warning: $0.003264 of the daily budget of $0.004 spent today (81%)\n');
    const third = await llm(['-m', 'gpt-4.1', 'three']);
    assert.equal(third.code, 1);
    assert.equal(third.stderr, 'Error: The daily budget of $0.004 is spent ($0.006528 today); use --force to send anyway\n');
    assert.equal(cli.server.requests.length, 2);
    const forced = await llm(['-m', 'gpt-4.1', '--force', 'four']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(cli.server.requests.length, 3);
    assert.equal(forced.stderr, 'Warning: $0.006528 of the daily budget of $0.004 spent today (163%)\n');
    const shown = await llm(['budget']);
    assert.equal(shown.stdout, 'daily: $0.009792 of $0.004 spent today (244%)\nmonthly: $0.009792 of $10.00 spent this month (0%)\n');
    assert.equal((await llm(['budget', 'clear'])).stdout, 'Budget removed\n');
    assert.equal((await llm(['-m', 'gpt-4.1', 'five'])).code, 0);
  });

  test('bad values are one line', async () => {
    const bad = await llm(['budget', 'set', '--daily', 'plenty']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, "Error: Invalid value for '--daily': 'plenty' is not a number of USD\n");
    assert.equal((await llm(['budget', 'set'])).stderr, 'Error: Give --daily, --monthly or both\n');
  });
});
