import type { ModelEvent } from '../models/events.js';
import type { Response } from '../models/response.js';

/**
 * A provider's Batch API, as `llm map --batch` uses it: requests go up as one job on the
 * provider's side, answers come back within its window (24 h) at its batch price. A model
 * offers one through `Model.batchApi()`; the built-in OpenAI chat models do, and a plugin's
 * models can return their own.
 */
export interface BatchApi {
  /** Shown in status lines and stored with each batch, e.g. `openai`. */
  readonly provider: string;
  /** Sends the requests as one or more batches (split within the provider's limits). */
  submit(requests: readonly BatchRequest[], context: BatchContext): Promise<BatchSubmission[]>;
  /** Asks where a batch stands. */
  status(batchId: string, context: BatchContext): Promise<BatchStatus>;
  /** Reads a finished batch's answers and errors (an expired batch may have some). */
  results(status: BatchStatus, context: BatchContext): AsyncIterable<BatchResult>;
}

export interface BatchContext {
  key: string | undefined;
  signal?: AbortSignal;
  /** A job-wide label the provider keeps with the batch (its metadata). */
  jobId: string;
}

/** One row's request: the (unstarted) response it will fill, and the id its answer comes back with. */
export interface BatchRequest {
  customId: string;
  response: Response;
}

export interface BatchSubmission {
  batchId: string;
  customIds: string[];
  data: Record<string, unknown>;
}

/** `in_progress` covers every state before the end (validating, in progress, finalizing). */
export type BatchState = 'in_progress' | 'completed' | 'failed' | 'expired' | 'cancelled';

export interface BatchStatus {
  batchId: string;
  state: BatchState;
  counts: { total: number; completed: number; failed: number };
  /** Why a failed batch failed, in one line. */
  message?: string;
  data: Record<string, unknown>;
}

/**
 * One answer or one error. `events` gives the answer as the model's execute() would have
 * yielded it, for the row's response (its prompt says, for instance, whether a schema
 * went through a tool).
 */
export interface BatchResult {
  customId: string;
  events?: (response: Response) => ModelEvent[];
  error?: string;
}

export const BATCH_STATES_FINAL: ReadonlySet<BatchState> = new Set(['completed', 'failed', 'expired', 'cancelled']);
