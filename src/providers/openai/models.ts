import { CodeInterpreter, WebSearch } from '../../tools/server-side/openai-tools.js';
import { ServerSideTool, checkServerSideTools } from '../../tools/server-side/server-side-tool.js';
import { EmbeddingModel, type EmbedContext, type EmbeddingInput } from '../../models/embedding-model.js';
import type { ModelEventChunk } from '../../models/events.js';
import { deferredEvents, type ExecuteContext, Model } from '../../models/model.js';
import type { OptionsSpec } from '../../models/options.js';
import type { Prompt } from '../../models/prompt.js';
import { buildOptionsSpec, COMPLETION_OPTIONS } from './options.js';
import type { BatchApi, BatchContext, BatchRequest, BatchStatus } from '../../batch/adapter.js';

/** OpenAI's Batch API for a chat model; the request code loads when it is first used. */
function openAIBatchApi(model: OpenAIChat): BatchApi {
  const code = () => import('./batch.js');
  return {
    provider: 'openai',
    submit: async (requests: readonly BatchRequest[], context: BatchContext) => (await code()).submitBatch(model, requests, context),
    status: async (batchId: string, context: BatchContext) => (await code()).batchStatus(model, batchId, context),
    results: (status: BatchStatus, context: BatchContext) =>
      (async function* () {
        yield* (await code()).batchResults(model, status, context);
      })(),
  };
}
import type { StatedPrices, TokenCount } from '../../pricing/types.js';

/**
 * The OpenAI model classes. They hold only configuration; each `execute()` loads the
 * request code with `import()`, so registering them costs nothing.
 */

export interface OpenAIModelConfig {
  /** The id users type and logs record. */
  modelId: string;
  /** The id sent to the API, when it differs from modelId. */
  modelName?: string;
  /** Base URL of an OpenAI-compatible API, e.g. http://localhost:8080/v1. */
  apiBase?: string;
  apiType?: string;
  apiVersion?: string;
  apiEngine?: string;
  /** Extra HTTP headers sent with every request. */
  headers?: Record<string, string>;
  canStream?: boolean;
  vision?: boolean;
  audio?: boolean;
  reasoning?: boolean;
  verbosity?: boolean;
  imageDetailOriginal?: boolean;
  serviceTier?: boolean;
  supportsSchema?: boolean;
  supportsTools?: boolean;
  allowsSystemPrompt?: boolean;
  /** Responses models: ask for a reasoning summary by default (Python's reasoning_summary=True). */
  reasoningSummary?: boolean;
  /** Completion models: max_tokens when none is given. */
  defaultMaxTokens?: number;
  /** Prices in USD per million tokens (extra-openai-models.yaml `prices:`), for a model the price list lacks. */
  prices?: StatedPrices;
}

const VISION_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'application/pdf'];
const AUDIO_TYPES = ['audio/wav', 'audio/mpeg'];

function attachmentTypesFor(config: OpenAIModelConfig): ReadonlySet<string> {
  const types: string[] = [];
  if (config.vision) types.push(...VISION_TYPES);
  if (config.audio) types.push(...AUDIO_TYPES);
  return new Set(types);
}

/** What the request code needs to know about a model. */
export interface OpenAIModelLike {
  readonly modelId: string;
  readonly config: OpenAIModelConfig;
  readonly needsKey: string | null;
}

abstract class OpenAIBase extends Model {
  readonly modelId: string;
  readonly config: OpenAIModelConfig;
  override needsKey: string | null = 'openai';
  override keyEnvVar: string | null = 'OPENAI_API_KEY';

  constructor(config: OpenAIModelConfig) {
    super();
    this.config = config;
    this.modelId = config.modelId;
    this.canStream = config.canStream !== false;
    this.supportsSchema = !!config.supportsSchema;
    this.supportsTools = !!config.supportsTools;
    // Chat Completions and Responses both take `tool_choice` wherever they take tools.
    this.supportsToolChoice = this.supportsTools;
    this.attachmentTypes = attachmentTypesFor(config);
    // OpenAI's own API is priced from the price list; another endpoint only by stated prices.
    if (config.prices) this.pricing = { prices: config.prices, source: 'extra-openai-models.yaml' };
    else if (!config.apiBase) this.pricing = { provider: 'openai', model: config.modelName || config.modelId };
    else this.pricing = { none: true };
  }

  /** The model id sent to the API. */
  get apiModelName(): string {
    return this.config.modelName || this.modelId;
  }

  /** OpenAI's own models: counted with their published tokenizer. Other endpoints: estimated. */
  override async countPromptTokens(prompt: Prompt, context: { key: string | undefined; signal?: AbortSignal }): Promise<TokenCount> {
    if (this.config.apiBase) return super.countPromptTokens(prompt, context);
    const { countOpenAITokens } = await import('./count.js');
    return countOpenAITokens(this.apiModelName, prompt);
  }
}

/** A model on the Chat Completions API (`/chat/completions`). */
export class OpenAIChat extends OpenAIBase {
  override readonly optionsSpec: OptionsSpec;

  constructor(config: OpenAIModelConfig) {
    super(config);
    this.optionsSpec = buildOptionsSpec({
      reasoning: config.reasoning,
      verbosity: config.verbosity,
      imageDetailOriginal: config.imageDetailOriginal,
      serviceTier: config.serviceTier,
    });
  }

  override toString(): string {
    return `OpenAI Chat: ${this.modelId}`;
  }

  execute(prompt: Prompt, context: ExecuteContext): AsyncIterable<ModelEventChunk> {
    return deferredEvents(async () => (await import('./chat.js')).executeChat(this, prompt, context));
  }

  override batchApi(): BatchApi {
    return openAIBatchApi(this);
  }
}

/** The provider-run tools Python's Responses models declare: its two own, and a raw spec. */
const RESPONSES_SERVER_SIDE_TOOLS = Object.freeze([WebSearch, CodeInterpreter, ServerSideTool]);

/** A model on the Responses API (`/responses`). */
export class OpenAIResponses extends OpenAIBase {
  override readonly optionsSpec: OptionsSpec;
  override readonly supportedServerSideTools = RESPONSES_SERVER_SIDE_TOOLS;

  constructor(config: OpenAIModelConfig) {
    super(config);
    this.optionsSpec = buildOptionsSpec({
      reasoning: config.reasoning,
      verbosity: config.verbosity,
      imageDetailOriginal: config.imageDetailOriginal,
      chatCompletions: true,
      serviceTier: config.serviceTier,
    });
  }

  override toString(): string {
    return `OpenAI Responses: ${this.modelId}`;
  }

  execute(prompt: Prompt, context: ExecuteContext): AsyncIterable<ModelEventChunk> {
    if (prompt.options.chat_completions) {
      // `-o chat_completions 1`: the same model over the older endpoint, which takes no server-side tools.
      return deferredEvents(async () => {
        checkServerSideTools({ modelId: this.modelId, supportedServerSideTools: [] }, prompt.serverSideTools);
        return (await import('./chat.js')).executeChat(this, prompt, context);
      });
    }
    return deferredEvents(async () => (await import('./responses.js')).executeResponses(this, prompt, context));
  }
}

/** The legacy completion endpoint (`/completions`), for gpt-3.5-turbo-instruct. */
export class OpenAICompletion extends OpenAIBase {
  override readonly optionsSpec: OptionsSpec = COMPLETION_OPTIONS;

  override toString(): string {
    return `OpenAI Completion: ${this.modelId}`;
  }

  execute(prompt: Prompt, context: ExecuteContext): AsyncIterable<ModelEventChunk> {
    return deferredEvents(async () => (await import('./chat.js')).executeCompletion(this, prompt, context));
  }
}

/** An OpenAI embedding model; the `-512`/`-256`/`-1024` variants send `dimensions`. */
export class OpenAIEmbeddingModel extends EmbeddingModel {
  readonly modelId: string;
  override batchSize: number | undefined = 100;
  override needsKey: string | null = 'openai';
  override keyEnvVar: string | null = 'OPENAI_API_KEY';

  constructor(
    modelId: string,
    readonly openaiModelId: string,
    readonly dimensions?: number,
  ) {
    super();
    this.modelId = modelId;
  }

  override toString(): string {
    return `OpenAIEmbeddingModel: ${this.modelId}`;
  }

  async embedBatch(items: EmbeddingInput[], context: EmbedContext): Promise<number[][]> {
    const { embedBatch } = await import('./embeddings.js');
    return embedBatch(this, items, context);
  }
}
