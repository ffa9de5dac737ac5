import {
  type BatchApi,
  type ExecuteContext,
  Model,
  type ModelEvent,
  type OptionSpec,
  type OptionsSpec,
  type OptionValues,
  OptionsError,
  type Prompt,
  type ServerSideToolClass,
  type TokenCount,
} from 'llm-ts';
import { serverSideToolsFor } from './server-side-tools.js';

/**
 * The Claude models, as llm-anthropic registers them: `anthropic/<api id>` plus the same
 * aliases and per-model capabilities. Everything here is data; the request code lives
 * in request.ts and is loaded only when a prompt runs.
 */
export interface ClaudeFlags {
  pdf?: boolean;
  thinking?: boolean;
  /** `thinking_effort` (output_config.effort). */
  effort?: boolean;
  /** Claude 4.6 and later: adaptive thinking, no prefill. */
  adaptive?: boolean;
  /** Schemas through `output_config.format` rather than a forced tool. */
  structuredOutputs?: boolean;
  defaultMaxTokens?: number;
}

export interface ClaudeEntry {
  id: string;
  aliases: string[];
  flags: ClaudeFlags;
}

const C4: ClaudeFlags = { pdf: true, thinking: true };

export const CLAUDE_MODELS: readonly ClaudeEntry[] = [
  { id: 'claude-3-opus-20240229', aliases: [], flags: {} },
  { id: 'claude-3-opus-latest', aliases: ['claude-3-opus'], flags: {} },
  { id: 'claude-3-sonnet-20240229', aliases: ['claude-3-sonnet'], flags: {} },
  { id: 'claude-3-haiku-20240307', aliases: ['claude-3-haiku'], flags: {} },
  { id: 'claude-3-5-sonnet-20240620', aliases: [], flags: { pdf: true, defaultMaxTokens: 8192 } },
  { id: 'claude-3-5-sonnet-20241022', aliases: [], flags: { pdf: true, defaultMaxTokens: 8192 } },
  {
    id: 'claude-3-5-sonnet-latest',
    aliases: ['claude-3.5-sonnet', 'claude-3.5-sonnet-latest'],
    flags: { pdf: true, defaultMaxTokens: 8192 },
  },
  { id: 'claude-3-5-haiku-latest', aliases: ['claude-3.5-haiku'], flags: { defaultMaxTokens: 8192 } },
  { id: 'claude-3-7-sonnet-20250219', aliases: [], flags: { ...C4, defaultMaxTokens: 8192 } },
  {
    id: 'claude-3-7-sonnet-latest',
    aliases: ['claude-3.7-sonnet', 'claude-3.7-sonnet-latest'],
    flags: { ...C4, defaultMaxTokens: 8192 },
  },
  { id: 'claude-opus-4-0', aliases: ['claude-4-opus'], flags: { ...C4, defaultMaxTokens: 32000 } },
  { id: 'claude-sonnet-4-0', aliases: ['claude-4-sonnet'], flags: { ...C4, defaultMaxTokens: 64000 } },
  {
    id: 'claude-opus-4-1-20250805',
    aliases: ['claude-opus-4.1'],
    flags: { ...C4, structuredOutputs: true, defaultMaxTokens: 32000 },
  },
  {
    id: 'claude-sonnet-4-5',
    aliases: ['claude-sonnet-4.5'],
    flags: { ...C4, structuredOutputs: true, defaultMaxTokens: 64000 },
  },
  {
    id: 'claude-haiku-4-5-20251001',
    aliases: ['claude-haiku-4.5'],
    flags: { ...C4, structuredOutputs: true, defaultMaxTokens: 64000 },
  },
  {
    id: 'claude-opus-4-5-20251101',
    aliases: ['claude-opus-4.5'],
    flags: { ...C4, effort: true, defaultMaxTokens: 64000 },
  },
  {
    id: 'claude-opus-4-6',
    aliases: ['claude-opus-4.6'],
    flags: { ...C4, effort: true, adaptive: true, structuredOutputs: true, defaultMaxTokens: 128000 },
  },
  {
    id: 'claude-sonnet-4-6',
    aliases: ['claude-sonnet-4.6'],
    flags: { ...C4, effort: true, adaptive: true, structuredOutputs: true, defaultMaxTokens: 128000 },
  },
  {
    id: 'claude-opus-4-7',
    aliases: ['claude-opus-4.7'],
    flags: { ...C4, effort: true, adaptive: true, structuredOutputs: true, defaultMaxTokens: 128000 },
  },
];

/** A stop_sequences value: a string, a JSON array of strings given as a string, or a list. */
export function parseStopSequences(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value as string[];
  if (typeof value !== 'string') return undefined;
  if (value.trimStart().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed;
      return undefined;
    } catch {
      return [value];
    }
  }
  return [value];
}

const BASE_OPTIONS: Record<string, OptionSpec> = {
  max_tokens: { type: 'integer', min: 1, description: 'The maximum number of tokens to generate before stopping' },
  temperature: {
    type: 'number',
    min: 0,
    max: 1,
    description:
      'Amount of randomness injected into the response. Defaults to 1.0. Ranges from 0.0 to 1.0. Use temperature closer to 0.0 for analytical / multiple choice, and closer to 1.0 for creative and generative tasks.',
  },
  top_p: {
    type: 'number',
    min: 0,
    max: 1,
    description: 'Nucleus sampling: only tokens within this top probability mass are considered. Use this or temperature, not both.',
  },
  top_k: {
    type: 'integer',
    min: 1,
    description: "Only sample from the top K options for each subsequent token, removing 'long tail' low probability responses.",
  },
  user_id: { type: 'string', description: 'An external identifier for the user who is associated with the request' },
  prefill: { type: 'string', description: 'A prefill to use for the response' },
  hide_prefill: { type: 'boolean', description: 'Do not repeat the prefill value at the start of the response' },
  stop_sequences: {
    type: 'string_or_list',
    description:
      'Custom text sequences that will cause the model to stop generating - pass either a list of strings or a single string',
    check: (value) =>
      parseStopSequences(value) ? undefined : 'stop_sequences must be a list of strings or a single string',
  },
  cache: { type: 'boolean', description: 'Use Anthropic prompt cache for any attachments or fragments' },
};

const THINKING_OPTIONS: Record<string, OptionSpec> = {
  thinking: { type: 'boolean', description: 'Enable thinking mode' },
  thinking_budget: { type: 'integer', min: 1024, description: 'Number of tokens to budget for thinking (at least 1024)' },
  thinking_display: { type: 'boolean', description: 'Request summarized thinking output (available in --json logs)' },
  thinking_adaptive: { type: 'boolean', description: 'Force adaptive thinking mode (sends thinking={"type": "adaptive"})' },
};

const specs = new Map<string, OptionsSpec>();

export function optionsFor(flags: ClaudeFlags): OptionsSpec {
  const key = `${!!flags.thinking}/${!!flags.effort}/${!!flags.adaptive}`;
  let spec = specs.get(key);
  if (!spec) {
    const built: Record<string, OptionSpec> = { ...BASE_OPTIONS };
    if (flags.thinking) Object.assign(built, THINKING_OPTIONS);
    if (flags.effort) {
      const choices = flags.adaptive ? ['low', 'medium', 'high', 'max'] : ['low', 'medium', 'high'];
      built.thinking_effort = {
        type: 'string',
        choices,
        description: `Level of thinking effort to apply: ${choices.join(', ')}`,
      };
    }
    spec = Object.freeze(built);
    specs.set(key, spec);
  }
  return spec;
}

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

/** The base URL of the Messages API: ANTHROPIC_BASE_URL, else api.anthropic.com. */
export function anthropicBaseUrl(): string {
  return (process.env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com').replace(/\/+$/, '');
}

/** A Claude model through Anthropic's Messages API. */
export class ClaudeMessages extends Model {
  readonly modelId: string;
  readonly claudeModelId: string;
  readonly flags: ClaudeFlags;
  readonly defaultMaxTokens: number;
  override needsKey: string | null = 'anthropic';
  override keyEnvVar: string | null = 'ANTHROPIC_API_KEY';
  override supportsSchema = true;
  override supportsTools = true;
  override supportsToolChoice = true;
  override readonly optionsSpec: OptionsSpec;
  override attachmentTypes: ReadonlySet<string>;
  override readonly supportedServerSideTools: readonly ServerSideToolClass[];

  constructor(claudeModelId: string, flags: ClaudeFlags = {}) {
    super();
    this.claudeModelId = claudeModelId;
    this.modelId = `anthropic/${claudeModelId}`;
    // The price list (llm prices) knows Claude models by their API id.
    this.pricing = { provider: 'anthropic', model: claudeModelId };
    this.flags = flags;
    this.defaultMaxTokens = flags.defaultMaxTokens ?? 4096;
    this.optionsSpec = optionsFor(flags);
    this.attachmentTypes = new Set(flags.pdf ? [...IMAGE_TYPES, 'application/pdf'] : IMAGE_TYPES);
    this.supportedServerSideTools = serverSideToolsFor(claudeModelId);
  }

  override toString(): string {
    return `Anthropic Messages: ${this.modelId}`;
  }

  /** Per-option checks, then the rules that involve more than one option. */
  override validate(options: OptionValues): OptionValues {
    const values = super.validate(options);
    if (values.temperature !== undefined && values.top_p !== undefined) {
      throw new OptionsError('Only one of temperature and top_p can be set');
    }
    if (values.prefill !== undefined && this.flags.adaptive) {
      throw new OptionsError(
        `Prefilling assistant messages is not supported by ${this.claudeModelId}; use a schema or the system prompt instead`,
      );
    }
    return values;
  }

  /** Exact, from Anthropic's count_tokens endpoint. */
  override async countPromptTokens(prompt: Prompt, context: { key: string | undefined; signal?: AbortSignal }): Promise<TokenCount> {
    const { countClaudeTokens } = await import('./request.js');
    return countClaudeTokens(this, prompt, context);
  }

  async *execute(prompt: Prompt, context: ExecuteContext): AsyncIterable<ModelEvent> {
    const { executeClaude } = await import('./request.js');
    yield* executeClaude(this, prompt, context);
  }

  /** Message Batches (`llm map --batch`): half price, answers within 24 hours. */
  override batchApi(): BatchApi {
    const code = () => import('./batch.js');
    return {
      provider: 'anthropic',
      submit: async (requests, context) => (await code()).submitBatch(this, requests, context),
      status: async (batchId, context) => (await code()).batchStatus(batchId, context),
      results: (status, context) => {
        const model = this;
        return (async function* () {
          yield* (await code()).batchResults(model, status, context);
        })();
      },
    };
  }
}
