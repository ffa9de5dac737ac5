import type { OptionSpec, OptionsSpec } from '../../models/options.js';

/**
 * The options of the OpenAI models, as data. The set each model gets mirrors the Python
 * plugin's `build_options_class`: shared sampling options, then json_object, then the
 * extras a model's flags turn on; the descriptions are Python's, word for word.
 */

function checkLogitBias(value: unknown): string | undefined {
  const bad = 'Invalid key-value pair in logit_bias dictionary';
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!/^\s*[-+]?\d+\s*$/.test(key)) return bad;
    const n = typeof raw === 'number' ? Math.trunc(raw) : typeof raw === 'string' && /^\s*[-+]?\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < -100 || n > 100) return bad;
  }
  return undefined;
}

const SHARED: Record<string, OptionSpec> = {
  temperature: {
    type: 'number',
    min: 0,
    max: 2,
    description:
      'What sampling temperature to use, between 0 and 2. Higher values like 0.8 will make the output more random, while lower values like 0.2 will make it more focused and deterministic.',
  },
  max_tokens: { type: 'integer', description: 'Maximum number of tokens to generate.' },
  top_p: {
    type: 'number',
    min: 0,
    max: 1,
    description:
      'An alternative to sampling with temperature, called nucleus sampling, where the model considers the results of the tokens with top_p probability mass. So 0.1 means only the tokens comprising the top 10% probability mass are considered. Recommended to use top_p or temperature but not both.',
  },
  frequency_penalty: {
    type: 'number',
    min: -2,
    max: 2,
    description:
      "Number between -2.0 and 2.0. Positive values penalize new tokens based on their existing frequency in the text so far, decreasing the model's likelihood to repeat the same line verbatim.",
  },
  presence_penalty: {
    type: 'number',
    min: -2,
    max: 2,
    description:
      "Number between -2.0 and 2.0. Positive values penalize new tokens based on whether they appear in the text so far, increasing the model's likelihood to talk about new topics.",
  },
  stop: { type: 'string', description: 'A string where the API will stop generating further tokens.' },
  logit_bias: {
    type: 'object',
    description:
      'Modify the likelihood of specified tokens appearing in the completion. Pass a JSON string like \'{"1712":-100, "892":-100, "1489":-100}\'',
    check: checkLogitBias,
  },
  seed: { type: 'integer', description: 'Integer seed to attempt to sample deterministically' },
};

export interface OptionFlags {
  reasoning?: boolean;
  verbosity?: boolean;
  imageDetailOriginal?: boolean;
  chatCompletions?: boolean;
  serviceTier?: boolean;
}

/** Python's `enum_values_sentence`: `low, high, and auto`. */
function valuesSentence(values: readonly string[]): string {
  return values.length === 1 ? values[0]! : `${values.slice(0, -1).join(', ')}, and ${values[values.length - 1]}`;
}

const cache = new Map<string, OptionsSpec>();

/** The options spec for a combination of flags (shared between models with the same flags). */
export function buildOptionsSpec(flags: OptionFlags = {}): OptionsSpec {
  const cacheKey = JSON.stringify([
    !!flags.reasoning,
    !!flags.verbosity,
    !!flags.imageDetailOriginal,
    !!flags.chatCompletions,
    !!flags.serviceTier,
  ]);
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const spec: Record<string, OptionSpec> = { ...SHARED };
  spec.json_object = { type: 'boolean', description: 'Output a valid JSON object {...}. Prompt must mention JSON.' };
  if (flags.chatCompletions) {
    spec.chat_completions = {
      type: 'boolean',
      description:
        'Force the use of the older /v1/chat/completions endpoint instead of /v1/responses. Most callers should leave this off; set to true to fall back to the Chat Completions code path for compatibility.',
    };
  }
  const detail = flags.imageDetailOriginal ? ['low', 'high', 'original', 'auto'] : ['low', 'high', 'auto'];
  spec.image_detail = {
    type: 'string',
    choices: detail,
    description: `Controls the detail level for image attachments. Supported values are ${valuesSentence(detail)}.`,
  };
  if (flags.reasoning) {
    spec.reasoning_effort = {
      type: 'string',
      choices: ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'],
      description:
        'Constraints effort on reasoning for reasoning models. Currently supported values are low, medium, and high. Reducing reasoning effort can result in faster responses and fewer tokens used on reasoning in a response.',
    };
  }
  if (flags.verbosity) {
    spec.verbosity = {
      type: 'string',
      choices: ['low', 'medium', 'high'],
      description: "Controls how verbose the model's response should be. Supported values are low, medium, and high.",
    };
  }
  if (flags.serviceTier) {
    spec.service_tier = {
      type: 'string',
      description:
        "The processing tier to use for this request - for example 'fast' for Fast mode (faster responses at a higher price) or 'flex' for slower, cheaper processing on models that support those tiers.",
    };
  }
  const frozen = Object.freeze(spec);
  cache.set(cacheKey, frozen);
  return frozen;
}

/** The completion model's options: the shared ones plus logprobs. */
export const COMPLETION_OPTIONS: OptionsSpec = Object.freeze({
  ...SHARED,
  logprobs: { type: 'integer', max: 5, description: 'Include the log probabilities of most likely N per token' },
});
