import { AbortedError, AttachmentError, LlmError, StreamInterruptedError } from '../errors.js';
import { newId } from '../util/ulid.js';
import type { Conversation } from './conversation.js';
import type { ModelEvent, Usage } from './events.js';
import type { Message, Part } from './messages.js';
import type { ExecuteContext, Model } from './model.js';
import type { Prompt } from './prompt.js';
import { type SchemaInput, toJsonSchema } from './schema.js';

type DoneCallback = (response: Response) => unknown;

interface ResponseInit {
  conversation?: Conversation;
  key?: string;
  stream: boolean;
  signal?: AbortSignal;
  schemaInput?: SchemaInput;
}

type State = 'pending' | 'running' | 'done' | 'failed';

/**
 * The answer to one prompt. Lazy: the request is sent when the response is first read
 * (iterated, `text()`, `usage()`, `json()`). Chunks are kept, so a second iteration
 * replays them, and every accessor after the first read sends nothing new.
 */
export class Response implements AsyncIterable<string> {
  /** A lower-case monotonic ULID, also the id of the turn in logs.db. */
  readonly id: string = newId();
  readonly model: Model;
  readonly prompt: Prompt;
  readonly conversation: Conversation | undefined;
  readonly stream: boolean;

  private readonly explicitKey: string | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly schemaInput: SchemaInput | undefined;
  private readonly chunks: string[] = [];
  private readonly events: ModelEvent[] = [];
  private state: State = 'pending';
  private failure: unknown;
  private source: AsyncIterator<ModelEvent> | undefined;
  private step: Promise<void> | undefined;
  private callbacks: DoneCallback[] = [];
  private usageValue: Usage = { input: null, output: null, details: null };
  private rawJson: Record<string, unknown> | null = null;
  private startedMs = 0;
  private endedMs = 0;
  /** When the request started, or undefined before it has. */
  startedAt: Date | undefined;
  /** The model the provider says answered, when it differs from the one asked for. */
  resolvedModel: string | undefined;

  constructor(model: Model, prompt: Prompt, init: ResponseInit) {
    this.model = model;
    this.prompt = prompt;
    this.conversation = init.conversation;
    this.stream = init.stream && model.canStream;
    this.explicitKey = init.key;
    this.signal = init.signal;
    this.schemaInput = init.schemaInput;
  }

  /** True once the provider has finished without error. */
  get done(): boolean {
    return this.state === 'done';
  }

  /** The error that stopped the response, if it failed. */
  get error(): unknown {
    return this.state === 'failed' ? this.failure : undefined;
  }

  /** The text received so far: everything, once done; what arrived, if the stream was cut. */
  get textSoFar(): string {
    return this.chunks.join('');
  }

  /** Reasoning text received so far (kept apart from the answer). */
  get reasoning(): string {
    return this.events
      .filter((e): e is Extract<ModelEvent, { type: 'reasoning' }> => e.type === 'reasoning' && !e.redacted)
      .map((e) => e.text)
      .join('');
  }

  /** Every event the provider yielded, in order. */
  get streamEvents(): readonly ModelEvent[] {
    return this.events;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    let index = 0;
    for (;;) {
      while (index < this.chunks.length) yield this.chunks[index++]!;
      if (this.state === 'done') return;
      if (this.state === 'failed') throw this.failure;
      await this.advance();
    }
  }

  /** The whole text. Sends the request if nothing has yet. */
  async text(): Promise<string> {
    await this.complete();
    return this.chunks.join('');
  }

  /** The provider's raw JSON payload (streamed chunks combined), or null. */
  async json(): Promise<Record<string, unknown> | null> {
    await this.complete();
    return this.rawJson;
  }

  async usage(): Promise<Usage> {
    await this.complete();
    return { ...this.usageValue };
  }

  /** Runs `callback(response)` when done, or at once if already done. Async callbacks are awaited. */
  async onDone(callback: DoneCallback): Promise<void> {
    if (this.state === 'done') {
      await callback(this);
      return;
    }
    this.callbacks.push(callback);
  }

  /** The text, once done. Before then there is no text to give: use `await r.text()`. */
  toString(): string {
    if (this.state !== 'done') {
      throw new LlmError('This response has not finished yet: use `await response.text()` before String(response)');
    }
    return this.chunks.join('');
  }

  durationMs(): number | undefined {
    if (!this.startedMs) return undefined;
    return Math.round((this.endedMs || performance.now()) - this.startedMs);
  }

  /** The start time as Python llm writes it: ISO 8601 in UTC without a zone suffix. */
  datetimeUtc(): string | undefined {
    return this.startedAt?.toISOString().replace('Z', '').replace(/\.(\d{3})$/, '.$1000');
  }

  /** Usage as received so far (no request is sent). */
  get usageSoFar(): Usage {
    return { ...this.usageValue };
  }

  /** The raw payload as received so far (no request is sent). */
  get jsonSoFar(): Record<string, unknown> | null {
    return this.rawJson;
  }

  /** The assistant message(s) this response produced, assembled from its events. */
  messages(): Message[] {
    const parts: Part[] = [];
    for (const event of this.events) {
      const last = parts[parts.length - 1];
      if (event.type === 'text') {
        if (last?.type === 'text') last.text += event.text;
        else parts.push({ type: 'text', text: event.text });
      } else if (event.type === 'reasoning') {
        if (last?.type === 'reasoning' && !!last.redacted === !!event.redacted && !event.providerMetadata) {
          last.text += event.text;
        } else {
          const part: Part = { type: 'reasoning', text: event.text };
          if (event.redacted) part.redacted = true;
          if (event.providerMetadata) part.providerMetadata = event.providerMetadata;
          parts.push(part);
        }
      } else if (event.type === 'tool_call') {
        parts.push({
          type: 'tool_call',
          name: event.name,
          arguments: event.arguments,
          toolCallId: event.toolCallId,
          serverExecuted: event.serverExecuted,
        });
      }
    }
    // Redacted reasoning goes first, as the Python tool orders it.
    const ordered = [...parts.filter((p) => p.type === 'reasoning' && p.redacted), ...parts.filter((p) => !(p.type === 'reasoning' && p.redacted))];
    return ordered.length ? [{ role: 'assistant', parts: ordered }] : [];
  }

  /** Reads to the end. Rejects with the error that stopped the stream, if any. */
  async complete(): Promise<void> {
    while (this.state === 'pending' || this.state === 'running') await this.advance();
    if (this.state === 'failed') throw this.failure;
  }

  private advance(): Promise<void> {
    this.step ??= this.nextStep().finally(() => {
      this.step = undefined;
    });
    return this.step;
  }

  private async nextStep(): Promise<void> {
    try {
      if (this.state === 'pending') {
        this.state = 'running';
        await this.begin();
        return;
      }
      const result = await this.source!.next();
      if (result.done) {
        await this.finish();
        return;
      }
      this.handle(result.value);
    } catch (error) {
      this.fail(error);
    }
  }

  private async begin(): Promise<void> {
    this.signal?.throwIfAborted();
    if (this.schemaInput !== undefined) this.prompt.schema = await toJsonSchema(this.schemaInput);
    await this.checkAttachments();
    const key = this.model.getKey(this.explicitKey);
    this.startedAt = new Date();
    this.startedMs = performance.now();
    const context: ExecuteContext = {
      key,
      stream: this.stream,
      signal: this.signal,
      conversation: this.conversation,
      response: this,
    };
    this.source = this.model.execute(this.prompt, context)[Symbol.asyncIterator]();
  }

  private async checkAttachments(): Promise<void> {
    const attachments = this.prompt.attachments;
    if (!attachments.length) return;
    const accepted = this.model.attachmentTypes;
    if (accepted.size === 0) throw new AttachmentError(`${this.model.modelId} does not support attachments`);
    for (const attachment of attachments) {
      await attachment.checkReadable();
      const type = await attachment.resolveType(this.signal);
      if (!accepted.has(type)) {
        throw new AttachmentError(
          `${this.model.modelId} does not support attachments of type '${type}', only ${[...accepted].sort().join(', ')}`,
        );
      }
    }
  }

  private handle(event: ModelEvent): void {
    switch (event.type) {
      case 'text':
        if (event.text) {
          this.chunks.push(event.text);
          this.events.push(event);
        }
        return;
      case 'usage':
        this.usageValue = {
          input: event.input ?? this.usageValue.input,
          output: event.output ?? this.usageValue.output,
          details: event.details && Object.keys(event.details).length ? event.details : this.usageValue.details,
        };
        return;
      case 'response_json':
        this.rawJson = event.json;
        return;
      case 'resolved_model':
        this.resolvedModel = event.model;
        return;
      default:
        this.events.push(event);
    }
  }

  private async finish(): Promise<void> {
    this.endedMs = performance.now();
    this.state = 'done';
    this.conversation?.responses.push(this);
    const callbacks = this.callbacks;
    this.callbacks = [];
    for (const callback of callbacks) await callback(this);
  }

  private fail(error: unknown): void {
    if (this.startedMs) this.endedMs = performance.now();
    this.state = 'failed';
    if (this.signal?.aborted) {
      this.failure = new AbortedError('The request was aborted', { cause: error });
    } else if (this.chunks.length || StreamInterruptedError.is(error)) {
      const reason = StreamInterruptedError.is(error) ? error.message : error instanceof Error ? error.message : String(error);
      this.failure = new StreamInterruptedError(
        `The response stream was cut off after ${this.textSoFar.length} characters: ${reason}`,
        this.textSoFar,
        { cause: error },
      );
    } else {
      this.failure = error;
    }
  }
}
