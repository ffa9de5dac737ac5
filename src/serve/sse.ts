/** Writes server-sent events as a web stream. */
export type SendEvent = (data: unknown, event?: string) => void;

/**
 * An SSE response body: `run` sends events and ends the stream by returning. `onCancel` is
 * called when the client goes away first.
 */
export function sseBody(run: (send: SendEvent) => Promise<void>, onCancel: () => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let closed = false;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send: SendEvent = (data, event) => {
        if (closed) return;
        const payload = typeof data === 'string' ? data : JSON.stringify(data);
        controller.enqueue(encoder.encode(`${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`));
      };
      try {
        await run(send);
      } finally {
        if (!closed) {
          closed = true;
          controller.close();
        }
      }
    },
    cancel() {
      closed = true;
      onCancel();
    },
  });
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' };
