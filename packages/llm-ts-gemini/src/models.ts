import {
  type BatchApi,
  EmbeddingModel,
  Model,
  NeedsKeyError,
  type EmbedContext,
  type EmbeddingInput,
  type ExecuteContext,
  type ModelEvent,
  type OptionSpec,
  type OptionsSpec,
  type Prompt,
  type ServerSideToolClass,
  type TokenCount,
} from 'llm-ts';
import { serverSideToolsFor } from './server-side-tools.js';
import { ATTACHMENT_TYPES, type Capabilities, capabilitiesOf, type EmbeddingSpec, MEDIA_RESOLUTIONS } from './catalog.js';

/** The key's name in keys.json (`llm keys set gemini`). */
export const KEY_NAME = 'gemini';
/** The environment variable checked after keys.json. */
export const KEY_ENV_VAR = 'GEMINI_API_KEY';
/** The variable Python's llm-gemini reads; still honoured, after GEMINI_API_KEY. */
export const LEGACY_KEY_ENV_VAR = 'LLM_GEMINI_KEY';

/** Where requests go: GEMINI_BASE_URL, else Google's API. */
export function baseUrl(): string {
  const configured = process.env.GEMINI_BASE_URL?.trim();
  return (configured || 'https://generativelanguage.googleapis.com').replace(/\/+$/, '');
}

function resolveKey(find: () => string | undefined): string | undefined {
  try {
    return find();
  } catch (error) {
    const legacy = process.env[LEGACY_KEY_ENV_VAR];
    if (NeedsKeyError.is(error) && legacy) return legacy;
    throw error;
  }
}

const BASE_OPTIONS: Record<string, OptionSpec> = {
  code_execution: { type: 'boolean', description: 'Enables the model to generate and run Python code' },
  temperature: {
    type: 'number',
    min: 0,
    max: 2,
    description:
      'Controls the randomness of the output. Use higher values for more creative responses, and lower values for more deterministic responses.',
  },
  max_output_tokens: { type: 'integer', description: 'Sets the maximum number of tokens to include in a candidate.' },
  top_p: {
    type: 'number',
    min: 0,
    max: 1,
    description:
      'Changes how the model selects tokens for output. Tokens are selected from the most to least probable until the sum of their probabilities equals the topP value.',
  },
  top_k: {
    type: 'integer',
    min: 1,
    description:
      'Changes how the model selects tokens for output. A topK of 1 means the selected token is the most probable among all the tokens in the vocabulary, while a topK of 3 means that the next token is selected from among the 3 most probable using the temperature.',
  },
  json_object: { type: 'boolean', description: 'Output a valid JSON object {...}' },
  timeout: {
    type: 'number',
    min: 0,
    description: 'The maximum time in seconds to wait for a response. If the model does not respond within this time, the request is aborted.',
  },
};

export function optionsFor(caps: Capabilities): OptionsSpec {
  const spec: Record<string, OptionSpec> = { ...BASE_OPTIONS };
  if (!caps.codeExecution) delete spec.code_execution;
  if (caps.urlContext) {
    spec.url_context = {
      type: 'boolean',
      description: 'Enable the URL context tool so the model can fetch content from URLs mentioned in the prompt',
    };
  }
  if (caps.googleSearch) {
    spec.google_search = {
      type: 'boolean',
      description: 'Enables the model to use Google Search to improve the accuracy and recency of responses from the model',
    };
  }
  if (caps.thinkingBudget) {
    spec.thinking_budget = {
      type: 'integer',
      description: 'Indicates the thinking budget in tokens. Set to 0 to disable (-1 lets the model decide).',
    };
  }
  if (caps.thinkingLevels) {
    spec.thinking_level = {
      type: 'string',
      choices: caps.thinkingLevels,
      description: `Indicates the thinking level. Can be ${caps.thinkingLevels.map((l) => `'${l}'`).join(', ')}.`,
    };
  }
  if (caps.mediaResolution) {
    spec.media_resolution = {
      type: 'string',
      choices: MEDIA_RESOLUTIONS,
      description: 'Media resolution for the input media (esp. YouTube) - default is low, other values are medium, high, or unspecified',
    };
  }
  return spec;
}

/** A Gemini chat model, `gemini/<id>`, speaking the generateContent API. */
export class GeminiPro extends Model {
  readonly modelId: string;
  readonly geminiModelId: string;
  readonly capabilities: Capabilities;
  override readonly optionsSpec: OptionsSpec;
  override needsKey: string | null = KEY_NAME;
  override keyEnvVar: string | null = KEY_ENV_VAR;
  override supportsTools = true;
  override readonly supportedServerSideTools: readonly ServerSideToolClass[];
  override supportsToolChoice = true;

  constructor(geminiModelId: string) {
    super();
    this.geminiModelId = geminiModelId;
    this.modelId = `gemini/${geminiModelId}`;
    // The price list (llm prices) knows Gemini models by their API id, under Google.
    this.pricing = { provider: 'google', model: geminiModelId };
    this.capabilities = capabilitiesOf(geminiModelId);
    this.optionsSpec = optionsFor(this.capabilities);
    this.supportsSchema = this.capabilities.schema;
    this.supportedServerSideTools = serverSideToolsFor(geminiModelId, this.capabilities);
    if (this.capabilities.vision) this.attachmentTypes = ATTACHMENT_TYPES;
  }

  override toString(): string {
    return `GeminiPro: ${this.modelId}`;
  }

  override getKey(explicit?: string | null): string | undefined {
    return resolveKey(() => super.getKey(explicit));
  }

  /** Exact, from the Gemini API's countTokens method. */
  override async countPromptTokens(prompt: Prompt, context: { key: string | undefined; signal?: AbortSignal }): Promise<TokenCount> {
    const { countGeminiTokens } = await import('./request.js');
    return countGeminiTokens(this, prompt, context);
  }

  async *execute(prompt: Prompt, context: ExecuteContext): AsyncIterable<ModelEvent> {
    const { executeGemini } = await import('./request.js');
    yield* executeGemini(this, prompt, context);
  }

  /** Batch mode (`llm map --batch`): half price, answers within 24 hours. */
  override batchApi(): BatchApi {
    const code = () => import('./batch.js');
    const model = this;
    return {
      provider: 'gemini',
      submit: async (requests, context) => (await code()).submitBatch(model, requests, context),
      status: async (batchId, context) => (await code()).batchStatus(batchId, context),
      results: (status, context) =>
        (async function* () {
          yield* (await code()).batchResults(model, status, context);
        })(),
    };
  }
}

/** A Gemini embedding model, using batchEmbedContents. */
export class GeminiEmbeddingModel extends EmbeddingModel {
  readonly modelId: string;
  readonly spec: EmbeddingSpec;
  override batchSize: number | undefined = 20;
  override needsKey: string | null = KEY_NAME;
  override keyEnvVar: string | null = KEY_ENV_VAR;

  constructor(spec: EmbeddingSpec) {
    super();
    this.spec = spec;
    this.modelId = spec.id;
    this.supportsBinary = spec.binary ?? false;
  }

  override toString(): string {
    return `GeminiEmbeddingModel: ${this.modelId}`;
  }

  override getKey(explicit?: string | null): string | undefined {
    return resolveKey(() => super.getKey(explicit));
  }

  async embedBatch(items: EmbeddingInput[], context: EmbedContext): Promise<number[][]> {
    const { embedGemini } = await import('./request.js');
    return embedGemini(this, items, context);
  }
}
