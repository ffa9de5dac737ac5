import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { userDir } from '../../config/user-dir.js';
import { serviceKeyEnvVar } from './service-list.js';
import { readYamlFile } from '../../config/yaml-cache.js';
import type { Model } from '../../models/model.js';
import { parseTimeout } from '../../streaming/limits.js';
import type { LlmPlugin, RegisterModel } from '../../plugins/types.js';
import {
  OpenAIChat,
  OpenAICompletion,
  OpenAIEmbeddingModel,
  type OpenAIModelConfig,
  OpenAIResponses,
} from './models.js';

/**
 * The built-in OpenAI plugin: the models of Python llm's default plugin, plus any listed
 * in extra-openai-models.yaml. Registration is data only; request code loads on use.
 */

type Flags = Omit<OpenAIModelConfig, 'modelId'>;
const MODERN: Flags = { vision: true, serviceTier: true, supportsSchema: true, supportsTools: true };
const REASONING: Flags = { ...MODERN, reasoning: true };
const GPT5: Flags = { ...REASONING, verbosity: true };
const GPT54: Flags = { ...GPT5, imageDetailOriginal: true };

const CHAT_MODELS: [string, Flags, string[]][] = [
  ['gpt-4o', MODERN, ['4o']],
  ['gpt-4o-mini', MODERN, ['4o-mini']],
  ['gpt-4.1', MODERN, ['4.1']],
  ['gpt-4.1-mini', MODERN, ['4.1-mini']],
  ['gpt-4.1-nano', MODERN, ['4.1-nano']],
  ['gpt-3.5-turbo', { serviceTier: true }, ['3.5', 'chatgpt']],
  ['gpt-3.5-turbo-16k', { serviceTier: true }, ['chatgpt-16k', '3.5-16k']],
  ['gpt-4', { serviceTier: true }, ['4', 'gpt4']],
  ['gpt-4-turbo-2024-04-09', { serviceTier: true }, []],
  ['gpt-4-turbo', { serviceTier: true }, ['gpt-4-turbo-preview', '4-turbo', '4t']],
];

const RESPONSES_MODELS: [string, Flags][] = [
  ['o1', { ...REASONING, canStream: false }],
  ['o1-2024-12-17', { ...REASONING, canStream: false }],
  ['o3-mini', { ...REASONING, vision: false }],
  ['o3', REASONING],
  ['o4-mini', REASONING],
  ...['gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5-2025-08-07', 'gpt-5-mini-2025-08-07', 'gpt-5-nano-2025-08-07'].map(
    (id): [string, Flags] => [id, GPT5],
  ),
  ['gpt-5.1', GPT5],
  ['gpt-5.2', GPT5],
  ['gpt-5.2-chat-latest', GPT5],
  ...[
    'gpt-5.4',
    'gpt-5.4-2026-03-05',
    'gpt-5.4-mini',
    'gpt-5.4-mini-2026-03-17',
    'gpt-5.4-nano',
    'gpt-5.4-nano-2026-03-17',
    'gpt-5.5',
    'gpt-5.5-2026-04-23',
    'gpt-5.6-sol',
    'gpt-5.6-terra',
    'gpt-5.6-luna',
  ].map((id): [string, Flags] => [id, GPT54]),
];

function registerBuiltins(register: RegisterModel): void {
  for (const [modelId, flags, aliases] of CHAT_MODELS) register(new OpenAIChat({ modelId, ...flags }), null, aliases);
  for (const [modelId, flags] of RESPONSES_MODELS) register(new OpenAIResponses({ modelId, ...flags }), null, []);
  register(new OpenAICompletion({ modelId: 'gpt-3.5-turbo-instruct', defaultMaxTokens: 256 }), null, [
    '3.5-instruct',
    'chatgpt-instruct',
  ]);
}

const warned = new Set<string>();
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.stderr.write(`Warning: ${message}\n`);
}

export function extraModelsPath(): string {
  return join(userDir({ create: false }), 'extra-openai-models.yaml');
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const result: Record<string, string> = {};
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) result[name] = String(item);
  return result;
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** The `prices:` mapping of an entry: USD per million tokens, e.g. `{input: 0.5, output: 1.5, cached_input: 0.05}`. */
function statedPrices(value: unknown, path: string, modelId: string): Record<string, number> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    warnOnce(`${path}: prices of ${modelId} should map names to USD per million tokens; ignored`);
    return undefined;
  }
  const prices: Record<string, number> = {};
  for (const [name, price] of Object.entries(value as Record<string, unknown>)) {
    if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
      warnOnce(`${path}: price ${name} of ${modelId} is not a number of USD per million tokens; ignored`);
      continue;
    }
    prices[name] = price;
  }
  return Object.keys(prices).length ? prices : undefined;
}

/** Builds the models listed in extra-openai-models.yaml, warning about (and skipping) bad entries. */
export function loadExtraModels(path = extraModelsPath()): { model: Model; aliases: string[] }[] {
  if (!existsSync(path)) return [];
  let parsed: unknown;
  try {
    const read = readYamlFile(path);
    for (const warning of read.warnings) warnOnce(`${path}: ${warning}`);
    parsed = read.value;
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/:$/, '');
    warnOnce(`could not read ${path}: ${reason}`);
    return [];
  }
  if (parsed === null || parsed === undefined) return [];
  if (!Array.isArray(parsed)) {
    warnOnce(`could not read ${path}: expected a list of models`);
    return [];
  }
  const models: { model: Model; aliases: string[] }[] = [];
  parsed.forEach((entry: unknown, index: number) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      warnOnce(`${path}: entry ${index + 1} is not a mapping; skipped`);
      return;
    }
    const item = entry as Record<string, unknown>;
    const modelId = optionalString(item.model_id);
    const modelName = optionalString(item.model_name);
    if (!modelId || !modelName) {
      warnOnce(`${path}: entry ${index + 1} needs both model_id and model_name; skipped`);
      return;
    }
    const config: OpenAIModelConfig = {
      modelId,
      modelName,
      apiBase: optionalString(item.api_base),
      apiType: optionalString(item.api_type),
      apiVersion: optionalString(item.api_version),
      apiEngine: optionalString(item.api_engine),
      headers: stringRecord(item.headers),
      reasoning: !!item.reasoning,
      canStream: item.can_stream !== false,
      supportsSchema: item.supports_schema === true,
      supportsTools: item.supports_tools === true,
      vision: item.vision === true,
      audio: item.audio === true,
      serviceTier: item.service_tier === true,
      prices: statedPrices(item.prices, path, modelId),
    };
    const model = item.completion
      ? new OpenAICompletion(config)
      : item.responses
        ? new OpenAIResponses(config)
        : new OpenAIChat(config);
    if (config.apiBase) {
      // A custom endpoint never receives the user's OpenAI key.
      model.needsKey = null;
      model.keyEnvVar = null;
    }
    if (item.timeout !== undefined && item.timeout !== null) {
      const timeout = parseTimeout(item.timeout);
      if (typeof timeout === 'string') warnOnce(`${path}: ${modelId}: ${timeout}; the default timeouts apply`);
      else model.timeout = timeout;
    }
    const keyName = optionalString(item.api_key_name);
    if (keyName) {
      model.needsKey = keyName;
      // A well-known service's key may also come from its usual variable (GROQ_API_KEY...).
      model.keyEnvVar = serviceKeyEnvVar(keyName);
    }
    const aliases = Array.isArray(item.aliases) ? item.aliases.map(String) : [];
    models.push({ model, aliases });
  });
  return models;
}

export const openaiPlugin: LlmPlugin = {
  name: 'llm-default-plugins.openai',
  registerModels(register) {
    registerBuiltins(register);
    for (const { model, aliases } of loadExtraModels()) register(model, null, aliases);
  },
  registerEmbeddingModels(register) {
    register(new OpenAIEmbeddingModel('text-embedding-ada-002', 'text-embedding-ada-002'), ['ada', 'ada-002']);
    register(new OpenAIEmbeddingModel('text-embedding-3-small', 'text-embedding-3-small'), ['3-small']);
    register(new OpenAIEmbeddingModel('text-embedding-3-large', 'text-embedding-3-large'), ['3-large']);
    register(new OpenAIEmbeddingModel('text-embedding-3-small-512', 'text-embedding-3-small', 512), ['3-small-512']);
    register(new OpenAIEmbeddingModel('text-embedding-3-large-256', 'text-embedding-3-large', 256), ['3-large-256']);
    register(new OpenAIEmbeddingModel('text-embedding-3-large-1024', 'text-embedding-3-large', 1024), ['3-large-1024']);
  },
};
