import { AbortedError, RateLimitError, isLlmError } from '../errors.js';

/** How many times a row still rate limited after its retries goes back in the queue. */
const MAX_REQUEUES = 10;
import type { Model } from '../models/model.js';
import type { Response } from '../models/response.js';
import { onRetryWait } from '../streaming/http.js';
import type { Job, JobRow, JobStore } from './job-store.js';
import { Limiter } from './limiter.js';
import { rowResponse } from './row-response.js';

/** One row's outcome, in completion order. */
export interface MapResult {
  key: string;
  /** The row's 0-based position in the input. */
  index: number;
  /** The answer, when the row succeeded. */
  text?: string;
  /** The logged turn's id (also the response id). */
  turnId?: string | null;
  /** Why the row failed (after the retries). */
  error?: string;
  /** Answered by an earlier run (nothing was sent). */
  reused?: boolean;
}

export interface MapProgress {
  total: number;
  done: number;
  failed: number;
  inFlight: number;
  inputTokens: number;
  outputTokens: number;
  /** The pool's current size (less than --parallel after 429s). */
  poolSize: number;
}

export interface RunOptions {
  parallel?: number;
  rpm?: number;
  tpm?: number;
  key?: string;
  signal?: AbortSignal;
  /** Write each answer to logs.db as a turn (the job store needs the database either way). */
  log?: boolean;
  onProgress?: (progress: MapProgress) => void;
}

/** A queue the workers push results into and the caller's iteration pulls from. */
class Channel<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | undefined;
  private closed = false;

  push(item: T): void {
    this.items.push(item);
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async *drain(): AsyncGenerator<T> {
    for (;;) {
      while (this.items.length) yield this.items.shift()!;
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

function messageOf(error: unknown): string {
  if (isLlmError(error) || error instanceof Error) return (error as Error).message.split('\n')[0]!;
  return String(error);
}

/**
 * Sends the job's pending rows with up to `parallel` requests in flight, logging each
 * answer (and marking its row done) in one transaction. Yields every row's result in
 * completion order, the rows answered before first (marked `reused`). A row that still
 * fails after providerFetch's retries is recorded as failed and the job goes on. An abort
 * stops new requests and leaves the rows in flight pending, for a later resume.
 */
export async function* runLocal(
  job: Job,
  model: Model,
  store: JobStore,
  options: RunOptions = {},
): AsyncGenerator<MapResult> {
  const rows = store.rows(job.id);
  for (const row of rows) {
    if (row.status === 'done') yield { key: row.key, index: row.index, text: row.output ?? '', turnId: row.turnId, reused: true };
  }
  const pending = rows.filter((row) => row.status === 'pending');
  const counts = store.counts(job.id);
  const progress: MapProgress = {
    total: counts.total,
    done: counts.done,
    failed: counts.failed,
    inFlight: 0,
    inputTokens: 0,
    outputTokens: 0,
    poolSize: 0,
  };
  if (!pending.length) return;

  const limiter = new Limiter({ parallel: options.parallel ?? 4, rpm: options.rpm, tpm: options.tpm });
  const stopListening = onRetryWait((wait) => {
    if (wait.status === 429) limiter.backOff(wait.waitMs);
  });
  const channel = new Channel<MapResult>();
  const report = () => {
    progress.inFlight = limiter.inFlight;
    progress.poolSize = limiter.limit;
    options.onProgress?.(progress);
  };

  // Answers are written in groups, one transaction for all that arrived in one turn of the
  // event loop: each row marked done together with its logged turn, both or neither.
  // A row's slot in the pool is freed only once its answer is written, so that no more than
  // `parallel` rows are ever sent and not yet safe: what a crash can cost.
  const answered: { row: JobRow; response: Response; text: string; tokens: number }[] = [];
  let flushing = false;
  // A database that cannot be written (full disk, say) stops the job: nothing more is sent.
  let fatal: unknown;
  const writeAnswered = () => {
    flushing = false;
    const group = answered.splice(0);
    const log = options.log !== false;
    try {
      store.inTransaction(() => {
        for (const { row, response, text } of group) {
          store.markDone(job.id, row.index, log ? response.id : null, text, log ? () => store.logs.logResponse(response) : undefined);
        }
      });
    } catch (error) {
      fatal ??= error;
      for (const { tokens } of group) limiter.release({ ok: false, tokens });
      return;
    }
    for (const { row, response, text, tokens } of group) {
      progress.done++;
      channel.push({ key: row.key, index: row.index, text, turnId: log ? response.id : null });
      limiter.release({ ok: true, tokens });
    }
    report();
  };

  const queue = [...pending];
  const requeued = new Map<number, number>();
  const runRow = async (row: JobRow): Promise<void> => {
    let tokens = 0;
    // A signal of its own, so that a finished row leaves no listener on the job's signal.
    const rowAbort = new AbortController();
    const onAbort = () => rowAbort.abort(options.signal!.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = rowResponse(model, job, row, { key: options.key, signal: rowAbort.signal });
      const text = await response.text();
      const usage = response.usageSoFar;
      tokens = (usage.input ?? 0) + (usage.output ?? 0);
      progress.inputTokens += usage.input ?? 0;
      progress.outputTokens += usage.output ?? 0;
      answered.push({ row, response, text, tokens });
      if (!flushing) {
        flushing = true;
        setImmediate(writeAnswered);
      }
    } catch (error) {
      limiter.release({ ok: false, tokens });
      if (options.signal?.aborted || AbortedError.is(error)) return; // stays pending
      // Still rate limited after the request's own retries: the pool has backed off, so the
      // row goes to the back of the queue rather than failing (a few times at most).
      if (RateLimitError.is(error) && (requeued.get(row.index) ?? 0) < MAX_REQUEUES) {
        requeued.set(row.index, (requeued.get(row.index) ?? 0) + 1);
        queue.push(row);
        return;
      }
      const message = messageOf(error);
      store.markFailed(job.id, row.index, message);
      progress.failed++;
      channel.push({ key: row.key, index: row.index, error: message });
      report();
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  };

  const inFlight = new Set<Promise<void>>();
  const feed = (async () => {
    try {
      for (;;) {
        if (!queue.length) {
          // Wait for a request in flight: it may put its row back in the queue.
          if (!inFlight.size) break;
          await Promise.race(inFlight);
          continue;
        }
        const row = queue.shift()!;
        try {
          await limiter.acquire(options.signal);
        } catch {
          break; // aborted: the rest stay pending
        }
        if (fatal !== undefined) {
          limiter.release({ ok: false });
          break;
        }
        const task = runRow(row);
        inFlight.add(task);
        void task.finally(() => inFlight.delete(task));
        report();
      }
      await Promise.all(inFlight);
      if (flushing) await new Promise((resolve) => setImmediate(resolve));
      if (answered.length) writeAnswered();
    } finally {
      stopListening();
      channel.close();
    }
  })();
  try {
    yield* channel.drain();
  } finally {
    await feed;
  }
  if (fatal !== undefined) throw fatal;
}
