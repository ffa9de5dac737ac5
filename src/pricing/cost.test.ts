import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import { formatCost, priceUsage, sumCosts } from './cost.js';
import { usageShape } from './usage-shape.js';
import type { UsageRecord } from './types.js';

// Usage as each provider plugin logs it (input_tokens, output_tokens, token_details), from
// recorded exchanges; expected dollars from the bundled snapshot's published prices.
const close = (actual: number | undefined, expected: number): void => assert.ok(Math.abs((actual ?? NaN) - expected) < 1e-9, `${actual} != ${expected}`);

describe('priceUsage', () => {
  let dir: ReturnType<typeof tempUserDir>;
  before(() => (dir = tempUserDir()));
  after(() => dir.cleanup());

  test('OpenAI chat: cached input at the cache-read rate (gpt-4.1: $2 in, $0.50 cached, $8 out per M)', () => {
    const record: UsageRecord = { model: 'gpt-4.1', input: 2000, output: 100, details: { prompt_tokens_details: { cached_tokens: 1024 } } };
    assert.equal(usageShape(record.details), 'openai-chat');
    const cost = priceUsage(record)!;
    close(cost.input, (976 * 2 + 1024 * 0.5) / 1e6);
    close(cost.output, (100 * 8) / 1e6);
    close(cost.total, cost.input + cost.output);
    assert.equal(cost.currency, 'USD');
    assert.match(cost.source, /@pydantic\/genai-prices 0\.1\.8 of 2026-09-23 \(openai gpt-4\.1\)/);
  });

  test('an answer from a Batch API (llm map --batch) costs half the listed price, and says so', () => {
    const record: UsageRecord = { model: 'gpt-4.1', input: 1_000_000, output: 100_000, details: null };
    const listed = priceUsage(record)!;
    const batch = priceUsage({ ...record, batch: true })!;
    close(listed.total, 2 + 0.8);
    close(batch.input, listed.input / 2);
    close(batch.output, listed.output / 2);
    close(batch.total, listed.total / 2);
    assert.match(batch.source, /\(openai gpt-4\.1\), batch price \(half\)$/);
  });

  test('a dated id finds its model (gpt-4.1-2025-04-14), as the resolved model', () => {
    const cost = priceUsage({ model: '4.1-alias-unknown', resolvedModel: 'gpt-4.1-2025-04-14', input: 1_000_000, output: 0, details: null })!;
    close(cost.total, 2);
  });

  test('OpenAI Responses: cached input and reasoning tokens (reasoning is billed as output)', () => {
    const record: UsageRecord = {
      model: 'o4-mini',
      input: 10_000,
      output: 3_000,
      details: { input_tokens_details: { cached_tokens: 4_000 }, output_tokens_details: { reasoning_tokens: 2_500 } },
    };
    assert.equal(usageShape(record.details), 'openai-responses');
    const cost = priceUsage(record)!;
    // o4-mini: $1.10 in, $0.275 cached, $4.40 out per million.
    close(cost.input, (6_000 * 1.1 + 4_000 * 0.275) / 1e6);
    close(cost.output, (3_000 * 4.4) / 1e6);
  });

  test('Anthropic: cache writes and reads on top of input_tokens (claude-sonnet-4-5: $3, write $3.75, read $0.30, out $15)', () => {
    const record: UsageRecord = {
      model: 'claude-sonnet-4.5',
      input: 12,
      output: 7,
      details: { cache_creation_input_tokens: 2_000, cache_read_input_tokens: 30_000 },
      pricing: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
    };
    assert.equal(usageShape(record.details), 'anthropic');
    const cost = priceUsage(record)!;
    close(cost.input, (12 * 3 + 2_000 * 3.75 + 30_000 * 0.3) / 1e6);
    close(cost.output, (7 * 15) / 1e6);
  });

  test('Gemini: the long-context tier applies above 200k prompt tokens, thoughts billed as output', () => {
    const short: UsageRecord = { model: 'gemini-2.5-pro', input: 100_000, output: 1_000, details: { candidatesTokenCount: 600, thoughtsTokenCount: 400 } };
    const long: UsageRecord = { ...short, input: 300_000 };
    assert.equal(usageShape(short.details), 'gemini');
    close(priceUsage(short)!.input, (100_000 * 1.25) / 1e6);
    close(priceUsage(short)!.output, (1_000 * 10) / 1e6);
    close(priceUsage(long)!.input, (300_000 * 2.5) / 1e6);
    close(priceUsage(long)!.output, (1_000 * 15) / 1e6);
  });

  test('Gemini: cached content at the cache rate', () => {
    const cost = priceUsage({ model: 'gemini/gemini-2.5-pro', input: 10_000, output: 0, details: { cachedContentTokenCount: 8_000 } })!;
    close(cost.input, (2_000 * 1.25 + 8_000 * 0.125) / 1e6);
  });

  test('llm-ts-ai-sdk ids: the provider prefix maps to the price list\'s provider (bedrock: aws, vertex: google, xai: x-ai)', () => {
    const price = (model: string, resolvedModel?: string) => priceUsage({ model, resolvedModel, input: 1_000_000, output: 1_000_000, details: null });
    // Published per-million prices (input + output) in the bundled snapshot.
    close(price('mistral/mistral-large-latest')!.total, 2 + 6);
    close(price('groq/llama-3.3-70b-versatile')!.total, 0.59 + 0.79);
    close(price('groq/openai/gpt-oss-20b')!.total, 0.075 + 0.3);
    close(price('bedrock/amazon.nova-pro-v1:0')!.total, 0.8 + 3.2);
    assert.match(price('bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0')!.source, /\(aws regional\.anthropic\.claude-sonnet-4-5-20250929-v1:0\)$/);
    close(price('vertex/gemini-2.5-flash')!.total, 0.3 + 2.5);
    assert.match(price('xai/grok-4')!.source, /\(x-ai grok-4-0709\)$/);
    // An Azure deployment is priced by the model the response says it ran.
    assert.equal(price('azure/my-gpt4o'), null);
    close(price('azure/my-gpt4o', 'gpt-4o-2024-11-20')!.total, 2.5 + 10);
  });

  test('cached input logged as prompt_tokens_details (the AI SDK adapter) is priced at the cache rate', () => {
    const cost = priceUsage({ model: 'groq/openai/gpt-oss-20b', input: 1_000_000, output: 0, details: { prompt_tokens_details: { cached_tokens: 500_000 } } })!;
    assert.ok(cost.input < 0.075, `${cost.input}`);
  });

  test('an unknown model, or no usage, costs null: shown as "unknown", never $0', () => {
    assert.equal(priceUsage({ model: 'echo', input: 5, output: 5, details: null }), null);
    assert.equal(priceUsage({ model: 'my-local-llama', input: 5, output: 5, details: null }), null);
    assert.equal(priceUsage({ model: 'gpt-4.1', input: null, output: null, details: null }), null);
    assert.equal(formatCost(null), 'unknown');
  });

  test('prices stated for a model (extra-openai-models.yaml prices:) win', () => {
    const cost = priceUsage({
      model: 'my-proxy',
      input: 1_000_000,
      output: 500_000,
      details: { prompt_tokens_details: { cached_tokens: 200_000 } },
      pricing: { prices: { input: 1, output: 2, cached_input: 0.1 }, source: 'extra-openai-models.yaml' },
    })!;
    close(cost.input, 0.8 + 0.02);
    close(cost.output, 1);
    assert.equal(cost.source, 'extra-openai-models.yaml');
  });

  test('sums: null when any part is unknown', () => {
    const a = priceUsage({ model: 'gpt-4.1', input: 1_000_000, output: 0, details: null });
    const b = priceUsage({ model: 'gpt-4.1', input: 0, output: 1_000_000, details: null });
    close(sumCosts([a, b])!.total, 10);
    assert.equal(sumCosts([a, null]), null);
    assert.equal(formatCost(10), '$10.00');
    assert.equal(formatCost(0.002464), '$0.002464');
    assert.equal(formatCost(0.05), '$0.0500');
  });
});
