import type { ModelEvent } from '../models/events.js';
import type { Response as LlmResponse } from '../models/response.js';
import type { Gateway } from './gateway.js';

export interface Reader {
  /** Calls `onEvent` for each event as it arrives, to the end; then the turn is logged. Throws what the turn threw. */
  each(onEvent: (event: ModelEvent) => void): Promise<void>;
}

/**
 * Starts reading a streamed response and waits for its first piece, so that a turn that
 * fails at once (no key, an upstream refusal) is answered with an HTTP error status
 * rather than inside a stream already begun.
 */
export async function startReading(response: LlmResponse, gateway: Gateway): Promise<Reader> {
  const finished = gateway.finish(response);
  finished.catch(() => {});
  const iterator = response[Symbol.asyncIterator]();
  const first = await iterator.next().catch(async (error) => {
    await finished.catch(() => {});
    throw error;
  });
  return {
    async each(onEvent) {
      let index = 0;
      const flush = () => {
        for (const count = response.streamEventCount; index < count; index++) onEvent(response.streamEventAt(index));
      };
      try {
        if (!first.done) {
          flush();
          while (!(await iterator.next()).done) flush();
        }
        flush();
      } finally {
        await finished.catch(() => {});
      }
      await finished;
    },
  };
}
