// Gemini's Batch API (batch mode): the requests go up inlined in one batchGenerateContent
// call as {request, metadata: {key}}, the batch (a long-running operation, batches/ID) is
// polled until done, and its inlined responses are matched back by their metadata key.
import { ApiError, batchLimit, type BatchContext, type BatchLimits, type BatchRequest, type BatchResult, type BatchStatus, type BatchSubmission, providerFetch, type Response, splitBatchRequests } from 'llm-ts';
import { baseUrl, type GeminiPro } from './models.js';
import { buildRequestBody, replyEvents } from './request.js';

type Json = Record<string, any>;

/** Inlined requests are for batches under 20 MB in all. */
function limits(): BatchLimits {
  return { bytes: batchLimit('LLM_GEMINI_BATCH_MAX_BYTES', 20 * 1024 * 1024), overhead: 200 };
}

async function call(url: string, context: BatchContext, body?: string): Promise<Json> {
  const response = await providerFetch(
    url,
    { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json', 'x-goog-api-key': context.key ?? '' }, body },
    { provider: 'Gemini', secrets: [context.key], signal: context.signal },
  );
  const text = await response.text();
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new ApiError(`Gemini API returned a batch reply that is not JSON: ${text.slice(0, 200)}`, response.status, 'Gemini');
  }
}

export async function submitBatch(model: GeminiPro, requests: readonly BatchRequest[], context: BatchContext): Promise<BatchSubmission[]> {
  const groups = await splitBatchRequests(requests, limits(), async ({ customId, response }) => {
    const body = await buildRequestBody(model, response.prompt, context.signal);
    return { text: JSON.stringify({ request: body, metadata: { key: customId } }) };
  });
  const submissions: BatchSubmission[] = [];
  for (const [n, { entries, customIds: ids }] of groups.entries()) {
    const items = entries.map((e) => e.text);
    const batch = JSON.stringify({ display_name: `llm-map-${context.jobId}-${n + 1}`, input_config: { requests: { requests: '__ITEMS__' } } });
    const operation = await call(
      `${baseUrl()}/v1beta/models/${encodeURIComponent(model.geminiModelId)}:batchGenerateContent`,
      context,
      `{"batch": ${batch.replace('"__ITEMS__"', `[${items.join(',')}]`)}}`,
    );
    const name = operation.name ?? operation.metadata?.name;
    if (typeof name !== 'string') throw new ApiError('Gemini API error: the batch reply has no name', 200, 'Gemini');
    submissions.push({ batchId: name, customIds: ids, data: operation });
  }
  return submissions;
}

const STATES: Record<string, BatchStatus['state']> = {
  BATCH_STATE_SUCCEEDED: 'completed',
  BATCH_STATE_FAILED: 'failed',
  BATCH_STATE_CANCELLED: 'cancelled',
  BATCH_STATE_EXPIRED: 'expired',
};

export async function batchStatus(batchId: string, context: BatchContext): Promise<BatchStatus> {
  const operation = await call(`${baseUrl()}/v1beta/${batchId.split('/').map(encodeURIComponent).join('/')}`, context);
  const metadata = operation.metadata ?? {};
  const stats = metadata.batchStats ?? {};
  const state = STATES[String(metadata.state)] ?? (operation.done && operation.error ? 'failed' : 'in_progress');
  return {
    batchId,
    state,
    counts: {
      total: Number(stats.requestCount) || 0,
      completed: Number(stats.successfulRequestCount) || 0,
      failed: Number(stats.failedRequestCount) || 0,
    },
    message: operation.error?.message,
    data: operation,
  };
}

export async function* batchResults(model: GeminiPro, status: BatchStatus, context: BatchContext): AsyncGenerator<BatchResult> {
  const data = status.data as Json;
  const output: Json = data.response ?? data.metadata?.output ?? {};
  const inlined: Json[] = output.inlinedResponses?.inlinedResponses ?? [];
  for (const entry of inlined) {
    const customId = String(entry.metadata?.key ?? '');
    if (entry.error) {
      yield { customId, error: `Gemini API error ${entry.error.code ?? ''}: ${entry.error.message ?? 'unknown error'}`.replace('  ', ' ') };
    } else if (entry.response) {
      const reply = entry.response as Json;
      yield { customId, events: (_response: Response) => [...replyEvents({ ...reply, llm_ts_batch: status.batchId }, context.key)] };
    }
  }
}
