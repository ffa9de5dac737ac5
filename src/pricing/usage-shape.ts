// Turns a logged turn's usage (input, output, token_details as each provider plugin stores
// them) back into the provider's own usage object, and lets genai-prices' maintained
// extractors read it: cached input, cache writes, reasoning and audio tokens included.
import type { GenaiPrices } from './price-list.js';
import type { UsageRecord } from './types.js';

type Usage = Record<string, number | undefined>;
type Json = Record<string, unknown>;

const GEMINI_KEYS = ['candidatesTokenCount', 'thoughtsTokenCount', 'cachedContentTokenCount', 'promptTokensDetails', 'toolUsePromptTokenCount', 'candidatesTokensDetails'];
const ANTHROPIC_KEYS = ['cache_creation_input_tokens', 'cache_read_input_tokens', 'cache_creation', 'server_tool_use'];

/** Which wire format the stored details come from. */
export function usageShape(details: Json | null): 'gemini' | 'anthropic' | 'openai-chat' | 'openai-responses' | 'plain' {
  if (!details) return 'plain';
  if (GEMINI_KEYS.some((k) => k in details)) return 'gemini';
  if (ANTHROPIC_KEYS.some((k) => k in details)) return 'anthropic';
  if ('input_tokens_details' in details || 'output_tokens_details' in details) return 'openai-responses';
  if ('prompt_tokens_details' in details || 'completion_tokens_details' in details) return 'openai-chat';
  return 'plain';
}

/** The usage genai-prices prices: `input_tokens` is all input, cached and cache-written included. */
export function genaiUsage(lib: GenaiPrices, record: UsageRecord): Usage {
  const input = record.input ?? 0;
  const output = record.output ?? 0;
  const plain: Usage = { input_tokens: input, output_tokens: output };
  const details = record.details;
  const shape = usageShape(details);
  if (shape === 'plain') return plain;
  let provider: string;
  let flavor: string;
  let raw: Json;
  switch (shape) {
    case 'gemini': {
      // llm-gemini stores promptTokenCount (+ tool-use prompt tokens) as input, candidates + thoughts as output.
      const toolUse = Number(details!.toolUsePromptTokenCount) || 0;
      raw = { usageMetadata: { ...details, promptTokenCount: input - toolUse } };
      provider = 'google';
      flavor = 'default';
      break;
    }
    case 'anthropic':
      raw = { usage: { ...details, input_tokens: input, output_tokens: output } };
      provider = 'anthropic';
      flavor = 'default';
      break;
    case 'openai-responses':
      raw = { usage: { ...details, input_tokens: input, output_tokens: output } };
      provider = 'openai';
      flavor = 'responses';
      break;
    default:
      raw = { usage: { ...details, prompt_tokens: input, completion_tokens: output } };
      provider = 'openai';
      flavor = 'chat';
  }
  const extractor = lib.findProvider({ providerId: provider });
  if (!extractor) return plain;
  try {
    const usage: Usage = lib.extractUsage(extractor, { ...raw, model: record.model, modelVersion: record.model }, flavor).usage;
    // Stored totals win: a detail the extractor could not read must not lose tokens.
    if (usage.output_tokens === undefined) usage.output_tokens = output;
    if (usage.input_tokens === undefined) usage.input_tokens = input;
    return usage;
  } catch {
    return plain;
  }
}
