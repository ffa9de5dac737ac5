import { type ModelEvent, type ModelEventChunk, StreamInterruptedError } from 'llm-ts';

type Json = Record<string, unknown>;

/**
 * The parts of an AI SDK `doStream()` stream as llm events. A hand-written iterator, not
 * an async generator: each pull is one read of the stream and one callback, with no
 * generator frame to resume per part (a long answer is tens of thousands of parts). The
 * AI SDK hands parts over one at a time, so there is nothing to batch.
 */
export class PartEvents implements AsyncIterableIterator<ModelEventChunk> {
  private finished: Json | undefined;
  private metadata: Json = {};
  private text = '';
  private readonly toolCalls: Json[] = [];
  private ended = false;

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Json>,
    private readonly label: string,
    private readonly modelId: string,
    /** Turns anything thrown into the one-line llm error. */
    private readonly toError: (error: unknown) => unknown,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ModelEventChunk>> {
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return this.reader.read().then(this.onRead, this.onFail);
  }

  /** The consumer stopped early: the request is not left running. */
  async return(): Promise<IteratorResult<ModelEventChunk>> {
    if (!this.ended) {
      this.ended = true;
      await this.reader.cancel().catch(() => undefined);
    }
    return { done: true, value: undefined };
  }

  private readonly onRead = (result: { done: boolean; value?: Json }): IteratorResult<ModelEventChunk> | Promise<IteratorResult<ModelEventChunk>> => {
    try {
      if (result.done) return { done: false, value: this.closing() };
      const event = this.eventOf(result.value!);
      return event ? { done: false, value: event } : this.next();
    } catch (error) {
      return this.onFail(error);
    }
  };

  private readonly onFail = (error: unknown): never => {
    if (!this.ended) {
      this.ended = true;
      this.reader.cancel().catch(() => undefined);
    }
    throw this.toError(error);
  };

  private eventOf(part: Json): ModelEvent | undefined {
    switch (part.type) {
      case 'text-delta': {
        const delta = String(part.delta ?? part.textDelta ?? '');
        if (!delta) return undefined;
        this.text += delta;
        return { type: 'text', text: delta };
      }
      case 'reasoning-delta': {
        const delta = String(part.delta ?? '');
        return delta ? { type: 'reasoning', text: delta } : undefined;
      }
      case 'tool-call': {
        const call = { toolCallId: String(part.toolCallId), toolName: String(part.toolName), input: parseInput(part.input) };
        this.toolCalls.push(call);
        return { type: 'tool_call', name: call.toolName, arguments: call.input, toolCallId: call.toolCallId };
      }
      case 'response-metadata':
        this.metadata = { ...this.metadata, ...part };
        return undefined;
      case 'finish':
        this.finished = part;
        return undefined;
      case 'error':
        throw part.error;
      default:
        return undefined;
    }
  }

  /** The end of the stream: usage, the model that answered, the response JSON, in one batch. */
  private closing(): ModelEvent[] {
    this.ended = true;
    this.reader.releaseLock();
    const finished = this.finished;
    if (!finished) throw new StreamInterruptedError(`the ${this.label} stream ended before it said it was finished`, this.text);
    const events: ModelEvent[] = [];
    const usage = usageEvent(finished.usage as Json | undefined);
    if (usage) events.push(usage);
    const metadata = this.metadata;
    const resolved = typeof metadata.modelId === 'string' ? metadata.modelId : undefined;
    if (resolved && resolved !== this.modelId) events.push({ type: 'resolved_model', model: resolved });
    const finishReason = finished.finishReason as unknown;
    events.push({
      type: 'response_json',
      json: {
        ...(typeof metadata.id === 'string' ? { id: metadata.id } : {}),
        model: resolved ?? this.modelId,
        content: this.text,
        ...(this.toolCalls.length ? { tool_calls: this.toolCalls } : {}),
        finish_reason: typeof finishReason === 'object' && finishReason ? (finishReason as Json).unified ?? finishReason : finishReason,
        usage: finished.usage,
      },
    });
    return events;
  }
}

function usageEvent(usage: Json | undefined): ModelEvent | undefined {
  if (!usage) return undefined;
  // V3: {inputTokens: {total, cacheRead...}, outputTokens: {total, reasoning...}}; V2: numbers.
  const input = usage.inputTokens as number | Json | undefined;
  const output = usage.outputTokens as number | Json | undefined;
  const total = (value: number | Json | undefined) => (typeof value === 'number' ? value : typeof value?.total === 'number' ? (value.total as number) : null);
  // Details as OpenAI's Chat Completions usage has them (and llm logs them), so the price
  // list bills cached input at its cache rate.
  const details: Json = {};
  const reasoning = typeof output === 'object' ? output.reasoning : usage.reasoningTokens;
  const cached = typeof input === 'object' ? input.cacheRead : usage.cachedInputTokens;
  if (typeof cached === 'number' && cached) details.prompt_tokens_details = { cached_tokens: cached };
  if (typeof reasoning === 'number' && reasoning) details.completion_tokens_details = { reasoning_tokens: reasoning };
  return { type: 'usage', input: total(input), output: total(output), details: Object.keys(details).length ? details : null };
}

function parseInput(input: unknown): Record<string, unknown> {
  if (input && typeof input === 'object') return input as Record<string, unknown>;
  if (typeof input !== 'string' || !input.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(input);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { raw: input };
  }
}
