// `--max-cost` against a loopback server speaking OpenAI's Chat Completions wire format:
// a tool chain that would go on forever is stopped mid-way, before the request that
// would pass the limit; a prompt over the limit is never sent.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { writeToolCalls } from '../helpers/openai-replies.js';
import { loopbackCli } from './loopback.js';


/** A streamed reply asking for llm_version, with the usage of a large prompt (100,000 in, 50 out). */
const USAGE = { prompt_tokens: 100_000, completion_tokens: 50, total_tokens: 100_050 };
const writeCostlyToolCall = (res: ServerResponse, id: string) =>
  writeToolCalls(res, [{ name: 'llm_version', args: {}, id }], { model: 'gpt-4.1-2025-04-14', usage: USAGE });

const cli = loopbackCli((_req, res) => writeCostlyToolCall(res, `call_${cli.server.requests.length}`));

const llm = cli.llm;

describe('--max-cost', () => {
  test('stops a tool chain before the request that would pass it, with what it cost so far', async () => {
    // Each response costs $0.2004 (gpt-4.1: 100,000 × $2/M + 50 × $8/M); the next request
    // resends at least 100,050 tokens ($0.2001). After two responses: 0.4008 + 0.2001 > 0.50.
    const r = await llm(['-m', 'gpt-4.1', '-T', 'llm_version', '--cl', '0', '--max-cost', '0.50', 'Loop']);
    assert.equal(r.code, 1);
    assert.equal(cli.server.requests.length, 2);
    assert.equal(
      r.stderr,
      'Error: Stopped after 2 responses: cost so far $0.4008; the next request (about 100,050 input tokens, $0.2001) would pass --max-cost $0.5000\n',
    );
    // The second request carried the first tool result; the stopped call was never run.
    assert.equal(cli.server.requests[1]!.json.messages.at(-1).role, 'tool');
    const logged = JSON.parse((await llm(['logs', '--json', '-n', '0'])).stdout);
    assert.equal(logged.length, 2);
    assert.ok(Math.abs(logged.reduce((sum: number, row: { cost: { total: number } }) => sum + row.cost.total, 0) - 0.4008) < 1e-9);
  });

  test('a limit the chain stays within lets it run on', async () => {
    let calls = 0;
    cli.handler = (_req, res) => {
      calls++;
      if (calls < 3) return writeCostlyToolCall(res, `call_${calls}`);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const base = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1' };
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'Done' }, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
    };
    const r = await llm(['-m', 'gpt-4.1', '-T', 'llm_version', '--max-cost', '5', 'Loop']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(cli.server.requests.length, 3);
    assert.match(r.stdout, /Done/);
  });

  test('a prompt whose input alone would pass it is not sent (counted with the tokenizer: 50 + 6 framing)', async () => {
    const r = await llm(['-m', 'gpt-4.1', '--max-cost', '0.00001', 'x'.repeat(400)]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: Not sent: the prompt (about 56 input tokens, $0.000112) would pass --max-cost $0.00001\n');
    assert.equal(cli.server.requests.length, 0);
  });

  test('a model with no known price cannot keep a limit; a bad value is one line', async () => {
    const echo = await llm(['-m', 'echo', '--max-cost', '1', 'hi']);
    assert.equal(echo.code, 1);
    assert.equal(echo.stderr, 'Error: Not sent: no price is known for echo, so --max-cost $1.00 cannot be kept\n');
    const bad = await llm(['-m', 'gpt-4.1', '--max-cost', 'lots', 'hi']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, "Error: Invalid value for '--max-cost': 'lots' is not a number of USD\n");
    assert.equal(cli.server.requests.length, 0);
  });
});
