import { ResponseTooLargeError } from '../errors.js';
import { limits, tooLargeMessage } from './limits.js';
import type { ByteReader, ByteStream } from './transport.js';
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
  /** Characters in the event being read (its data lines and the unfinished line). */
  private eventSize = 0;

  /** `maxEventBytes`: no one event (nor one line) may be longer; default `limits.maxEventBytes`. */
  constructor(private readonly maxEventBytes = limits.maxEventBytes) {}

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
    const length = text.length;
    if (text.indexOf('\r', start) === -1) {
      // The common case, LF only: let indexOf find the line ends.
      let newline = text.indexOf('\n', start);
      if (newline !== -1 && this.buffer) {
        this.line(this.buffer + text.slice(start, newline), events);
        this.buffer = '';
        start = newline + 1;
        newline = text.indexOf('\n', start);
      }
      while (newline !== -1) {
        this.line(text.slice(start, newline), events);
        start = newline + 1;
        newline = text.indexOf('\n', start);
      }
      if (start < length) this.keep(text.slice(start));
      return events;
    }
    for (let i = start; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      let line = text.slice(start, i);
      if (this.buffer) {
        line = this.buffer + line;
        this.buffer = '';
      }
      this.line(line, events);
      if (code === 13) {
        if (i + 1 < length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.pendingCR = true;
        }
      }
      start = i + 1;
    }
    if (start < length) this.keep(text.slice(start));
    return events;
  }

  /** Keeps the start of a line still to be finished, within the event size limit. */
  private keep(rest: string): void {
    this.buffer += rest;
    if (this.buffer.length + this.eventSize > this.maxEventBytes) this.tooLarge();
  }

  private tooLarge(): never {
    this.buffer = '';
    this.dataLines = [];
    this.eventSize = 0;
    throw new ResponseTooLargeError(tooLargeMessage('streamed event', this.maxEventBytes));
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      this.dispatch(events);
      return;
    }
    // Fast path for the line nearly every event is made of.
    if (line.charCodeAt(0) === 100 && line.startsWith('data: ')) {
      this.dataLines.push(line.slice(6));
      if ((this.eventSize += line.length) > this.maxEventBytes) this.tooLarge();
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') {
      this.dataLines.push(value);
      if ((this.eventSize += line.length) > this.maxEventBytes) this.tooLarge();
    }
    else if (field === 'event') this.eventType = value;
    else if (field === 'id') {
      if (!value.includes('\0')) this.lastId = value;
    }
  }

  private dispatch(events: SseEvent[]): void {
    const lines = this.dataLines;
    this.eventSize = 0;
    if (lines.length === 0) {
      this.eventType = '';
      return;
    }
    events.push({ event: this.eventType || 'message', data: lines.length === 1 ? lines[0]! : lines.join('\n'), id: this.lastId });
    this.dataLines = [];
    this.eventType = '';
  }
}

const DONE: IteratorReturnResult<void> = Object.freeze({ value: undefined, done: true }) as IteratorReturnResult<void>;

/**
 * The events of one body. A hand-written async iterator rather than an async generator:
 * events already decoded are handed out with one resolved promise each, which costs a
 * fraction of a generator's resume-and-yield on a stream of 100,000 small events.
 */
class SseEventStream implements AsyncGenerator<SseEvent, void, unknown> {
  private readonly decoder = new SseDecoder();
  private readonly reader: ByteReader;
  private queue: SseEvent[] = [];
  private index = 0;
  private finished = false;

  constructor(body: ByteStream) {
    this.reader = body.getReader();
  }

  next(): Promise<IteratorResult<SseEvent, void>> {
    if (this.index < this.queue.length) return Promise.resolve({ value: this.queue[this.index++]!, done: false });
    if (this.finished) return Promise.resolve(DONE);
    return this.fill();
  }

  private async fill(): Promise<IteratorResult<SseEvent, void>> {
    for (;;) {
      let read: Awaited<ReturnType<ByteReader["read"]>>;
      try {
        read = await this.reader.read();
      } catch (error) {
        this.close(false);
        throw error;
      }
      if (read.done) {
        this.queue = this.decoder.end();
        this.index = 0;
        this.close(true);
      } else {
        this.queue = this.decoder.push(read.value);
        this.index = 0;
      }
      if (this.index < this.queue.length) return { value: this.queue[this.index++]!, done: false };
      if (this.finished) return DONE;
    }
  }

  private close(complete: boolean): void {
    if (this.finished) return;
    this.finished = true;
    // Stopped early (a consumer's break, or an error): close the connection.
    if (!complete) this.reader.cancel().catch(() => undefined);
    this.reader.releaseLock();
  }

  async return(): Promise<IteratorResult<SseEvent, void>> {
    this.queue = [];
    this.index = 0;
    this.close(false);
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<SseEvent, void>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Yields the SSE events of a fetch body. Breaking out of the loop closes the body. */
export function sseEvents(body: ByteStream): AsyncGenerator<SseEvent, void, unknown> {
  return new SseEventStream(body);
}

/**
 * Yields the SSE events of a fetch body in batches: one array per network read. Cheaper
 * than `sseEvents()` for providers on a hot path (one await per read, not per event).
 */
export async function* sseEventBatches(body: ByteStream): AsyncGenerator<SseEvent[]> {
  const decoder = new SseDecoder();
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        finished = true;
        break;
      }
      const events = decoder.push(value);
      if (events.length) yield events;
    }
    const last = decoder.end();
    if (last.length) yield last;
  } finally {
    // Stopped early (a consumer's break, or an error): close the connection.
    if (!finished) reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** Yields one parsed JSON value per non-empty line (Ollama's NDJSON streams). */
export async function* ndjsonLines(body: ByteStream): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let start = 0;
      let newline: number;
      const parsed: unknown[] = [];
      while ((newline = buffer.indexOf('\n', start)) !== -1) {
        const line = buffer.slice(start, newline).trim();
        start = newline + 1;
        if (line) parsed.push(JSON.parse(line));
      }
      buffer = buffer.slice(start);
      if (buffer.length > limits.maxEventBytes) throw new ResponseTooLargeError(tooLargeMessage('streamed line', limits.maxEventBytes));
      for (const item of parsed) yield item;
    }
    buffer += decoder.decode();
    if (buffer.trim()) yield JSON.parse(buffer.trim());
  } finally {
    reader.releaseLock();
  }
}
