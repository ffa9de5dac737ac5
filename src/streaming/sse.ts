/**
 * A Server-Sent Events decoder over a byte stream. Handles any split of the input:
 * one byte at a time, CRLF or CR line ends, UTF-8 characters split across reads.
 */
export interface SseEvent {
  event: string;
  data: string;
  id: string | undefined;
}

export class SseDecoder {
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private dataLines: string[] = [];
  private eventType = '';
  private lastId: string | undefined;
  private pendingCR = false;

  /** Feeds bytes; returns the events they complete. */
  push(bytes: Uint8Array): SseEvent[] {
    return this.feed(this.decoder.decode(bytes, { stream: true }));
  }

  /** Flushes the end of input; returns any last event. */
  end(): SseEvent[] {
    const events = this.feed(this.decoder.decode());
    if (this.buffer) {
      const line = this.buffer;
      this.buffer = '';
      this.line(line, events);
    }
    this.dispatch(events);
    return events;
  }

  private feed(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    if (!text) return events;
    let start = 0;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    let buffer = this.buffer;
    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      const line = buffer + text.slice(start, i);
      buffer = '';
      this.line(line, events);
      if (code === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.pendingCR = true;
        }
      }
      start = i + 1;
    }
    this.buffer = buffer + text.slice(start);
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventType = value;
    else if (field === 'id') this.lastId = value;
  }

  private dispatch(events: SseEvent[]): void {
    if (this.dataLines.length === 0) {
      this.eventType = '';
      return;
    }
    events.push({ event: this.eventType || 'message', data: this.dataLines.join('\n'), id: this.lastId });
    this.dataLines = [];
    this.eventType = '';
  }
}

/** Yields the SSE events of a fetch body. */
export async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new SseDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const events = decoder.push(value);
      for (let i = 0; i < events.length; i++) yield events[i]!;
    }
    yield* decoder.end();
  } finally {
    reader.releaseLock();
  }
}

/** Yields one parsed JSON value per non-empty line (Ollama's NDJSON streams). */
export async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield JSON.parse(line);
      }
    }
    buffer += decoder.decode();
    if (buffer.trim()) yield JSON.parse(buffer.trim());
  } finally {
    reader.releaseLock();
  }
}
