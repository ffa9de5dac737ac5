import { getKey, LlmError, NeedsKeyError, providerFetch } from 'llm-ts';
import type { AddedProvider, ModelEntry } from './config.js';
import { signGet } from './sigv4.js';

/**
 * Where each provider lists its models, and how to read the answer. Loaded only by
 * `llm ai-sdk refresh`. A provider missing here (Azure: its models are your deployments;
 * Vertex) keeps the list it was added with.
 */

type Json = Record<string, any>;

/** A model list that could not be fetched or read. */
export class ModelListError extends LlmError {
  override readonly code = 'ai_sdk_model_list';
}

interface Listing {
  /** The API's base URL when none was given with --base-url. */
  base: string;
  /** Appended to the base URL. */
  path: string;
  /** Reads the answer: the chat models in it. */
  read: (body: unknown) => ModelEntry[];
}

const IMAGES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
/** Models an OpenAI-style list holds that do not chat (speech, embeddings, moderation, images). */
const NOT_CHAT = /whisper|tts|transcribe|embed|moderation|guard|rerank|dall-e|image-generation|^playai|orpheus/i;

function dataOf(body: unknown): Json[] {
  const data = (body as Json | null)?.data ?? body;
  if (!Array.isArray(data)) throw new Error('the answer has no list of models');
  return data.filter((item): item is Json => !!item && typeof item === 'object' && typeof item.id === 'string');
}

/** `{"object": "list", "data": [{"id": ...}]}`, as OpenAI, Groq, xAI, DeepSeek, Cerebras answer. */
function readOpenAIList(body: unknown): ModelEntry[] {
  return dataOf(body)
    .filter((m) => m.active !== false && !NOT_CHAT.test(m.id))
    .map((m) => ({ id: m.id }));
}

/** Mistral's list says what each model does (`capabilities.completion_chat`, `vision`). */
function readMistral(body: unknown): ModelEntry[] {
  return dataOf(body)
    .filter((m) => (m.capabilities ? m.capabilities.completion_chat === true : !NOT_CHAT.test(m.id)) && !m.archived)
    .map((m) => (m.capabilities?.vision ? { id: m.id, attachments: IMAGES } : { id: m.id }));
}

/** Fireworks: `supports_chat`, `supports_image_input`. */
function readFireworks(body: unknown): ModelEntry[] {
  return dataOf(body)
    .filter((m) => m.supports_chat !== false && !NOT_CHAT.test(m.id))
    .map((m) => (m.supports_image_input ? { id: m.id, attachments: IMAGES } : { id: m.id }));
}

/** Together: a bare array, each model with a `type` (chat, language, embedding, image...). */
function readTogether(body: unknown): ModelEntry[] {
  return dataOf(body)
    .filter((m) => m.type === 'chat')
    .map((m) => ({ id: m.id }));
}

/** Cohere: `{"models": [{"name", "endpoints": ["chat", ...]}]}`. */
function readCohere(body: unknown): ModelEntry[] {
  const models = (body as Json | null)?.models;
  if (!Array.isArray(models)) throw new Error('the answer has no list of models');
  return models
    .filter((m: Json) => typeof m?.name === 'string' && (!Array.isArray(m.endpoints) || m.endpoints.includes('chat')))
    .map((m: Json) => ({ id: m.name as string }));
}

/** By provider name: the ones `llm ai-sdk add` knows, and the usual names of others added with --package. */
export const LISTINGS: Readonly<Record<string, Listing>> = {
  mistral: { base: 'https://api.mistral.ai/v1', path: '/models', read: readMistral },
  groq: { base: 'https://api.groq.com/openai/v1', path: '/models', read: readOpenAIList },
  xai: { base: 'https://api.x.ai/v1', path: '/models', read: readOpenAIList },
  deepseek: { base: 'https://api.deepseek.com', path: '/models', read: readOpenAIList },
  cerebras: { base: 'https://api.cerebras.ai/v1', path: '/models', read: readOpenAIList },
  fireworks: { base: 'https://api.fireworks.ai/inference/v1', path: '/models', read: readFireworks },
  togetherai: { base: 'https://api.together.xyz/v1', path: '/models', read: readTogether },
  cohere: { base: 'https://api.cohere.com/v1', path: '/models?endpoint=chat&page_size=1000', read: readCohere },
};

/** Whether `llm ai-sdk refresh` can fetch this provider's list. */
export function hasListing(name: string): boolean {
  return name === 'bedrock' || name in LISTINGS;
}

/** The provider's models as its listing endpoint gives them, and the URL asked. */
export async function fetchModelList(name: string, provider: AddedProvider): Promise<{ url: string; models: ModelEntry[] }> {
  if (name === 'bedrock') return fetchBedrock(provider);
  const listing = LISTINGS[name];
  if (!listing) throw new ModelListError(`${name} has no model-listing endpoint`);
  const key = getKey({ alias: name, envVar: provider.keyEnv ?? undefined });
  if (!key) throw new NeedsKeyError(`No key found - add one using 'llm keys set ${name}'${provider.keyEnv ? ` or set the ${provider.keyEnv} environment variable` : ''}`);
  const base = (provider.baseURL ?? listing.base).replace(/\/+$/, '');
  const url = `${name === 'cohere' ? base.replace(/\/v2$/, '/v1') : base}${listing.path}`;
  const body = await getJson(url, { authorization: `Bearer ${key}` }, provider.label, key);
  return { url, models: readOrExplain(listing.read, body, provider.label) };
}

async function getJson(url: string, headers: Record<string, string>, label: string, secret?: string): Promise<unknown> {
  const response = await providerFetch(url, { method: 'GET', headers: { accept: 'application/json', ...headers } }, { provider: label, secrets: [secret] });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new ModelListError(`${label} answered ${url} with something other than JSON`);
  }
}

function readOrExplain(read: (body: unknown) => ModelEntry[], body: unknown, label: string): ModelEntry[] {
  try {
    return read(body);
  } catch (error) {
    throw new ModelListError(`${label}'s model list could not be read: ${(error as Error).message}`);
  }
}

/**
 * Bedrock: ListFoundationModels (the models callable on demand) and ListInferenceProfiles
 * (the cross-region `us.`/`eu.`/`global.` ids newer models need), on the control-plane
 * host `bedrock.<region>.amazonaws.com`, signed with SigV4 for the service `bedrock`.
 */
async function fetchBedrock(provider: AddedProvider): Promise<{ url: string; models: ModelEntry[] }> {
  const settings = (provider.settings ?? {}) as Json;
  const env = process.env;
  const region = String(settings.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? '');
  if (!region) throw new NeedsKeyError('Amazon Bedrock needs a region: set AWS_REGION or add it with -s region=NAME');
  const accessKeyId = (settings.accessKeyId ?? env.AWS_ACCESS_KEY_ID) as string | undefined;
  const secretAccessKey = (settings.secretAccessKey ?? env.AWS_SECRET_ACCESS_KEY) as string | undefined;
  const sessionToken = (settings.sessionToken ?? env.AWS_SESSION_TOKEN) as string | undefined;
  const bearer = (settings.apiKey ?? env.AWS_BEARER_TOKEN_BEDROCK) as string | undefined;
  if (!(accessKeyId && secretAccessKey) && !bearer) {
    throw new NeedsKeyError('Amazon Bedrock needs AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_BEARER_TOKEN_BEDROCK)');
  }
  // The runtime's base URL with the control plane's host (a --base-url without it is used as it is).
  const base = (provider.baseURL ?? `https://bedrock-runtime.${region}.amazonaws.com`).replace('//bedrock-runtime.', '//bedrock.').replace(/\/+$/, '');
  const get = (url: URL) => {
    const headers = accessKeyId && secretAccessKey ? signGet(url, region, 'bedrock', { accessKeyId, secretAccessKey, sessionToken }) : { authorization: `Bearer ${bearer}` };
    return getJson(url.href, headers, provider.label, secretAccessKey ?? bearer) as Promise<Json>;
  };
  const foundationUrl = new URL(`${base}/foundation-models?byOutputModality=TEXT`);
  const foundation = await get(foundationUrl);
  if (!Array.isArray(foundation?.modelSummaries)) throw new ModelListError(`${provider.label}'s model list could not be read: the answer has no modelSummaries`);
  const summaries = new Map<string, Json>();
  for (const summary of foundation.modelSummaries as Json[]) if (typeof summary?.modelId === 'string') summaries.set(summary.modelId, summary);
  const text = (m: Json | undefined) => !m || (Array.isArray(m.outputModalities) && m.outputModalities.includes('TEXT'));
  const images = (m: Json | undefined) => (Array.isArray(m?.inputModalities) && m.inputModalities.includes('IMAGE') ? { attachments: IMAGES } : {});
  const models: ModelEntry[] = [];
  for (const m of summaries.values()) {
    const onDemand = Array.isArray(m.inferenceTypesSupported) && m.inferenceTypesSupported.includes('ON_DEMAND');
    if (text(m) && onDemand && m.responseStreamingSupported !== false && (m.modelLifecycle?.status ?? 'ACTIVE') === 'ACTIVE') models.push({ id: m.modelId, ...images(m) });
  }
  let nextToken: string | undefined;
  do {
    const url = new URL(`${base}/inference-profiles?typeEquals=SYSTEM_DEFINED&maxResults=1000`);
    if (nextToken) url.searchParams.set('nextToken', nextToken);
    const page = await get(url);
    for (const profile of Array.isArray(page?.inferenceProfileSummaries) ? (page.inferenceProfileSummaries as Json[]) : []) {
      if (typeof profile?.inferenceProfileId !== 'string' || (profile.status ?? 'ACTIVE') !== 'ACTIVE') continue;
      const arn = String(profile.models?.[0]?.modelArn ?? '');
      const underlying = summaries.get(arn.slice(arn.indexOf('/') + 1));
      if (text(underlying)) models.push({ id: profile.inferenceProfileId, ...images(underlying) });
    }
    nextToken = typeof page?.nextToken === 'string' && page.nextToken ? page.nextToken : undefined;
  } while (nextToken);
  return { url: foundationUrl.origin, models };
}
