import { deferredEvents, type EmbedContext, EmbeddingModel, type EmbeddingInput, type ExecuteContext, Model, type ModelEventChunk, type OptionsSpec, type Prompt } from 'llm-ts';
import type { AddedProvider } from './config.js';

/** The generation settings every AI SDK language model takes, as llm options. */
export const AI_SDK_OPTIONS: OptionsSpec = Object.freeze({
  temperature: { type: 'number', min: 0, max: 2, description: 'Sampling temperature: higher is more random' },
  max_tokens: { type: 'integer', min: 1, description: 'Maximum number of tokens to generate' },
  top_p: { type: 'number', min: 0, max: 1, description: 'Nucleus sampling: only tokens within this top probability mass' },
  top_k: { type: 'integer', min: 1, description: 'Only sample from the top K options for each token' },
  seed: { type: 'integer', description: 'Random seed, for providers that support deterministic sampling' },
  frequency_penalty: { type: 'number', min: -2, max: 2, description: 'Penalise tokens by how often they appeared so far' },
  presence_penalty: { type: 'number', min: -2, max: 2, description: 'Penalise tokens that appeared so far' },
  stop: { type: 'string_or_list', description: 'Stop sequences: a string or a list of strings' },
});

/**
 * A model of an AI SDK provider package (`mistral/mistral-large-latest`). Only data here:
 * the AI SDK itself is loaded by request.ts when a prompt runs.
 */
export class AiSdkModel extends Model {
  readonly modelId: string;
  override supportsSchema = true;
  override supportsTools = true;
  override supportsToolChoice = true;
  override readonly optionsSpec: OptionsSpec = AI_SDK_OPTIONS;
  override attachmentTypes: ReadonlySet<string>;

  constructor(
    readonly providerName: string,
    readonly provider: AddedProvider,
    readonly providerModelId: string,
    attachments: readonly string[] = [],
  ) {
    super();
    this.modelId = `${providerName}/${providerModelId}`;
    // An optional key (Vertex) is looked up when the request is made: none is no error.
    this.needsKey = provider.keyEnv && !provider.optionalKey ? providerName : null;
    this.keyEnvVar = provider.optionalKey ? null : provider.keyEnv;
    this.attachmentTypes = new Set(attachments);
  }

  override toString(): string {
    return `${this.provider.label} (AI SDK): ${this.modelId}`;
  }

  execute(prompt: Prompt, context: ExecuteContext): AsyncIterable<ModelEventChunk> {
    // No async layer per event (as `yield*` would add): each pull goes straight to request.ts.
    return deferredEvents(async () => (await import('./request.js')).executeAiSdk(this, prompt, context));
  }
}

/** An embedding model of an AI SDK provider package (`mistral/mistral-embed`), through its `doEmbed()`. */
export class AiSdkEmbeddingModel extends EmbeddingModel {
  readonly modelId: string;
  override batchSize: number | undefined = 32;

  constructor(
    readonly providerName: string,
    readonly provider: AddedProvider,
    readonly providerModelId: string,
    batchSize?: number,
  ) {
    super();
    this.modelId = `${providerName}/${providerModelId}`;
    this.needsKey = provider.keyEnv && !provider.optionalKey ? providerName : null;
    this.keyEnvVar = provider.optionalKey ? null : provider.keyEnv;
    if (batchSize) this.batchSize = batchSize;
  }

  override toString(): string {
    return `${this.provider.label} (AI SDK): ${this.modelId}`;
  }

  async embedBatch(items: EmbeddingInput[], context: EmbedContext): Promise<number[][]> {
    const { embedAiSdk } = await import('./request.js');
    return embedAiSdk(this, items as string[], context);
  }
}
