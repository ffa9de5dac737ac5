import { AbortedError, AttachmentError, StreamInterruptedError, UsageError } from '../errors.js';
import { newId } from '../util/ulid.js';
import { applyTimeout, limits, type TimeoutInput } from '../streaming/limits.js';
import { ChunkStore } from './chunk-store.js';
import type { Conversation } from './conversation.js';
import type { ModelEvent, ModelEventChunk, Usage } from './events.js';
import { type Message, type Part, toMessage } from './messages.js';
import type { ExecuteContext, Model } from './model.js';
import { resolveModel } from './model-resolver.js';
import { Prompt, type PromptInput, toolResultsMessage } from './prompt.js';
import { type ResponseDict, messageFromDict, messageToDict } from './serialization.js';
import { StreamEventMaker, type StreamEvent } from './stream-events.js';
import { type SchemaInput, toJsonSchema } from './schema.js';
import { type ToolCallbacks, executeToolCalls } from './tool-execution.js';
import { type Tool, type ToolCall, type ToolDef, type ToolResult, asTools, offeredTools, prepareToolboxes } from './tools.js';
import { isServerSideTool } from '../tools/server-side/server-side-tool.js';
import type { Cost, UsageRecord } from '../pricing/types.js';

type DoneCallback = (response: Response) => unknown;

interface ResponseInit {
  conversation?: Conversation;
  key?: string;
  stream: boolean;
  signal?: AbortSignal;
  timeout?: TimeoutInput;
  schemaInput?: SchemaInput;
  /** The tools as given, when a toolbox among them is to be prepared before the request. */
  toolDefs?: readonly ToolDef[];
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
  /** The assistant messages of a response rebuilt by `fromDict()`, as they were stored. */
  private loadedMessages: Message[] | undefined;
  readonly model: Model;
  readonly prompt: Prompt;
  readonly conversation: Conversation | undefined;
  readonly stream: boolean;

  private readonly explicitKey: string | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly timeout: TimeoutInput | undefined;
  private readonly schemaInput: SchemaInput | undefined;
  private readonly toolDefs: readonly ToolDef[] | undefined;
  /** The text chunks, in order: what iteration replays (kept compactly, see ChunkStore). */
  private readonly chunks = new ChunkStore();
  /** Provider metadata that came with text events, by the index of their chunk (rare: kept apart). */
  private textMetadata: { chunk: number; metadata: Record<string, unknown> }[] | undefined;
  /**
   * The other events, each with its place among all events (`at`): text is by far the
   * most of a long answer, and is kept only in `chunks`.
   */
  private readonly others: { at: number; event: ModelEvent }[] = [];
  private joined: { count: number; text: string } | undefined;
  private state: State = 'pending';
  private failure: unknown;
  private source: AsyncIterator<ModelEventChunk> | undefined;
  private step: Promise<void> | undefined;
  private callbacks: DoneCallback[] = [];
  private key: string | undefined;
  /** Rejects the pull in flight when the caller's signal aborts (see pull()). */
  private rejectPull: ((reason: unknown) => void) | undefined;
  private usageValue: Usage = { input: null, output: null, details: null };
  private rawJson: Record<string, unknown> | null = null;
  private startedMs = 0;
  private endedMs = 0;
  /** Events given with useEvents(), read instead of the provider's. */
  private injected: Iterable<ModelEvent> | undefined;
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
    this.timeout = init.timeout;
    this.schemaInput = init.schemaInput;
    this.toolDefs = init.toolDefs;
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
    if (this.joined?.count !== this.chunks.length) this.joined = { count: this.chunks.length, text: this.chunks.text() };
    return this.joined.text;
  }

  /** Reasoning text received so far (kept apart from the answer). */
  get reasoning(): string {
    const texts: string[] = [];
    for (const { event } of this.others) {
      if (event.type === 'reasoning' && !event.redacted) texts.push(event.text);
    }
    return texts.join('');
  }

  /** Every event the provider yielded so far, in order (a new array each time). */
  get modelEvents(): readonly ModelEvent[] {
    return Array.from({ length: this.streamEventCount }, (_, i) => this.streamEventAt(i));
  }

  /** How many events have arrived; with `streamEventAt()`, reads them without copying. */
  get streamEventCount(): number {
    return this.chunks.length + this.others.length;
  }

  /** The event at `index` (0 <= index < streamEventCount), in arrival order. */
  streamEventAt(index: number): ModelEvent {
    // Binary search for the other events placed before `index`; the rest are text.
    let low = 0;
    let high = this.others.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.others[mid]!.at < index) low = mid + 1;
      else high = mid;
    }
    if (low < this.others.length && this.others[low]!.at === index) return this.others[low]!.event;
    return { type: 'text', text: this.chunks.at(index - low) };
  }

  /**
   * Yields the text chunks. The first iteration sends the request; later ones replay what
   * was received (and continue from there if the response is still streaming).
   */
  [Symbol.asyncIterator](): AsyncIterator<string> {
    let index = 0;
    // Not an async generator, and not async: a chunk already received costs one resolved promise.
    const next = (): Promise<IteratorResult<string>> => {
      if (index < this.chunks.length) return Promise.resolve({ value: this.chunks.at(index++), done: false });
      if (this.state === 'done') return Promise.resolve({ value: undefined, done: true });
      if (this.state === 'failed') return Promise.reject(this.failure);
      return this.advance().then(next);
    };
    return {
      next,
      return: async (): Promise<IteratorResult<string>> => {
        index = Infinity;
        return { value: undefined, done: true };
      },
    };
  }

  /**
   * Sends the request now without waiting for it, so other work (opening a database,
   * say) overlaps with the network. Reads later pick up from there; an error surfaces
   * on the next read.
   */
  start(): this {
    if (this.state === 'pending') this.advance().catch(() => undefined);
    return this;
  }

  /** The whole text. Sends the request if nothing has yet. */
  async text(): Promise<string> {
    await this.complete();
    return this.textSoFar;
  }

  /** The provider's raw JSON payload (streamed chunks combined), or null. */
  async json(): Promise<Record<string, unknown> | null> {
    await this.complete();
    return this.jsonSoFar;
  }

  async usage(): Promise<Usage> {
    await this.complete();
    return { ...this.usageValue };
  }

  /**
   * What this response cost in USD, from its usage and the price list (loaded now, on
   * first use), or null when the model's price is unknown.
   */
  async cost(): Promise<Cost | null> {
    await this.complete();
    const { priceUsage } = await import('../pricing/cost.js');
    return priceUsage(this.usageRecord());
  }

  /** This response's usage, as the pricing code reads it. */
  usageRecord(): UsageRecord {
    return {
      model: this.model.modelId,
      resolvedModel: this.resolvedModel,
      ...this.usageValue,
      datetime: this.startedAt,
      pricing: this.model.pricing,
      batch: this.rawJson !== null && 'llm_ts_batch' in this.rawJson,
    };
  }

  /** The tool calls the model asked for (sends the request if nothing has yet). Server-executed calls are left out. */
  async toolCalls(): Promise<ToolCall[]> {
    await this.complete();
    return this.toolCallsSoFar;
  }

  /** The tool calls received so far (no request is sent). */
  get toolCallsSoFar(): ToolCall[] {
    const calls: ToolCall[] = [];
    for (const { event } of this.others) {
      if (event.type !== 'tool_call' || event.serverExecuted) continue;
      calls.push({ name: event.name, arguments: event.arguments, toolCallId: event.toolCallId });
    }
    return calls;
  }

  /**
   * Runs this response's tool calls (or `toolCalls`) with the prompt's tools (or `tools`),
   * one after another. The conversation's callbacks apply unless others are given.
   */
  async executeToolCalls(options: ToolCallbacks & { toolCalls?: ToolCall[]; tools?: Tool[] } = {}): Promise<ToolResult[]> {
    const calls = options.toolCalls ?? (await this.toolCalls());
    const tools = options.tools ?? this.prompt.tools;
    await Promise.all(tools.map((tool) => tool.resolveSchema()));
    return executeToolCalls(tools, calls, {
      beforeCall: options.beforeCall ?? this.conversation?.beforeCall,
      afterCall: options.afterCall ?? this.conversation?.afterCall,
    });
  }

  /** @internal What a follow-up request of a chain sends with: the same key, signal and streaming. */
  get requestInit(): { key: string | undefined; signal: AbortSignal | undefined; stream: boolean; timeout: TimeoutInput | undefined } {
    return { key: this.explicitKey, signal: this.signal, stream: this.stream, timeout: this.timeout };
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
      throw new UsageError('This response has not finished yet: use `await response.text()` before String(response)');
    }
    return this.textSoFar;
  }

  durationMs(): number | undefined {
    if (!this.startedMs) return undefined;
    return Math.round((this.endedMs || performance.now()) - this.startedMs);
  }

  /**
   * The start time as Python llm 0.32 writes it, `datetime.now(timezone.utc).isoformat()`:
   * e.g. `2026-01-02T10:00:00.123000+00:00` (no fraction when it is zero, as Python).
   */
  datetimeUtc(): string | undefined {
    if (!this.startedAt) return undefined;
    const iso = this.startedAt.toISOString();
    const fraction = iso.slice(19, 23) === '.000' ? '' : `${iso.slice(19, 23)}000`;
    return `${iso.slice(0, 19)}${fraction}+00:00`;
  }

  /** Usage as received so far (no request is sent). */
  get usageSoFar(): Usage {
    return { ...this.usageValue };
  }

  /** The raw payload as received so far (no request is sent). */
  get jsonSoFar(): Record<string, unknown> | null {
    const key = this.key;
    if (this.rawJson === null || !key || key.length < 4) return this.rawJson;
    return redactKey(this.rawJson, key) as Record<string, unknown>;
  }

  /**
   * Python's `stream_events()`: the response's typed events (`text`, `reasoning`,
   * `tool_call_name`, `tool_call_args`, `tool_result`), each with its `partIndex`. Sends the
   * request if nothing has yet; yields events as they arrive, and replays them once done.
   */
  async *streamEvents(): AsyncGenerator<StreamEvent> {
    const maker = new StreamEventMaker();
    let index = 0;
    for (;;) {
      while (index < this.streamEventCount) yield* maker.convert(this.streamEventAt(index++));
      if (this.state === 'done') return;
      if (this.state === 'failed') throw this.failure;
      await this.advance();
    }
  }

  /**
   * The assistant message(s) this response produced (not the prompt's), as parts: text,
   * reasoning, tool calls. Sends the request and waits for the end if it has not yet.
   */
  async messages(): Promise<Message[]> {
    await this.complete();
    return this.messagesSoFar;
  }

  /** The assistant message(s) assembled from the events received so far (no request is sent). */
  get messagesSoFar(): Message[] {
    if (this.loadedMessages) return [...this.loadedMessages];
    // Each `next_message` event starts another assistant message (a Responses reply with text,
    // then a server-side tool call, then more text); there is usually one.
    const messages: Message[] = [];
    let parts: Part[] = [];
    const endMessage = () => {
      // Redacted reasoning goes first, as the Python tool orders it.
      const ordered = [...parts.filter((p) => p.type === 'reasoning' && p.redacted), ...parts.filter((p) => !(p.type === 'reasoning' && p.redacted))];
      if (ordered.length) messages.push({ role: 'assistant', parts: ordered });
      parts = [];
    };
    // Consecutive text chunks become one part, joined once (not concatenated chunk by chunk).
    let from = 0;
    const flushText = (to: number) => {
      if (to > from) {
        const part: Part = { type: 'text', text: to - from === this.chunks.length ? this.textSoFar : this.chunks.textOf(from, to) };
        const metadata = this.textMetadata && textMetadataIn(this.textMetadata, from, to);
        if (metadata) part.providerMetadata = metadata;
        parts.push(part);
      }
      from = to;
    };
    for (let k = 0; k < this.others.length; k++) {
      const { at, event } = this.others[k]!;
      flushText(at - k);
      const last = parts[parts.length - 1];
      if (event.type === 'text') {
        parts.push({ type: 'text', text: event.text });
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
        const part: Part = {
          type: 'tool_call',
          name: event.name,
          arguments: event.arguments,
          toolCallId: event.toolCallId,
          serverExecuted: event.serverExecuted,
        };
        if (event.providerMetadata) part.providerMetadata = event.providerMetadata;
        parts.push(part);
      } else if (event.type === 'tool_result') {
        parts.push({ ...event });
      } else if (event.type === 'next_message') {
        endMessage();
      }
    }
    flushText(this.chunks.length);
    endMessage();
    return messages;
  }

  /**
   * Python's `to_dict()`: the model id, the messages sent, the messages received, the
   * options, and the id, usage and start time, as the JSON Python writes. Runs the response
   * first if it has not run. `Response.fromDict()` rebuilds it; `reply()` then continues.
   */
  async toDict(): Promise<ResponseDict> {
    await this.complete();
    const options = Object.fromEntries(Object.entries(this.prompt.options).filter(([, value]) => value !== undefined && value !== null));
    const dict: ResponseDict = {
      model: this.model.modelId,
      prompt: { messages: this.prompt.messages.map(messageToDict) },
      messages: this.messagesSoFar.map(messageToDict),
    };
    if (Object.keys(options).length) dict.prompt.options = options;
    if (this.prompt.systemInput) dict.prompt.system = this.prompt.systemInput;
    dict.id = this.id;
    const { input, output, details } = this.usageValue;
    if (input !== null || output !== null) {
      dict.usage = {};
      if (input !== null) dict.usage.input = input;
      if (output !== null) dict.usage.output = output;
      if (details !== null) dict.usage.details = details;
    }
    const started = this.datetimeUtc();
    if (started) dict.datetime_utc = started;
    return dict;
  }

  /**
   * Python's `Response.from_dict()`: a finished response rebuilt from `toDict()`'s JSON (or
   * Python's), with its text, messages, pending tool calls and usage. The model is looked
   * up by the stored id unless `model` is given (to continue on another model).
   */
  static fromDict(data: ResponseDict, options: { model?: Model } = {}): Response {
    const model = options.model ?? resolveModel(data.model);
    const promptData = data.prompt ?? { messages: [] };
    const prompt = new Prompt({
      prompt: '',
      system: promptData.system,
      options: model.validate({ ...(promptData.options ?? {}) }),
      history: (promptData.messages ?? []).map(messageFromDict),
      exactMessages: true,
    });
    const response = new Response(model, prompt, { stream: false });
    response.load(data, (data.messages ?? []).map(messageFromDict));
    return response;
  }

  /** Fills a new response with stored output, and marks it done. */
  private load(data: ResponseDict, messages: Message[]): void {
    if (data.id) (this as { id: string }).id = data.id;
    this.loadedMessages = messages;
    for (const part of messages.flatMap((message) => message.parts)) {
      const at = this.chunks.length + this.others.length;
      if (part.type === 'text') {
        if (part.text) this.chunks.push(part.text);
      } else if (part.type === 'reasoning') {
        const event: ModelEvent = { type: 'reasoning', text: part.text };
        if (part.redacted) event.redacted = true;
        if (part.providerMetadata) event.providerMetadata = part.providerMetadata;
        this.others.push({ at, event });
      } else if (part.type === 'tool_call' || part.type === 'tool_result') {
        this.others.push({ at, event: part });
      }
    }
    const usage = data.usage;
    if (usage) this.usageValue = { input: usage.input ?? null, output: usage.output ?? null, details: usage.details ?? null };
    this.markDone();
  }

  /**
   * Python's `reply()`: continues from this response. Its tool calls are run first (with
   * the prompt's tools, or `tools`) unless `toolResults` are given; the next prompt sends
   * the messages so far, the results, then `text` and any `messages`. Also works on a
   * response rebuilt with `fromDict()`. Other inputs are as `model.prompt()` takes them.
   */
  async reply(text?: string | null, input: PromptInput = {}): Promise<Response> {
    await this.complete();
    const { toolResults: given, messages: more, ...rest } = input;
    if (rest.tools === undefined && this.prompt.offeredTools.length) rest.tools = [...this.prompt.offeredTools];
    let results = given;
    if (results === undefined && this.toolCallsSoFar.length) {
      results = await this.executeToolCalls({ tools: rest.tools === undefined ? undefined : asTools(rest.tools) });
    }
    const chain: Message[] = [...this.prompt.messages, ...this.messagesSoFar];
    if (results?.length) {
      // Attachments a tool returned go in a user message after the results, as Python sends them.
      chain.push(toolResultsMessage(results.map(({ attachments: _attachments, ...result }) => result)));
      const attachments = results.flatMap((result) => result.attachments ?? []);
      if (attachments.length) chain.push({ role: 'user', parts: attachments.map((attachment) => ({ type: 'attachment' as const, attachment })) });
    }
    if (text) chain.push({ role: 'user', parts: [{ type: 'text', text }] });
    if (more) chain.push(...more.map(toMessage));
    return this.model.buildResponse('', { ...rest, messages: chain }, undefined, undefined);
  }

  /** Reads to the end. Rejects with the error that stopped the stream, if any. */
  async complete(): Promise<void> {
    while (this.state === 'pending' || this.state === 'running') await this.advance();
    if (this.state === 'failed') throw this.failure;
  }

  /** Runs one step (one text chunk, or the end); concurrent readers share it. */
  private advance(): Promise<void> {
    return (this.step ??= this.nextStep());
  }

  private async nextStep(): Promise<void> {
    // Every path below awaits before it ends, so advance() has stored this step by the
    // time the finally clears it.
    let finished = false;
    try {
      if (this.state === 'pending') {
        this.state = 'running';
        await this.begin();
        return;
      }
      const source = this.source!;
      // Several events are often ready at once (one network read holds many): take them
      // in a loop until one is text, so each text chunk costs one step.
      const othersBefore = this.others.length;
      for (;;) {
        const result = await this.pull(source);
        if (result.done) {
          this.markDone();
          finished = true;
          break;
        }
        const value = result.value;
        if (isBatch(value)) {
          let gotText = false;
          for (let i = 0; i < value.length; i++) {
            const event = value[i]!;
            if (event.type === 'text') {
              if (event.text) {
                this.chunks.push(event.text);
                gotText = true;
              }
              if (event.providerMetadata) this.noteTextMetadata(event.providerMetadata, '');
            } else {
              this.handle(event);
            }
          }
          if (gotText || this.others.length > othersBefore) return;
          continue;
        }
        if (value.type === 'text') {
          if (value.providerMetadata) this.noteTextMetadata(value.providerMetadata, value.text);
          if (value.text) {
            this.chunks.push(value.text);
            return;
          }
          continue;
        }
        this.handle(value);
        // Reasoning and tool calls are read live too (streamEvents()), not only text.
        if (this.others.length > othersBefore) return;
      }
    } catch (error) {
      this.fail(error);
      return;
    } finally {
      this.step = undefined;
    }
    // Callbacks run outside the try: a callback that throws rejects this read, but the
    // response stays done.
    if (finished) await this.runCallbacks();
  }

  /**
   * @internal Everything the first read does before the request: the schema resolved,
   * tool schemas and attachments checked, the key found. Returns the key. A job that
   * sends the request some other way (a provider's Batch API) calls this to build it.
   */
  async prepare(): Promise<string | undefined> {
    this.signal?.throwIfAborted();
    if (this.schemaInput !== undefined) this.prompt.schema = await toJsonSchema(this.schemaInput);
    if (this.toolDefs) {
      await prepareToolboxes(this.toolDefs);
      const offered = offeredTools(this.toolDefs);
      this.prompt.offeredTools = offered;
      this.prompt.tools = offered.filter((tool): tool is Tool => !isServerSideTool(tool));
    }
    if (this.prompt.tools.length) await Promise.all(this.prompt.tools.map((tool) => tool.resolveSchema()));
    await this.checkAttachments();
    return this.model.getKey(this.explicitKey);
  }

  /**
   * @internal Makes this (not yet started) response read `events` instead of calling the
   * provider: the answer to its request arrived another way (a Batch API result file).
   */
  useEvents(events: Iterable<ModelEvent>): this {
    if (this.state !== 'pending') throw new UsageError('useEvents() needs a response that has not started');
    this.injected = events;
    return this;
  }

  private async begin(): Promise<void> {
    if (this.injected) {
      this.signal?.throwIfAborted();
      if (this.schemaInput !== undefined) this.prompt.schema = await toJsonSchema(this.schemaInput);
      this.startedAt = new Date();
      this.startedMs = performance.now();
      const events = this.injected;
      this.source = (async function* () {
        yield* events;
      })();
      return;
    }
    const key = await this.prepare();
    this.key = key;
    if (this.signal) {
      const signal = this.signal;
      signal.addEventListener('abort', () => this.rejectPull?.(signal.reason), { once: true });
    }
    this.startedAt = new Date();
    this.startedMs = performance.now();
    const context: ExecuteContext = {
      key,
      stream: this.stream,
      signal: this.signal,
      timeouts: applyTimeout(applyTimeout(limits.timeouts, this.model.timeout), this.timeout),
      conversation: this.conversation,
      response: this,
    };
    this.source = this.model.execute(this.prompt, context)[Symbol.asyncIterator]();
  }

  /**
   * The provider's next event(s). With a signal, an abort rejects the pull at once, even
   * if the provider ignores the signal. (A fresh promise per pull: racing every pull
   * against one long-lived promise would pile up a reaction per pull on it, and with them
   * every batch ever received.)
   */
  private pull(source: AsyncIterator<ModelEventChunk>): Promise<IteratorResult<ModelEventChunk>> {
    if (!this.signal) return source.next();
    this.signal.throwIfAborted();
    return new Promise<IteratorResult<ModelEventChunk>>((resolve, reject) => {
      this.rejectPull = reject;
      source.next().then(resolve, reject);
    }).finally(() => {
      this.rejectPull = undefined;
    });
  }

  private async checkAttachments(): Promise<void> {
    const attachments = this.prompt.attachments;
    if (!attachments.length) return;
    const accepted = this.model.attachmentTypes;
    if (accepted.size === 0) throw new AttachmentError('This model does not support attachments');
    for (const attachment of attachments) {
      await attachment.checkReadable();
      const type = await attachment.resolveType(this.signal);
      if (!accepted.has(type)) throw new AttachmentError(unsupportedTypeMessage(type, accepted));
    }
  }

  private handle(event: ModelEvent): void {
    switch (event.type) {
      case 'text':
        if (event.providerMetadata) this.noteTextMetadata(event.providerMetadata, event.text);
        if (event.text) {
          this.chunks.push(event.text);
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
      case 'tool_call':
        // As Python's add_tool_call(): a call the tools can answer needs an id to answer to.
        if (!event.toolCallId && !event.serverExecuted) event = { ...event, toolCallId: `tc_${newId()}` };
        this.others.push({ at: this.chunks.length + this.others.length, event });
        return;
      default:
        this.others.push({ at: this.chunks.length + this.others.length, event });
    }
  }

  /**
   * Records metadata that came with text, against the chunk it belongs to: the one `text`
   * is about to become, or (for metadata on empty text, as Gemini's grounding may come) the last.
   */
  private noteTextMetadata(metadata: Record<string, unknown>, text = ''): void {
    const chunk = text ? this.chunks.length : Math.max(0, this.chunks.length - 1);
    (this.textMetadata ??= []).push({ chunk, metadata });
  }

  private markDone(): void {
    this.chunks.seal(this.textSoFar);
    this.endedMs = performance.now();
    this.state = 'done';
    this.conversation?.responses.push(this);
  }

  private async runCallbacks(): Promise<void> {
    while (this.callbacks.length) {
      const callback = this.callbacks.shift()!;
      await callback(this);
    }
  }

  private fail(error: unknown): void {
    if (this.startedMs) this.endedMs = performance.now();
    this.state = 'failed';
    // Let the provider's generator clean up (close the HTTP body) if it is still open.
    if (this.source?.return) Promise.resolve(this.source.return(undefined)).catch(() => undefined);
    if (this.signal?.aborted) {
      this.failure = new AbortedError(
        this.chunks.length
          ? `The request was aborted after ${this.textSoFar.length} characters`
          : 'The request was aborted',
        { cause: error },
      );
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
    this.scrubKey(this.failure);
  }

  /** No API key may reach an error message. */
  private scrubKey(error: unknown): void {
    const key = this.key ?? this.model.key ?? this.explicitKey;
    if (!key || key.length < 4 || !(error instanceof Error)) return;
    if (error.message.includes(key)) error.message = error.message.split(key).join('[REDACTED]');
    if (typeof error.stack === 'string' && error.stack.includes(key)) error.stack = error.stack.split(key).join('[REDACTED]');
  }
}

/** Python llm's message for an attachment type a model does not take. */
export function unsupportedTypeMessage(type: string, accepted: ReadonlySet<string>): string {
  return `This model does not support attachments of type '${type}', only ${[...accepted].sort().join(', ')}`;
}

/**
 * `value` with `key` replaced by `[REDACTED]` in every string and property name; the same
 * object when the key appears nowhere (the payload can hold the whole answer: it is walked,
 * never serialised).
 */
function redactKey(value: unknown, key: string): unknown {
  if (typeof value === 'string') return value.includes(key) ? value.split(key).join('[REDACTED]') : value;
  if (Array.isArray(value)) {
    const items = value.map((item) => redactKey(item, key));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  let changed = false;
  const entries = Object.entries(value).map(([name, inner]) => {
    const redacted: [string, unknown] = [redactKey(name, key) as string, redactKey(inner, key)];
    if (redacted[0] !== name || redacted[1] !== inner) changed = true;
    return redacted;
  });
  return changed ? Object.fromEntries(entries) : value;
}

function isBatch(value: ModelEventChunk): value is readonly ModelEvent[] {
  return Array.isArray(value);
}

/** The text metadata of chunks [from, to), each provider's entries merged; undefined when none. */
function textMetadataIn(entries: readonly { chunk: number; metadata: Record<string, unknown> }[], from: number, to: number): Record<string, unknown> | undefined {
  let merged: Record<string, unknown> | undefined;
  for (const { chunk, metadata } of entries) {
    if (chunk < from || chunk >= to) continue;
    merged ??= {};
    for (const [provider, value] of Object.entries(metadata)) {
      const before = merged[provider];
      merged[provider] = before && typeof before === 'object' && value && typeof value === 'object' ? { ...before, ...value } : value;
    }
  }
  return merged;
}
