import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  type ExecuteContext,
  getKey,
  type HttpRequestInit,
  isLlmError,
  LlmError,
  type Message,
  type ModelEventChunk,
  NeedsKeyError,
  type Prompt,
  providerFetch,
  RateLimitError,
  redact,
} from 'llm-ts';
import { PartEvents } from './part-events.js';
import { type AddedProvider, packagesDir } from './config.js';
import type { AiSdkEmbeddingModel, AiSdkModel } from './model.js';

/**
 * Runs a prompt through an AI SDK language model's `doStream()` (the provider spec
 * object, not `streamText`): llm messages become the AI SDK prompt, stream parts become
 * llm events. Loaded only when such a model runs. The AI SDK types are not imported:
 * the spec objects are used through the small shapes below, which V2 and V3 share.
 */

type Json = Record<string, unknown>;

interface SpecModel {
  doStream(options: Json): Promise<{ stream: ReadableStream<Json>; request?: Json; response?: Json }>;
}

/** A provider package could not be found: the user has not run `llm ai-sdk add`. */
export class ProviderPackageError extends LlmError {
  override readonly code = 'ai_sdk_package';
}

/** The path of a package: from `llm ai-sdk add`'s folder first, else beside this plugin. */
export function resolvePackage(name: string): string | undefined {
  const bases = [join(packagesDir(), 'package.json'), import.meta.url];
  for (const base of bases) {
    if (base.endsWith('package.json') && !existsSync(base)) continue;
    try {
      return createRequire(base).resolve(name);
    } catch {
      // try the next place
    }
  }
  return undefined;
}

const factories = new Map<string, (settings: Json) => Json>();

async function loadFactory(providerName: string, provider: AddedProvider): Promise<(settings: Json) => Json> {
  const cacheKey = `${provider.package}#${provider.factory}`;
  const cached = factories.get(cacheKey);
  if (cached) return cached;
  const path = resolvePackage(provider.package);
  if (!path) {
    throw new ProviderPackageError(`${provider.package} is not installed: run 'llm ai-sdk add ${providerName}'`);
  }
  const module = (await import(pathToFileURL(path).href)) as Json;
  const factory = (module[provider.factory] ?? (module.default as Json | undefined)?.[provider.factory]) as
    | ((settings: Json) => Json)
    | undefined;
  if (typeof factory !== 'function') {
    throw new ProviderPackageError(`${provider.package} has no export named ${provider.factory}`);
  }
  factories.set(cacheKey, factory);
  return factory;
}

/** A WHATWG Response over llm's own HTTP response, for the AI SDK's response handlers. */
function asFetchResponse(response: Awaited<ReturnType<typeof providerFetch>>): Response {
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'x-request-id', 'request-id']) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * The `fetch` handed to the provider package: llm's own, so requests get the same
 * retries (429, 5xx, dropped connections) and the same one-line errors as native models.
 */
function llmFetch(label: string, key: string | undefined, signal: AbortSignal | undefined): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let body: string | Uint8Array | null | undefined;
    if (typeof init?.body === 'string' || init?.body instanceof Uint8Array || init?.body == null) body = init?.body as typeof body;
    else body = new Uint8Array(await new Response(init.body).arrayBuffer());
    const request: HttpRequestInit = {
      method: init?.method ?? 'GET',
      headers: init?.headers as HttpRequestInit['headers'],
      body,
    };
    const response = await providerFetch(url, request, { provider: label, secrets: [key], signal: init?.signal ?? signal });
    return asFetchResponse(response);
  }) as typeof fetch;
}

/** The key the model was given, or an optional one (Vertex's express mode) when one is stored or set. */
function keyFor(model: AiSdkModel | AiSdkEmbeddingModel, given: string | undefined): string | undefined {
  const provider = model.provider;
  if (given !== undefined || !provider.optionalKey || !provider.keyEnv) return given;
  return getKey({ alias: model.providerName, envVar: provider.keyEnv });
}

async function providerInstance(model: AiSdkModel | AiSdkEmbeddingModel, key: string | undefined, signal?: AbortSignal): Promise<Json & ((id: string) => SpecModel)> {
  const provider = model.provider;
  const factory = await loadFactory(model.providerName, provider);
  const settings: Json = { ...(provider.settings ?? {}), fetch: llmFetch(provider.label, key, signal) };
  if (key !== undefined) settings.apiKey = key;
  if (provider.baseURL) settings.baseURL = provider.baseURL;
  return factory(settings) as Json & ((id: string) => SpecModel);
}

/** Embeddings through the provider's embedding model (`embeddingModel`, or the V2 name `textEmbeddingModel`). */
export async function embedAiSdk(model: AiSdkEmbeddingModel, items: string[], context: { key: string | undefined; signal: AbortSignal | undefined }): Promise<number[][]> {
  const label = model.provider.label;
  const key = keyFor(model, context.key);
  const instance = await providerInstance(model, key, context.signal);
  const make = (instance.embeddingModel ?? instance.textEmbeddingModel ?? instance.embedding) as ((id: string) => Json) | undefined;
  if (typeof make !== 'function') throw new ProviderPackageError(`${model.provider.package} has no embedding models`);
  try {
    const spec = make.call(instance, model.providerModelId) as { doEmbed(options: Json): Promise<{ embeddings: number[][] }> };
    const { embeddings } = await spec.doEmbed({ values: items, abortSignal: context.signal });
    return embeddings;
  } catch (error) {
    throw toLlmError(error, label, key);
  }
}

export async function languageModel(model: AiSdkModel, key: string | undefined, signal?: AbortSignal): Promise<SpecModel> {
  const provider = model.provider;
  const instance = await providerInstance(model, key, signal);
  const method = provider.method ? (instance[provider.method] as ((id: string) => SpecModel) | undefined) : undefined;
  return method ? method.call(instance, model.providerModelId) : instance(model.providerModelId);
}

/** llm's canonical messages as an AI SDK LanguageModel prompt. */
export async function toAiSdkPrompt(messages: readonly Message[], signal?: AbortSignal): Promise<Json[]> {
  const out: Json[] = [];
  let callCount = 0;
  const pendingIds: string[] = [];
  for (const message of messages) {
    const content: Json[] = [];
    const results: Json[] = [];
    let text = '';
    for (const part of message.parts) {
      if (part.type === 'text') {
        if (message.role === 'system') text += part.text;
        else content.push({ type: 'text', text: part.text });
      } else if (part.type === 'attachment') {
        const attachment = part.attachment;
        const mediaType = await attachment.resolveType(signal);
        const data = attachment.url !== undefined && !attachment.content ? new URL(attachment.url) : await attachment.contentBytes(signal);
        content.push({ type: 'file', mediaType, data });
      } else if (part.type === 'reasoning') {
        if (message.role === 'assistant' && !part.redacted) content.push({ type: 'reasoning', text: part.text });
      } else if (part.type === 'tool_call') {
        // Some providers need an id on every call: calls logged without one get one here.
        const toolCallId = part.toolCallId ?? `call_${++callCount}`;
        if (!part.toolCallId) pendingIds.push(toolCallId);
        content.push({ type: 'tool-call', toolCallId, toolName: part.name, input: part.arguments ?? {} });
      } else if (part.type === 'tool_result') {
        const toolCallId = part.toolCallId ?? pendingIds.shift() ?? `call_${++callCount}`;
        results.push({
          type: 'tool-result',
          toolCallId,
          toolName: part.name,
          output: part.exception ? { type: 'error-text', value: part.output } : { type: 'text', value: part.output },
        });
      }
    }
    if (message.role === 'system') {
      if (text) out.push({ role: 'system', content: text });
    } else if (content.length) {
      out.push({ role: message.role === 'assistant' ? 'assistant' : 'user', content });
    }
    if (results.length) out.push({ role: 'tool', content: results });
  }
  return out;
}

function stopList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(String);
  const text = String(value);
  if (text.trimStart().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // a plain string
    }
  }
  return [text];
}

export async function callOptions(prompt: Prompt, signal: AbortSignal | undefined): Promise<Json> {
  const o = prompt.options as Json;
  const options: Json = { prompt: await toAiSdkPrompt(prompt.messages, signal), abortSignal: signal };
  const map: [string, string][] = [
    ['temperature', 'temperature'],
    ['max_tokens', 'maxOutputTokens'],
    ['top_p', 'topP'],
    ['top_k', 'topK'],
    ['seed', 'seed'],
    ['frequency_penalty', 'frequencyPenalty'],
    ['presence_penalty', 'presencePenalty'],
  ];
  for (const [from, to] of map) if (o[from] !== undefined) options[to] = o[from];
  const stop = stopList(o.stop);
  if (stop) options.stopSequences = stop;
  if (prompt.schema) options.responseFormat = { type: 'json', schema: prompt.schema };
  if (prompt.tools.length) {
    options.tools = prompt.tools.map((tool) => ({
      type: 'function',
      name: tool.name,
      description: tool.description ?? undefined,
      inputSchema: tool.inputSchema,
    }));
  }
  const choice = prompt.toolChoice;
  if (choice !== undefined) options.toolChoice = typeof choice === 'object' ? { type: 'tool', toolName: choice.name } : { type: choice };
  return options;
}

/** The provider's error message out of an error body (OpenAI, Mistral, Groq shapes). */
function messageOf(body: unknown, fallback: string): string {
  let data = body;
  if (typeof body === 'string') {
    try {
      data = JSON.parse(body);
    } catch {
      return body.trim() || fallback;
    }
  }
  if (data && typeof data === 'object') {
    const record = data as Json;
    const error = record.error;
    if (typeof error === 'string') return error;
    if (error && typeof error === 'object' && typeof (error as Json).message === 'string') return (error as Json).message as string;
    if (typeof record.message === 'string') return record.message;
    if (typeof record.detail === 'string') return record.detail;
  }
  return fallback;
}

/** An error out of the AI SDK as the one-line llm error a native model would give. */
export function toLlmError(error: unknown, label: string, key: string | undefined): unknown {
  if (isLlmError(error)) return error;
  const e = error as { name?: string; statusCode?: number; responseBody?: string; message?: string; url?: string; cause?: { code?: string } };
  if (e?.name === 'AbortError') return error;
  // Credentials the package looked for and did not find (e.g. Bedrock's AWS variables).
  if (e?.name === 'AI_LoadSettingError' || e?.name === 'AI_LoadAPIKeyError') {
    return new NeedsKeyError(`${label}: ${String(e.message).split('\n')[0]}`, { cause: error });
  }
  if (e?.name === 'AI_APICallError' && typeof e.statusCode === 'number') {
    const message = redact(messageOf(e.responseBody, e.message ?? 'request failed'), [key]);
    const Kind = e.statusCode === 429 ? RateLimitError : e.statusCode === 401 || e.statusCode === 403 ? AuthenticationError : ApiError;
    return new Kind(`${label} API error ${e.statusCode}: ${message}`, e.statusCode, label, message, e.responseBody, { cause: error });
  }
  if (e?.name === 'AI_APICallError') {
    const where = e.url ? ` at ${new URL(e.url).origin}` : '';
    return new ConnectionError(`Could not connect to ${label}${where}: ${e.cause?.code ?? e.message}`, { cause: error });
  }
  // google-auth-library (Vertex without an API key) found no credentials.
  const google = String(e?.message ?? '');
  if (/Could not load the default credentials|GOOGLE_APPLICATION_CREDENTIALS|does not exist, or it is not a file/.test(google) && label.includes('Vertex')) {
    const why = google.split('\n')[0]!.replace(/\.$/, '');
    return new NeedsKeyError(`${label}: no Google credentials (${why}): run 'gcloud auth application-default login', or use an API key: 'llm keys set vertex' or GOOGLE_VERTEX_API_KEY`, { cause: error });
  }
  // Bedrock's credential lookup wraps the missing-setting error in a plain Error.
  const original = /requires AWS credentials[\s\S]*Original error: (.*)/.exec(String(e?.message ?? ''));
  if (original) return new NeedsKeyError(`${label}: ${original[1]}`, { cause: error });
  // An error the provider sent inside the stream, or one the AI SDK raised parsing it: one line.
  const message = redact(messageOf(error, e?.message ?? String(error)), [key]).replace(/\s*\n\s*/g, ' ');
  return new ApiError(`${label} API error: ${message}`, 500, label, message, undefined, { cause: error });
}

/** Starts the request and returns its events (see part-events.ts). */
export async function executeAiSdk(model: AiSdkModel, prompt: Prompt, context: ExecuteContext): Promise<AsyncIterable<ModelEventChunk>> {
  const label = model.provider.label;
  const key = keyFor(model, context.key);
  const options = await callOptions(prompt, context.signal);
  let result: Awaited<ReturnType<SpecModel['doStream']>>;
  try {
    // Making the model can fail too: a setting the package requires (Vertex's project) is missing.
    const spec = await languageModel(model, key, context.signal);
    result = await spec.doStream(options);
  } catch (error) {
    throw toLlmError(error, label, key);
  }
  return new PartEvents(result.stream.getReader(), label, model.providerModelId, (error) => toLlmError(error, label, key));
}
