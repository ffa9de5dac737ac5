// Which fields of an OpenAI request body are model options: the sampling settings a model
// takes (`temperature`, `max_tokens`...) and any field the protocol does not define (so
// `{"example_int": 3}` is `-o example_int 3`). Options are validated by the model.
import type { Model } from '../models/model.js';

/** Fields of the protocols themselves, never options. */
const PROTOCOL_FIELDS = new Set([
  'model', 'messages', 'input', 'instructions', 'stream', 'stream_options', 'tools', 'tool_choice', 'parallel_tool_calls',
  'response_format', 'text', 'n', 'user', 'metadata', 'store', 'modalities', 'audio', 'prediction', 'logprobs',
  'top_logprobs', 'include', 'previous_response_id', 'truncation', 'background', 'prompt_cache_key', 'safety_identifier',
  'web_search_options', 'functions', 'function_call', 'encoding_format', 'dimensions', 'reasoning', 'conversation',
]);

/** Standard sampling settings, passed only to a model that has them (others ignore them, as gateways do). */
const SAMPLING_FIELDS = new Set([
  'temperature', 'top_p', 'max_tokens', 'frequency_penalty', 'presence_penalty', 'stop', 'seed', 'logit_bias',
  'reasoning_effort', 'service_tier', 'verbosity',
]);

/** Other spellings of an option. */
const RENAMED: Record<string, string> = { max_completion_tokens: 'max_tokens', max_output_tokens: 'max_tokens' };

export function requestOptions(body: Record<string, unknown>, model: Model): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    if (PROTOCOL_FIELDS.has(field) || value === null || value === undefined) continue;
    const name = RENAMED[field] ?? field;
    if (!(name in model.optionsSpec) && SAMPLING_FIELDS.has(name)) continue;
    options[name] = value;
  }
  // The Responses API's reasoning: {effort, summary}.
  const reasoning = body.reasoning as { effort?: unknown; summary?: unknown } | undefined;
  if (reasoning?.effort != null && 'reasoning_effort' in model.optionsSpec) options.reasoning_effort = reasoning.effort;
  if (reasoning?.summary != null && 'reasoning_summary' in model.optionsSpec) options.reasoning_summary = reasoning.summary;
  return options;
}
