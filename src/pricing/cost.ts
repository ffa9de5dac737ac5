// Prices one turn from its logged usage, with the price list or prices stated by the
// user or a plugin. Unknown models cost null: never a guess shown as fact.
import { loadPriceList, type GenaiPrices, type PriceListInfo, type PriceProvider } from './price-list.js';
import { genaiUsage } from './usage-shape.js';
import type { Cost, ModelPricing, StatedPrices, UsageRecord } from './types.js';

/** Model id prefixes whose provider is certain (`gpt-4.1`, `claude-…`, `gemini-…`). */
const KNOWN_PREFIXES: [RegExp, string][] = [
  [/^(gpt-|chatgpt-|o1|o3|o4|text-embedding-|davinci|babbage)/, 'openai'],
  [/^claude-/, 'anthropic'],
  [/^gemini-/, 'google'],
];
/**
 * `provider/model` ids as plugins write them, where the name differs from genai-prices' id
 * (llm-ts-ai-sdk's `bedrock/…`, `vertex/…`, `xai/…`; `mistral/…`, `groq/…`, `azure/…` match as they are).
 */
const PREFIX_PROVIDERS: Record<string, string> = {
  gemini: 'google',
  vertex: 'google',
  claude: 'anthropic',
  bedrock: 'aws',
  xai: 'x-ai',
  togetherai: 'together',
};

const round = (value: number): number => Math.round(value * 1e10) / 1e10;

/** What to look up: the provider and the ids to try, most specific first. */
export function lookupFor(record: UsageRecord, lib: GenaiPrices): { provider: string; ids: string[] } | undefined {
  const pricing = record.pricing;
  if (pricing?.none) return undefined;
  const ids = [pricing?.model, record.resolvedModel ?? undefined, record.model].filter((id): id is string => !!id);
  if (pricing?.provider) return { provider: pricing.provider, ids };
  for (const id of ids) {
    const slash = id.indexOf('/');
    if (slash > 0) {
      const prefix = id.slice(0, slash);
      const provider = PREFIX_PROVIDERS[prefix] ?? prefix;
      if (lib.findProvider({ providerId: provider })?.id === provider) return { provider, ids: ids.map((i) => (i.startsWith(prefix + '/') ? i.slice(slash + 1) : i)) };
    }
    for (const [pattern, provider] of KNOWN_PREFIXES) if (pattern.test(id)) return { provider, ids };
  }
  return undefined;
}

const STATED_KEYS: Record<string, string> = { input: 'input_mtok', output: 'output_mtok', cached_input: 'cache_read_mtok', cache_write: 'cache_write_mtok' };

/** Prices stated as `{input, output, cached_input…}` per million tokens, as genai-prices model prices. */
export function statedModelPrice(prices: StatedPrices): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [key, value] of Object.entries(prices)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) continue;
    result[STATED_KEYS[key] ?? key] = value;
  }
  return result;
}

function statedProvider(modelId: string, pricing: ModelPricing): PriceProvider {
  return {
    id: 'stated',
    name: pricing.source ?? 'stated prices',
    api_pattern: '^$',
    models: [{ id: modelId, match: { equals: modelId }, prices: statedModelPrice(pricing.prices!) }],
  };
}

/** The cost of one turn, or null when its model has no known price or it has no usage. */
export function priceUsage(record: UsageRecord, list = loadPriceList()): Cost | null {
  const cost = listPrice(record, list);
  return cost && record.batch ? batchPrice(cost) : cost;
}

/**
 * OpenAI's, Anthropic's and Gemini's Batch APIs bill half the listed price, input and
 * output alike.
 */
function batchPrice(cost: Cost): Cost {
  return {
    input: round(cost.input / 2),
    output: round(cost.output / 2),
    total: round(cost.total / 2),
    currency: cost.currency,
    source: `${cost.source}, batch price (half)`,
  };
}

function listPrice(record: UsageRecord, list: ReturnType<typeof loadPriceList>): Cost | null {
  if (record.input === null && record.output === null) return null;
  const { lib, info } = list;
  const usage = genaiUsage(lib, record);
  const timestamp = record.datetime && !Number.isNaN(record.datetime.getTime()) ? record.datetime : undefined;
  if (record.pricing?.prices) {
    const result = lib.calcPrice(usage, record.model, { provider: statedProvider(record.model, record.pricing), timestamp });
    return result ? toCost(result, record.pricing.source ?? 'stated prices') : null;
  }
  const lookup = lookupFor(record, lib);
  if (!lookup) return null;
  for (const id of lookup.ids) {
    let result: ReturnType<GenaiPrices['calcPrice']>;
    try {
      result = matchedPrice(list, usage, id, lookup.provider, timestamp);
    } catch {
      // Usage the price list cannot split (e.g. more cached tokens than input): unknown.
      return null;
    }
    if (result) return toCost(result, sourceOf(info, result.provider.id, result.model.id));
  }
  return null;
}

// Per price list: the provider narrowed to the one model an id matched (or null: none did).
const matched = new WeakMap<object, Map<string, PriceProvider | null>>();

/**
 * `calcPrice` by provider id, which matches the id against every model the provider has
 * (most of the time it takes). The model it matched is kept, and later calls for that id
 * pass the provider with that one model: the same price, without the search. Pricing a
 * whole logs.db (`llm usage`'s first run) calls this once per turn.
 */
function matchedPrice(list: ReturnType<typeof loadPriceList>, usage: Parameters<GenaiPrices['calcPrice']>[0], id: string, providerId: string, timestamp: Date | undefined) {
  let known = matched.get(list);
  if (!known) matched.set(list, (known = new Map()));
  const key = `${providerId}\n${id}`;
  const narrowed = known.get(key);
  if (narrowed === null) return null;
  if (narrowed) return list.lib.calcPrice(usage, id, { provider: narrowed, timestamp });
  const result = list.lib.calcPrice(usage, id, { providerId, timestamp });
  known.set(key, result ? ({ ...result.provider, models: [result.model] } as PriceProvider) : null);
  return result;
}

function sourceOf(info: PriceListInfo, provider: string, model: string): string {
  return `${info.source}${info.date ? ` of ${info.date}` : ''} (${provider} ${model})`;
}

function toCost(result: { input_price: number; output_price: number; total_price: number }, source: string): Cost {
  return { input: round(result.input_price), output: round(result.output_price), total: round(result.total_price), currency: 'USD', source };
}

/** The sum of several costs; null if any is unknown (or there are none). */
export function sumCosts(costs: readonly (Cost | null)[]): Cost | null {
  if (!costs.length || costs.some((c) => c === null)) return null;
  const known = costs as Cost[];
  const sources = [...new Set(known.map((c) => c.source))];
  return {
    input: round(known.reduce((sum, c) => sum + c.input, 0)),
    output: round(known.reduce((sum, c) => sum + c.output, 0)),
    total: round(known.reduce((sum, c) => sum + c.total, 0)),
    currency: 'USD',
    source: sources.join('; '),
  };
}

/** `$0.001234`: enough digits to show a small cost, `unknown` when it is not known. */
export function formatCost(cost: Cost | number | null | undefined): string {
  if (cost === null || cost === undefined) return 'unknown';
  const value = typeof cost === 'number' ? cost : cost.total;
  if (value === 0) return '$0';
  if (value >= 1) return `$${value.toFixed(2)}`;
  if (value >= 0.01) return `$${value.toFixed(4)}`;
  const small = value.toFixed(6).replace(/\.?0+$/, '');
  return small === '0' ? '<$0.000001' : `$${small}`;
}

/** The prices (per million tokens, tiers included) a model is charged at today, or null if unknown. */
export function findPrices(
  modelId: string,
  pricing: ModelPricing | undefined,
  list = loadPriceList(),
): { provider: string; model: string; prices: Record<string, unknown>; source: string } | null {
  if (pricing?.prices) return { provider: 'stated', model: modelId, prices: statedModelPrice(pricing.prices), source: pricing.source ?? 'stated prices' };
  const lookup = lookupFor({ model: modelId, input: 0, output: 0, details: null, pricing }, list.lib);
  if (!lookup) return null;
  for (const id of lookup.ids) {
    const result = list.lib.calcPrice({ input_tokens: 0, output_tokens: 0 }, id, { providerId: lookup.provider });
    if (result) return { provider: result.provider.id, model: result.model.id, prices: { ...result.model_price }, source: sourceOf(list.info, result.provider.id, result.model.id) };
  }
  return null;
}
