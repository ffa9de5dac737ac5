/** What one response, a chain or a conversation cost, in US dollars. */
export interface Cost {
  input: number;
  output: number;
  total: number;
  currency: 'USD';
  /** Where the prices came from, e.g. `@pydantic/genai-prices 0.1.8 (openai gpt-4.1)`. */
  source: string;
}

/**
 * Prices stated by a user (the `prices:` key of extra-openai-models.yaml) or a plugin, in
 * US dollars per million tokens. genai-prices keys (`input_mtok`, `cache_write_mtok`…)
 * are accepted as they are.
 */
export interface StatedPrices {
  input?: number;
  output?: number;
  cached_input?: number;
  cache_write?: number;
  [priceKey: string]: number | undefined;
}

/**
 * How to price a model. A plugin sets `model.pricing`: the price list's provider id
 * (`openai`, `anthropic`, `google`…) and the id the list knows the model by, or prices
 * of its own.
 */
export interface ModelPricing {
  provider?: string;
  model?: string;
  prices?: StatedPrices;
  /** Who stated `prices`, shown as the cost's source. */
  source?: string;
  /** No price is known (a local or proxied endpoint with no stated prices): costs are unknown. */
  none?: boolean;
}

/** How many input tokens a prompt would be, and how sure that is. */
export interface TokenCount {
  tokens: number;
  /** True when a provider's counting endpoint or its published tokenizer counted them. */
  exact: boolean;
  /** How they were counted, e.g. `Anthropic count_tokens endpoint`, `estimate: about 4 characters a token`. */
  method: string;
}

/** One turn's usage as it is logged: input and output tokens, and the provider's details. */
export interface UsageRecord {
  model: string;
  resolvedModel?: string | null;
  input: number | null;
  output: number | null;
  details: Record<string, unknown> | null;
  /** When the response was made: prices as of that date. */
  datetime?: Date;
  pricing?: ModelPricing;
  /** Answered through a provider's Batch API (`llm map --batch`), billed at half price. */
  batch?: boolean;
}
