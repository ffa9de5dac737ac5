// OpenAI's Batch API (https://platform.openai.com/docs/guides/batch): the requests go up as
// a JSONL file (/v1/files, purpose "batch"), a batch is created over it (/v1/batches), and
// when it ends its output and error files hold one line per request, matched by custom_id.
import { ApiError } from '../../errors.js';
import { providerFetch } from '../../streaming/http.js';
import type { BatchContext, BatchRequest, BatchResult, BatchState, BatchStatus, BatchSubmission } from '../../batch/adapter.js';
import { batchLimit, splitBatchRequests, type BatchLimits } from '../../batch/split.js';
import { chatCompletionEvents, chatRequestBody } from './chat.js';
import type { OpenAIModelLike } from './models.js';
import { baseUrl, readJson, requestHeaders } from './shared.js';

type Json = Record<string, any>;

const ENDPOINT = '/v1/chat/completions';

/** OpenAI's limits for one batch: 50,000 requests and a 200 MB input file. */
function limits(): BatchLimits {
  return {
    requests: batchLimit('LLM_OPENAI_BATCH_MAX_REQUESTS', 50_000),
    bytes: batchLimit('LLM_OPENAI_BATCH_MAX_BYTES', 200 * 1024 * 1024),
  };
}

function request(model: OpenAIModelLike, context: BatchContext) {
  const base = baseUrl(model.config);
  const call = async (method: string, path: string, body?: string | Uint8Array, contentType?: string) => {
    const headers = requestHeaders(context.key, model.config.headers);
    if (contentType) headers['content-type'] = contentType;
    if (body === undefined) delete headers['content-type'];
    return providerFetch(`${base}${path}`, { method, headers, body }, { provider: 'OpenAI', secrets: [context.key], signal: context.signal });
  };
  return {
    json: async (method: string, path: string, body?: Json) =>
      readJson(await call(method, path, body === undefined ? undefined : JSON.stringify(body), 'application/json'), 'batch reply'),
    text: async (path: string) => (await call('GET', path)).text(),
    upload: async (fileName: string, content: string) => {
      const boundary = `----llm-ts-${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
      const head =
        `--${boundary}\r\ncontent-disposition: form-data; name="purpose"\r\n\r\nbatch\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${fileName}"\r\n` +
        'content-type: application/jsonl\r\n\r\n';
      const body = Buffer.concat([Buffer.from(head), Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]);
      return readJson(await call('POST', '/files', body, `multipart/form-data; boundary=${boundary}`), 'file upload reply');
    },
  };
}

/** Builds each request line, splits them within the limits, uploads each file and creates its batch. */
export async function submitBatch(
  model: OpenAIModelLike,
  requests: readonly BatchRequest[],
  context: BatchContext,
): Promise<BatchSubmission[]> {
  const api = request(model, context);
  const groups = await splitBatchRequests(requests, limits(), async ({ customId, response }) => {
    const body = await chatRequestBody(model, response.prompt, false, context.signal);
    return { text: JSON.stringify({ custom_id: customId, method: 'POST', url: ENDPOINT, body }) };
  });
  const submissions: BatchSubmission[] = [];
  for (const [n, { entries, customIds: ids }] of groups.entries()) {
    const file = await api.upload(`llm-map-${context.jobId}-${n + 1}.jsonl`, entries.map((e) => e.text).join('\n') + '\n');
    if (typeof file.id !== 'string') throw new ApiError('OpenAI API error: the file upload reply has no id', 200, 'OpenAI');
    const batch = await api.json('POST', '/batches', {
      input_file_id: file.id,
      endpoint: ENDPOINT,
      completion_window: '24h',
      metadata: { llm_ts_job: context.jobId },
    });
    if (typeof batch.id !== 'string') throw new ApiError('OpenAI API error: the batch reply has no id', 200, 'OpenAI');
    submissions.push({ batchId: batch.id, customIds: ids, data: batch });
  }
  return submissions;
}

const STATES: Record<string, BatchState> = {
  validating: 'in_progress',
  in_progress: 'in_progress',
  finalizing: 'in_progress',
  cancelling: 'in_progress',
  completed: 'completed',
  failed: 'failed',
  expired: 'expired',
  cancelled: 'cancelled',
};

export async function batchStatus(model: OpenAIModelLike, batchId: string, context: BatchContext): Promise<BatchStatus> {
  const batch = await request(model, context).json('GET', `/batches/${encodeURIComponent(batchId)}`);
  const counts = batch.request_counts ?? {};
  const errors: Json[] = batch.errors?.data ?? [];
  return {
    batchId,
    state: STATES[batch.status] ?? 'in_progress',
    counts: { total: counts.total ?? 0, completed: counts.completed ?? 0, failed: counts.failed ?? 0 },
    message: errors.length ? errors.map((e) => `${e.code ?? 'error'}: ${e.message ?? ''}`.trim()).join('; ') : undefined,
    data: batch,
  };
}

/** The answers and errors of a batch that has ended, from its output and error files. */
export async function* batchResults(model: OpenAIModelLike, status: BatchStatus, context: BatchContext): AsyncGenerator<BatchResult> {
  const api = request(model, context);
  for (const fileId of [status.data.output_file_id, status.data.error_file_id]) {
    if (typeof fileId !== 'string' || !fileId) continue;
    const text = await api.text(`/files/${encodeURIComponent(fileId)}/content`);
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let entry: Json;
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      const customId = String(entry.custom_id ?? '');
      const response = entry.response;
      if (entry.error) {
        yield { customId, error: `${entry.error.code ?? 'error'}: ${entry.error.message ?? ''}`.trim() };
      } else if (response && response.status_code === 200 && response.body) {
        // The logged JSON carries the batch's id (`llm_ts_batch`): the answer was billed at the batch price.
        yield { customId, events: () => chatCompletionEvents(model, { ...response.body, llm_ts_batch: status.batchId }) };
      } else {
        const message = response?.body?.error?.message ?? `status ${response?.status_code ?? 'unknown'}`;
        yield { customId, error: `OpenAI API error ${response?.status_code ?? ''}: ${message}`.replace('  ', ' ') };
      }
    }
  }
}
