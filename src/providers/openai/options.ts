import type { OptionSpec, OptionsSpec } from '../../models/options.js';

/**
 * The options of the OpenAI models, as data. The set each model gets mirrors the Python
 * plugin's `build_options_class`: shared sampling options, then json_object, then the
 * extras a model's flags turn on.
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
    description: 'Sampling temperature between 0 and 2: higher values give more random output, lower values more focused output.',
  },
  max_tokens: { type: 'integer', description: 'The most tokens to generate.' },
  top_p: {
    type: 'number',
    min: 0,
    max: 1,
    description: 'Nucleus sampling: only tokens within this top probability mass are considered (0.1 = the top 10%). Use this or temperature, not both.',
  },
  frequency_penalty: {
    type: 'number',
    min: -2,
    max: 2,
    description: 'Between -2.0 and 2.0. Positive values penalise tokens by how often they already appear, making verbatim repetition less likely.',
  },
  presence_penalty: {
    type: 'number',
    min: -2,
    max: 2,
    description: 'Between -2.0 and 2.0. Positive values penalise tokens that have appeared at all, nudging the model to new topics.',
  },
  stop: { type: 'string', description: 'Stop generating when this string is produced.' },
  logit_bias: {
    type: 'object',
    description: 'Adjust the likelihood of given token ids, as a JSON object of token id to a bias between -100 and 100, e.g. \'{"1712": -100}\'.',
    check: checkLogitBias,
  },
  seed: { type: 'integer', description: 'Seed for (mostly) deterministic sampling.' },
};

export interface OptionFlags {
  reasoning?: boolean;
  reasoningSummary?: boolean;
  verbosity?: boolean;
  imageDetailOriginal?: boolean;
  chatCompletions?: boolean;
  serviceTier?: boolean;
}

const cache = new Map<string, OptionsSpec>();

/** The options spec for a combination of flags (shared between models with the same flags). */
export function buildOptionsSpec(flags: OptionFlags = {}): OptionsSpec {
  const cacheKey = JSON.stringify([
    !!flags.reasoning,
    !!flags.reasoningSummary,
    !!flags.verbosity,
    !!flags.imageDetailOriginal,
    !!flags.chatCompletions,
    !!flags.serviceTier,
  ]);
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const spec: Record<string, OptionSpec> = { ...SHARED };
  spec.json_object = { type: 'boolean', description: 'Reply with a valid JSON object {...}. The prompt must mention JSON.' };
  if (flags.chatCompletions) {
    spec.chat_completions = {
      type: 'boolean',
      description: 'Send this prompt to the older /v1/chat/completions endpoint instead of /v1/responses, for compatibility.',
    };
  }
  const detail = flags.imageDetailOriginal ? ['low', 'high', 'original', 'auto'] : ['low', 'high', 'auto'];
  spec.image_detail = {
    type: 'string',
    choices: detail,
    description: `Detail level for image attachments: ${detail.join(', ')}.`,
  };
  if (flags.reasoning) {
    spec.reasoning_effort = {
      type: 'string',
      choices: ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'],
      description: 'How much effort a reasoning model spends thinking; lower effort is faster and uses fewer reasoning tokens.',
    };
  }
  if (flags.reasoningSummary) {
    spec.reasoning_summary = {
      type: 'string',
      choices: ['auto', 'concise', 'detailed'],
      description: 'Ask for a summary of the reasoning: auto, concise or detailed.',
    };
  }
  if (flags.verbosity) {
    spec.verbosity = {
      type: 'string',
      choices: ['low', 'medium', 'high'],
      description: 'How verbose the answer should be: low, medium or high.',
    };
  }
  if (flags.serviceTier) {
    spec.service_tier = {
      type: 'string',
      description: "Processing tier for the request, e.g. 'fast' (quicker, costs more) or 'flex' (slower, cheaper) where the model offers them.",
    };
  }
  const frozen = Object.freeze(spec);
  cache.set(cacheKey, frozen);
  return frozen;
}

/** The completion model's options: the shared ones plus logprobs. */
export const COMPLETION_OPTIONS: OptionsSpec = Object.freeze({
  ...SHARED,
  logprobs: { type: 'integer', max: 5, description: 'Return the log probabilities of the N most likely tokens at each position (at most 5).' },
});
