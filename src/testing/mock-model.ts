import { LlmError } from '../errors.js';
import { type EmbedContext, type EmbeddingInput, EmbeddingModel } from '../models/embedding-model.js';
import type { ModelEvent } from '../models/events.js';
import type { Message } from '../models/messages.js';
import { type ExecuteContext, Model } from '../models/model.js';
import type { OptionsSpec, OptionValues } from '../models/options.js';
import type { Prompt } from '../models/prompt.js';
import type { Attachment } from '../models/attachment.js';
import type { JsonSchema } from '../models/schema.js';

/** What a MockModel was sent for one prompt. */
export interface MockCall {
  prompt: string;
  system: string | undefined;
  options: OptionValues;
  /** The whole conversation as sent: earlier turns, then this one. */
  messages: readonly Message[];
  attachments: readonly Attachment[];
  schema: JsonSchema | undefined;
  stream: boolean;
  /** True when a key was resolved for the call (the key itself is never recorded). */
  hadKey: boolean;
}

export interface MockModelInit {
  modelId?: string;
  /** `String(model)`; default `MockModel: <id>`. */
  label?: string;
  optionsSpec?: OptionsSpec;
  attachmentTypes?: Iterable<string>;
  supportsSchema?: boolean;
  supportsTools?: boolean;
  canStream?: boolean;
  needsKey?: string | null;
  keyEnvVar?: string | null;
}

/** A chunk of a scripted reply: text, or any event a provider may yield. */
export type MockChunk = string | ModelEvent;

const words = (text: string | undefined) => (text ?? '').split(/\s+/).filter(Boolean).length;

/**
 * A scripted chat model for tests: queue replies with `enqueue()`, run prompts through the
 * real Model/Response machinery, then read back what was sent in `history`. Usage is
 * counted in words (prompt words in, reply words out) unless a reply scripts its own.
 */
export class MockModel extends Model {
  readonly modelId: string;
  override readonly optionsSpec: OptionsSpec;
  readonly history: MockCall[] = [];
  private readonly queue: MockChunk[][] = [];
  private readonly label: string | undefined;

  constructor(init: MockModelInit = {}) {
    super();
    this.modelId = init.modelId ?? 'mock';
    this.label = init.label;
    this.optionsSpec = init.optionsSpec ?? {
      max_tokens: { type: 'integer', description: 'Maximum number of tokens to generate', min: 1 },
      temperature: { type: 'number', description: 'Sampling temperature', min: 0, max: 2 },
    };
    this.attachmentTypes = new Set(init.attachmentTypes ?? []);
    this.supportsSchema = init.supportsSchema ?? true;
    this.supportsTools = init.supportsTools ?? false;
    this.canStream = init.canStream ?? true;
    this.needsKey = init.needsKey ?? null;
    this.keyEnvVar = init.keyEnvVar ?? null;
  }

  override toString(): string {
    return this.label ?? `MockModel: ${this.modelId}`;
  }

  /** Queues one reply (its chunks, in order) for the next prompt. Chainable. */
  enqueue(chunks: readonly MockChunk[] | string): this {
    this.queue.push(typeof chunks === 'string' ? [chunks] : [...chunks]);
    return this;
  }

  /** Replies still queued. */
  get pending(): number {
    return this.queue.length;
  }

  async *execute(prompt: Prompt, context: ExecuteContext): AsyncIterable<ModelEvent> {
    this.history.push({
      prompt: prompt.prompt,
      system: prompt.system,
      options: { ...prompt.options },
      messages: prompt.messages,
      attachments: prompt.attachments,
      schema: prompt.schema,
      stream: context.stream,
      hadKey: context.key !== undefined,
    });
    const reply = this.queue.shift();
    if (!reply) throw new LlmError(`MockModel ${this.modelId} has no reply queued: call enqueue([...]) before prompting`);
    let text = '';
    let usage = false;
    for (const chunk of reply) {
      context.signal?.throwIfAborted();
      if (typeof chunk === 'string') {
        text += chunk;
        yield { type: 'text', text: chunk };
      } else {
        if (chunk.type === 'text') text += chunk.text;
        if (chunk.type === 'usage') usage = true;
        yield chunk;
      }
    }
    if (!usage) yield { type: 'usage', input: words(prompt.prompt) + words(prompt.system), output: words(text) };
  }
}

/**
 * A deterministic embedding model for tests: each text becomes the lengths of its first
 * words, padded with zeros to `dimensions` (binary input: its first bytes). Every batch it
 * was asked for is kept in `batches`.
 */
export class MockEmbeddingModel extends EmbeddingModel {
  readonly modelId: string;
  readonly dimensions: number;
  readonly batches: EmbeddingInput[][] = [];

  constructor(init: { modelId?: string; dimensions?: number; batchSize?: number; supportsBinary?: boolean } = {}) {
    super();
    this.modelId = init.modelId ?? 'mock-embed';
    this.dimensions = init.dimensions ?? 16;
    this.batchSize = init.batchSize;
    this.supportsBinary = init.supportsBinary ?? false;
  }

  override toString(): string {
    return `MockEmbeddingModel: ${this.modelId}`;
  }

  async embedBatch(items: EmbeddingInput[], context: EmbedContext): Promise<number[][]> {
    context.signal?.throwIfAborted();
    this.batches.push([...items]);
    return items.map((item) => {
      const values = typeof item === 'string' ? item.split(/\s+/).filter(Boolean).map((word) => word.length) : [...item];
      const vector = values.slice(0, this.dimensions);
      while (vector.length < this.dimensions) vector.push(0);
      return vector;
    });
  }
}
