import { UsageError } from '../errors.js';
import type { Model } from '../models/model.js';
import { rowResponse } from './row-response.js';
import { BATCH_STATES_FINAL, type BatchApi, type BatchContext, type BatchStatus } from './adapter.js';
import type { Job, JobCounts, JobRow, JobStore } from './job-store.js';

export interface BatchRunOptions {
  key?: string;
  signal?: AbortSignal;
  log?: boolean;
}

/** The model's Batch API, or a one-line error saying the model has none. */
export function requireBatchApi(model: Model): BatchApi {
  const api = model.batchApi();
  if (!api) throw new UsageError(`${model.modelId} has no batch API: run without --batch to send the rows as live requests`);
  return api;
}

const customId = (row: JobRow) => `row-${row.index}`;

function context(job: Job, model: Model, options: BatchRunOptions): BatchContext {
  return { key: model.getKey(options.key), signal: options.signal, jobId: job.id };
}

/** Sends the job's pending rows as batches; returns how many rows went up. */
export async function submitPending(job: Job, model: Model, store: JobStore, options: BatchRunOptions = {}): Promise<number> {
  const api = requireBatchApi(model);
  const pending = store.rows(job.id, ['pending']);
  if (!pending.length) return 0;
  const byId = new Map(pending.map((row) => [customId(row), row]));
  const submissions = await api.submit(
    pending.map((row) => ({ customId: customId(row), response: rowResponse(model, job, row, options) })),
    context(job, model, options),
  );
  for (const submission of submissions) {
    store.addBatch({ id: submission.batchId, jobId: job.id, provider: api.provider, status: 'in_progress', data: submission.data });
    store.markSubmitted(
      job.id,
      submission.customIds.map((id) => byId.get(id)!.index),
      submission.batchId,
    );
  }
  return pending.length;
}

export interface PollReport {
  batches: BatchStatus[];
  counts: JobCounts;
  /** Every row is answered or failed. */
  finished: boolean;
}

/**
 * Asks the provider about each batch still running; a batch that has ended has its answers
 * logged as turns and its errors recorded, and its rows without either go back to pending
 * (an expired or cancelled batch), to be sent again by the next submit.
 */
export async function pollBatches(job: Job, model: Model, store: JobStore, options: BatchRunOptions = {}): Promise<PollReport> {
  const api = requireBatchApi(model);
  const ctx = context(job, model, options);
  const statuses: BatchStatus[] = [];
  for (const batch of store.batches(job.id)) {
    if (BATCH_STATES_FINAL.has(batch.status as BatchStatus['state'])) continue;
    const status = await api.status(batch.id, ctx);
    statuses.push(status);
    if (!BATCH_STATES_FINAL.has(status.state)) {
      store.updateBatch(batch.id, status.state, status.data);
      continue;
    }
    await collect(job, model, store, api, status, ctx, options);
    if (status.state === 'failed') {
      for (const row of store.rows(job.id, ['submitted'])) {
        if (row.batchId === batch.id) store.markFailed(job.id, row.index, `Batch ${batch.id} failed: ${status.message ?? 'no reason given'}`);
      }
    } else {
      store.releaseSubmitted(job.id, batch.id);
    }
    store.updateBatch(batch.id, status.state, status.data);
  }
  const counts = store.counts(job.id);
  const finished = counts.pending === 0 && counts.submitted === 0;
  if (finished) store.setJobStatus(job.id, 'done');
  return { batches: statuses, counts, finished };
}

async function collect(
  job: Job,
  model: Model,
  store: JobStore,
  api: BatchApi,
  status: BatchStatus,
  ctx: BatchContext,
  options: BatchRunOptions,
): Promise<void> {
  const rows = new Map(store.rows(job.id, ['submitted']).filter((r) => r.batchId === status.batchId).map((r) => [customId(r), r]));
  for await (const result of api.results(status, ctx)) {
    const row = rows.get(result.customId);
    if (!row) continue;
    if (result.error !== undefined || !result.events) {
      store.markFailed(job.id, row.index, result.error ?? 'no answer');
      continue;
    }
    const response = rowResponse(model, job, row, options);
    await response.prepare();
    response.useEvents(result.events(response));
    const text = await response.text();
    store.markDone(job.id, row.index, options.log === false ? null : response.id, text, () => {
      if (options.log !== false) store.logs.logResponse(response);
    });
  }
}
