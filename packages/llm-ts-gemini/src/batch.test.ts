import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BatchContext } from 'llm-ts';
import { providerFixture } from '../../../test/helpers/provider-fixture.js';
import { GeminiPro } from './models.js';

const KEY = 'gemini-batch-key-1234';
let polls = 0;

const fixture = providerFixture('GEMINI_BASE_URL', (req, res) => {
  const json = (body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'POST' && req.path === '/v1beta/models/gemini-2.5-flash:batchGenerateContent') {
    return json({ name: 'batches/abc123', metadata: { '@type': 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch', name: 'batches/abc123', state: 'BATCH_STATE_PENDING' } });
  }
  if (req.method === 'GET' && req.path === '/v1beta/batches/abc123') {
    polls++;
    if (polls === 1) return json({ name: 'batches/abc123', metadata: { name: 'batches/abc123', state: 'BATCH_STATE_RUNNING', batchStats: { requestCount: '2', pendingRequestCount: '2' } } });
    return json({
      name: 'batches/abc123',
      done: true,
      metadata: { name: 'batches/abc123', state: 'BATCH_STATE_SUCCEEDED', batchStats: { requestCount: '2', successfulRequestCount: '1', failedRequestCount: '1' } },
      response: {
        '@type': 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput',
        inlinedResponses: {
          inlinedResponses: [
            {
              response: {
                candidates: [{ content: { parts: [{ text: 'Lima' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
                usageMetadata: { promptTokenCount: 6, candidatesTokenCount: 1, totalTokenCount: 7 },
                modelVersion: 'gemini-2.5-flash',
              },
              metadata: { key: 'row-0' },
            },
            { error: { code: 400, message: 'Request contains an invalid argument.' }, metadata: { key: 'row-1' } },
          ],
        },
      },
    });
  }
  res.writeHead(404).end();
});

test('batch mode: requests inlined with their keys in one batchGenerateContent, polled until done, answers matched by key', async () => {
  const model = new GeminiPro('gemini-2.5-flash');
  const api = model.batchApi();
  const context: BatchContext = { key: KEY, jobId: 'job1' };
  const submissions = await api.submit(
    ['Capital of Peru?', 'Capital of Chad?'].map((text, i) => ({ customId: `row-${i}`, response: model.prompt(text, { stream: false, key: KEY }) })),
    context,
  );
  assert.deepEqual(submissions.map((s) => [s.batchId, s.customIds]), [['batches/abc123', ['row-0', 'row-1']]]);
  const sent = fixture.server.requests[0]!;
  assert.equal(sent.headers['x-goog-api-key'], KEY);
  assert.equal(sent.json.batch.display_name, 'llm-map-job1-1');
  const first = sent.json.batch.input_config.requests.requests[0];
  assert.deepEqual(first.metadata, { key: 'row-0' });
  assert.deepEqual(first.request.contents, [{ role: 'user', parts: [{ text: 'Capital of Peru?' }] }]);
  assert.equal((await api.status('batches/abc123', context)).state, 'in_progress');
  const status = await api.status('batches/abc123', context);
  assert.equal(status.state, 'completed');
  assert.deepEqual(status.counts, { total: 2, completed: 1, failed: 1 });
  const results = [];
  for await (const result of api.results(status, context)) results.push(result);
  assert.deepEqual(results.map((r) => [r.customId, r.error]), [
    ['row-0', undefined],
    ['row-1', 'Gemini API error 400: Request contains an invalid argument.'],
  ]);
  const response = model.prompt('Capital of Peru?', { stream: false, key: KEY });
  await response.prepare();
  response.useEvents(results[0]!.events!(response));
  assert.equal(await response.text(), 'Lima');
  assert.deepEqual(await response.usage(), { input: 6, output: 1, details: { candidatesTokenCount: 1 } });
  assert.equal((await response.json())!.llm_ts_batch, 'batches/abc123');
});
