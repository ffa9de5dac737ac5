import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ndjsonLines, SseDecoder, type SseEvent, sseEventBatches, sseEvents } from './sse.js';

const encoder = new TextEncoder();

function decodeInPieces(text: string, size: number): SseEvent[] {
  const bytes = encoder.encode(text);
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  for (let i = 0; i < bytes.length; i += size) events.push(...decoder.push(bytes.subarray(i, i + size)));
  events.push(...decoder.end());
  return events;
}

function streamOf(parts: (string | Uint8Array)[], onCancel?: () => void): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index >= parts.length) return controller.close();
      const part = parts[index++]!;
      controller.enqueue(typeof part === 'string' ? encoder.encode(part) : part);
    },
    cancel() {
      onCancel?.();
    },
  });
}

const SAMPLE =
  ': a comment\n' +
  'event: delta\n' +
  'id: 7\n' +
  'data: {"text":"héllo 🦊"}\n' +
  '\n' +
  'data: line one\n' +
  'data:line two\n' +
  '\n' +
  'data: [DONE]\n' +
  '\n';

const EXPECTED: SseEvent[] = [
  { event: 'delta', data: '{"text":"héllo 🦊"}', id: '7' },
  { event: 'message', data: 'line one\nline two', id: '7' },
  { event: 'message', data: '[DONE]', id: '7' },
];

describe('SseDecoder', () => {
  test('decodes whole input', () => {
    assert.deepEqual(decodeInPieces(SAMPLE, 1 << 20), EXPECTED);
  });

  test('any split: one byte at a time, and every piece size up to 17', () => {
    for (let size = 1; size <= 17; size++) assert.deepEqual(decodeInPieces(SAMPLE, size), EXPECTED, `pieces of ${size}`);
  });

  test('CRLF and lone CR line ends, split between CR and LF', () => {
    const crlf = SAMPLE.replace(/\n/g, '\r\n');
    const cr = SAMPLE.replace(/\n/g, '\r');
    for (let size = 1; size <= 9; size++) {
      assert.deepEqual(decodeInPieces(crlf, size), EXPECTED, `CRLF in pieces of ${size}`);
      assert.deepEqual(decodeInPieces(cr, size), EXPECTED, `CR in pieces of ${size}`);
    }
  });

  test('UTF-8 characters split across reads', () => {
    const text = 'data: é🦊中\n\n';
    const bytes = encoder.encode(text);
    // Split inside the 4-byte fox and the 3-byte character.
    const decoder = new SseDecoder();
    const events = [
      ...decoder.push(bytes.subarray(0, 9)),
      ...decoder.push(bytes.subarray(9, 11)),
      ...decoder.push(bytes.subarray(11, 13)),
      ...decoder.push(bytes.subarray(13)),
      ...decoder.end(),
    ];
    assert.deepEqual(events, [{ event: 'message', data: 'é🦊中', id: undefined }]);
  });

  test('a last event without its blank line is still delivered at the end', () => {
    assert.deepEqual(decodeInPieces('data: tail', 3), [{ event: 'message', data: 'tail', id: undefined }]);
  });

  test('events with no data are not dispatched; the event type resets', () => {
    assert.deepEqual(decodeInPieces('event: ping\n\ndata: x\n\n', 4), [{ event: 'message', data: 'x', id: undefined }]);
  });
});

describe('sseEvents / sseEventBatches / ndjsonLines', () => {
  test('sseEvents yields every event of a body split anywhere', async () => {
    const bytes = encoder.encode(SAMPLE.replace(/\n/g, '\r\n'));
    const parts: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i++) parts.push(bytes.subarray(i, i + 1));
    const events: SseEvent[] = [];
    for await (const event of sseEvents(streamOf(parts))) events.push(event);
    assert.deepEqual(events, EXPECTED);
  });

  test('breaking out of sseEvents cancels the body', async () => {
    let cancelled = false;
    const body = streamOf(['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n'], () => (cancelled = true));
    for await (const event of sseEvents(body)) {
      assert.equal(event.data, '1');
      break;
    }
    assert.equal(cancelled, true);
  });

  test('a body that errors rejects the iteration', async () => {
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(encoder.encode('data: 1\n\n'));
        } else controller.error(new Error('socket hang up'));
      },
    });
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const event of sseEvents(body)) seen.push(event.data);
    }, /socket hang up/);
    assert.deepEqual(seen, ['1']);
  });

  test('sseEventBatches yields one array per read', async () => {
    const batches: string[][] = [];
    for await (const batch of sseEventBatches(streamOf(['data: a\n\ndata: b\n\n', 'data: c\n\n']))) {
      batches.push(batch.map((e) => e.data));
    }
    assert.deepEqual(batches, [['a', 'b'], ['c']]);
  });

  test('ndjsonLines parses one value per line, across splits and without a final newline', async () => {
    const values: unknown[] = [];
    for await (const value of ndjsonLines(streamOf(['{"a":1}\n{"b"', ':2}\n\n', '{"c":"é"}']))) values.push(value);
    assert.deepEqual(values, [{ a: 1 }, { b: 2 }, { c: 'é' }]);
  });
});
