import type { BatchRequest } from './adapter.js';

/** A provider's limits for one batch. */
export interface BatchLimits {
  /** Requests in one batch at the most (no limit when absent). */
  requests?: number;
  /** Bytes in one batch at the most: each entry's text and a separator. */
  bytes: number;
  /** Bytes each batch's envelope takes before its first entry (default 0). */
  overhead?: number;
}

/** One request as it goes into a batch: `text` is what counts against the byte limit. */
export interface BatchEntry {
  text: string;
}

/** One batch to send: its entries in order and their rows' custom ids. */
export interface BatchGroup<E extends BatchEntry> {
  entries: E[];
  customIds: string[];
}

/**
 * Prepares each request, encodes it with `encode`, and splits the entries into batches
 * within the provider's limits, in order (a batch is closed when the next entry would
 * take it past a limit). Every Batch API adapter's `submit` starts with this.
 */
export async function splitBatchRequests<E extends BatchEntry>(
  requests: readonly BatchRequest[],
  limits: BatchLimits,
  encode: (request: BatchRequest) => Promise<E>,
): Promise<BatchGroup<E>[]> {
  const groups: BatchGroup<E>[] = [];
  let group: BatchGroup<E> | undefined;
  let bytes = 0;
  for (const request of requests) {
    await request.response.prepare();
    const entry = await encode(request);
    const size = Buffer.byteLength(entry.text) + 1;
    if (!group || group.customIds.length >= (limits.requests ?? Infinity) || bytes + size > limits.bytes) {
      group = { entries: [], customIds: [] };
      groups.push(group);
      bytes = limits.overhead ?? 0;
    }
    group.entries.push(entry);
    group.customIds.push(request.customId);
    bytes += size;
  }
  return groups;
}

/** A limit from the environment (for tests and odd accounts), else the provider's. */
export function batchLimit(variable: string, fallback: number): number {
  return Number(process.env[variable]) || fallback;
}
