import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BatchContext } from 'llm-ts';
import { providerFixture } from '../../../test/helpers/provider-fixture.ts';
import { ClaudeMessages } from './models.ts';

const KEY = 'sk-ant-batch-key-1234';
let polls = 0;

const fixture = providerFixture('ANTHROPIC_BASE_URL', (req, res) => {
  const json = (body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'POST' && req.path === '/v1/messages/batches') {
    return json({ id: 'msgbatch_1', type: 'message_batch', processing_status: 'in_progress', request_counts: { processing: 3 } });
  }
  if (req.method === 'GET' && req.path === '/v1/messages/batches/msgbatch_1') {
    polls++;
    const ended = polls > 1;
    return json({
      id: 'msgbatch_1',
      type: 'message_batch',
      processing_status: ended ? 'ended' : 'in_progress',
      request_counts: ended ? { processing: 0, succeeded: 1, errored: 1, canceled: 0, expired: 1 } : { processing: 3 },
      results_url: ended ? `${fixture.server.url}/v1/messages/batches/msgbatch_1/results` : null,
    });
  }
  if (req.method === 'GET' && req.path === '/v1/messages/batches/msgbatch_1/results') {
    res.writeHead(200, { 'content-type': 'application/binary' });
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-20250514',
      content: [{ type: 'text', text: 'Paris' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 11, output_tokens: 2, cache_read_input_tokens: 5 },
    };
    res.end(
      [
        { custom_id: 'row-0', result: { type: 'succeeded', message } },
        { custom_id: 'row-1', result: { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens too large' } } } },
        { custom_id: 'row-2', result: { type: 'expired' } },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n') + '\n',
    );
    return;
  }
  res.writeHead(404).end();
});

test('Message Batches: one POST with every request as {custom_id, params}, polled until ended, results matched by custom_id', async () => {
  const model = new ClaudeMessages('claude-sonnet-4-0', {});
  const api = model.batchApi();
  const context: BatchContext = { key: KEY, jobId: 'job1' };
  const prompts = ['Capital of France?', 'Capital of Peru?', 'Capital of Chad?'];
  const submissions = await api.submit(
    prompts.map((text, i) => ({ customId: `row-${i}`, response: model.prompt(text, { system: 'Be brief', stream: false, key: KEY }) })),
    context,
  );
  assert.deepEqual(submissions.map((s) => [s.batchId, s.customIds]), [['msgbatch_1', ['row-0', 'row-1', 'row-2']]]);
  const sent = fixture.server.requests[0]!;
  assert.equal(sent.headers['x-api-key'], KEY);
  assert.equal(sent.headers['anthropic-version'], '2023-06-01');
  assert.deepEqual(sent.json.requests[0], {
    custom_id: 'row-0',
    params: { model: 'claude-sonnet-4-0', messages: [{ role: 'user', content: [{ type: 'text', text: 'Capital of France?' }] }], temperature: 1, system: 'Be brief', max_tokens: 4096 },
  });
  assert.equal((await api.status('msgbatch_1', context)).state, 'in_progress');
  const status = await api.status('msgbatch_1', context);
  assert.equal(status.state, 'completed');
  assert.deepEqual(status.counts, { total: 3, completed: 1, failed: 1 });
  const results = [];
  for await (const result of api.results(status, context)) results.push(result);
  assert.deepEqual(results.map((r) => [r.customId, r.error]), [
    ['row-0', undefined],
    ['row-1', 'Anthropic API error: invalid_request_error: max_tokens too large'],
  ]);
  const response = model.prompt('Capital of France?', { stream: false, key: KEY });
  await response.prepare();
  response.useEvents(results[0]!.events!(response));
  assert.equal(await response.text(), 'Paris');
  assert.deepEqual(await response.usage(), { input: 11, output: 2, details: { cache_read_input_tokens: 5 } });
  assert.equal(response.resolvedModel, 'claude-sonnet-4-20250514');
  assert.equal((await response.json())!.llm_ts_batch, 'msgbatch_1');
});
