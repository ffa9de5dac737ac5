// Anthropic's Message Batches API (https://docs.anthropic.com/en/api/creating-message-batches):
// the requests go up in one JSON body, the batch is polled until it has ended, and its
// results file (JSONL, one line per request) is matched back by custom_id.
import {
  ApiError,
  batchLimit,
  type BatchContext,
  type BatchLimits,
  type BatchRequest,
  type BatchResult,
  type BatchStatus,
  type BatchSubmission,
  providerFetch,
  type Response,
  splitBatchRequests,
} from 'llm-ts';
import { anthropicBaseUrl, type ClaudeMessages } from './models.js';
import { ANTHROPIC_VERSION, buildRequest, messageEvents, usesSchemaTool } from './request.js';

type Json = Record<string, any>;

/** Anthropic's limits for one batch: 100,000 requests and 256 MB. */
function limits(): BatchLimits {
  return {
    requests: batchLimit('LLM_ANTHROPIC_BATCH_MAX_REQUESTS', 100_000),
    bytes: batchLimit('LLM_ANTHROPIC_BATCH_MAX_BYTES', 256 * 1024 * 1024),
    overhead: 20, // {"requests": [...]}
  };
}

function headers(context: BatchContext, betas: readonly string[] = []): Record<string, string> {
  const result: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'anthropic-version': ANTHROPIC_VERSION,
    'x-api-key': context.key ?? '',
  };
  if (betas.length) result['anthropic-beta'] = [...new Set(betas)].join(',');
  return result;
}

async function call(url: string, context: BatchContext, init: { method: string; body?: string; betas?: string[] }) {
  return providerFetch(
    url,
    { method: init.method, headers: headers(context, init.betas), body: init.body },
    { provider: 'Anthropic', secrets: [context.key], signal: context.signal },
  );
}

async function json(url: string, context: BatchContext, init: { method: string; body?: string; betas?: string[] }): Promise<Json> {
  const response = await call(url, context, init);
  const text = await response.text();
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new ApiError(`Anthropic API returned a batch reply that is not JSON: ${text.slice(0, 200)}`, response.status, 'Anthropic');
  }
}

export async function submitBatch(model: ClaudeMessages, requests: readonly BatchRequest[], context: BatchContext): Promise<BatchSubmission[]> {
  const groups = await splitBatchRequests(requests, limits(), async ({ customId, response }) => {
    const built = await buildRequest(model, response.prompt, false, context.signal);
    return { text: JSON.stringify({ custom_id: customId, params: built.body }), betas: built.betas };
  });
  const submissions: BatchSubmission[] = [];
  for (const { entries, customIds: ids } of groups) {
    const batch = await json(`${anthropicBaseUrl()}/v1/messages/batches`, context, {
      method: 'POST',
      body: `{"requests": [${entries.map((e) => e.text).join(',')}]}`,
      betas: entries.flatMap((e) => e.betas),
    });
    if (typeof batch.id !== 'string') throw new ApiError('Anthropic API error: the batch reply has no id', 200, 'Anthropic');
    submissions.push({ batchId: batch.id, customIds: ids, data: batch });
  }
  return submissions;
}

export async function batchStatus(batchId: string, context: BatchContext): Promise<BatchStatus> {
  const batch = await json(`${anthropicBaseUrl()}/v1/messages/batches/${encodeURIComponent(batchId)}`, context, { method: 'GET' });
  const counts = batch.request_counts ?? {};
  const total = ['processing', 'succeeded', 'errored', 'canceled', 'expired'].reduce((sum, k) => sum + (Number(counts[k]) || 0), 0);
  return {
    batchId,
    // An ended batch may hold canceled or expired requests: they have no answer and are sent again.
    state: batch.processing_status === 'ended' ? 'completed' : 'in_progress',
    counts: { total, completed: Number(counts.succeeded) || 0, failed: Number(counts.errored) || 0 },
    data: batch,
  };
}

export async function* batchResults(model: ClaudeMessages, status: BatchStatus, context: BatchContext): AsyncGenerator<BatchResult> {
  const url = status.data.results_url;
  if (typeof url !== 'string' || !url) return;
  const text = await (await call(url, context, { method: 'GET' })).text();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let entry: Json;
    try {
      entry = JSON.parse(line) as Json;
    } catch {
      continue;
    }
    const customId = String(entry.custom_id ?? '');
    const result = entry.result ?? {};
    if (result.type === 'succeeded' && result.message) {
      const message = { ...result.message, llm_ts_batch: status.batchId };
      yield { customId, events: (response: Response) => [...messageEvents(model, response.prompt, message, usesSchemaTool(model, response.prompt))] };
    } else if (result.type === 'errored') {
      const inner = result.error?.error ?? result.error ?? {};
      yield { customId, error: `Anthropic API error: ${inner.type ? `${inner.type}: ` : ''}${inner.message ?? 'unknown error'}` };
    }
    // canceled and expired requests have no answer: their rows go back to pending.
  }
}
