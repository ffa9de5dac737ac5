/**
 * Gemini's wire protocol: request bodies, streamed and whole replies, embeddings. Loaded
 * with `import()` from `execute()` / `embedBatch()` only, never at registration.
 */
import {
  AbortedError,
  ApiError,
  type Attachment,
  ConnectionError,
  type EmbedContext,
  type EmbeddingInput,
  type ExecuteContext,
  type JsonSchema,
  LlmError,
  type Message,
  type ModelEvent,
  type Prompt,
  providerFetch,
  type Tool,
  redact,
  SchemaError,
  sseEvents,
  StreamInterruptedError,
  type TokenCount,
  estimatePromptTokens,
  pythonDumps,
  UsageError,
} from 'llm-ts';
import { randomUUID } from 'node:crypto';
import { serverToolName, supportsServerToolContext } from './server-side-tools.js';
import { SEARCH_RETRIEVAL_MODELS } from './catalog.js';
import { baseUrl, type GeminiEmbeddingModel, type GeminiPro } from './models.js';

const PROVIDER = 'Gemini';

/** llm-gemini turns Gemini's content filters off for every request; so do we. */
const SAFETY_SETTINGS = [
  'HARM_CATEGORY_DANGEROUS_CONTENT',
  'HARM_CATEGORY_SEXUALLY_EXPLICIT',
  'HARM_CATEGORY_HATE_SPEECH',
  'HARM_CATEGORY_HARASSMENT',
].map((category) => ({ category, threshold: 'BLOCK_NONE' }));

type Json = Record<string, unknown>;

// ---------------------------------------------------------------- schema cleanup

const REMOVED_SCHEMA_KEYS = ['$schema', 'additionalProperties', 'title'];

/**
 * Gemini accepts only part of JSON Schema. As llm-gemini does: `$defs` references are
 * inlined (a recursive definition is an error), and `$schema`, `additionalProperties` and
 * `title` are removed everywhere except inside a `properties` block, where they may be
 * field names. Works on a copy; the argument is not changed.
 */
export function cleanupSchema(schema: unknown): unknown {
  const copy = structuredClone(schema);
  if (isObject(copy) && isObject(copy.$defs)) {
    const defs = copy.$defs;
    delete copy.$defs;
    resolveRefs(copy, defs, []);
  }
  return clean(copy, false);
}

function clean(value: unknown, inProperties: boolean): unknown {
  if (Array.isArray(value)) {
    for (const item of value) clean(item, inProperties);
  } else if (isObject(value)) {
    if (!inProperties) for (const key of REMOVED_SCHEMA_KEYS) delete value[key];
    for (const [key, child] of Object.entries(value)) {
      clean(child, key === 'properties' && isObject(child) ? true : inProperties);
    }
  }
  return value;
}

function resolveRefs(value: unknown, defs: Json, stack: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) resolveRefs(item, defs, stack);
    return;
  }
  if (!isObject(value)) return;
  if ('$ref' in value) {
    const ref = value.$ref;
    delete value.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
      const name = ref.split('/').pop()!;
      const definition = defs[name];
      if (definition !== undefined) {
        if (stack.includes(name)) {
          const how =
            stack[stack.length - 1] === name
              ? `'${name}' directly references itself`
              : `'${name}' indirectly references itself through '${stack[stack.length - 1]}'`;
          throw new SchemaError(`Recursive schema detected: ${how}; Gemini does not support recursive schemas`);
        }
        stack.push(name);
        Object.assign(value, structuredClone(definition));
        resolveRefs(value, defs, stack);
        stack.pop();
        return;
      }
    }
  }
  for (const child of Object.values(value)) resolveRefs(child, defs, stack);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------- request body

const YOUTUBE = [/^https?:\/\/(www\.)?youtube\.com\/watch\?v=/, /^https?:\/\/youtu\.be\//, /^https?:\/\/(www\.)?youtube\.com\/embed\//];

export function isYoutubeUrl(url: string | undefined): boolean {
  return !!url && YOUTUBE.some((pattern) => pattern.test(url));
}

/** The MIME type Gemini wants: mp3 for mpeg audio, ogg audio, YouTube links by reference. */
async function geminiType(attachment: Attachment, signal: AbortSignal | undefined): Promise<string> {
  if (isYoutubeUrl(attachment.url)) return 'video/youtube';
  const type = await attachment.resolveType(signal);
  if (type === 'audio/mpeg') return 'audio/mp3';
  if (type === 'application/ogg') return 'audio/ogg';
  return type;
}

async function attachmentPart(attachment: Attachment, signal: AbortSignal | undefined): Promise<Json> {
  const mimeType = await geminiType(attachment, signal);
  if (mimeType === 'video/youtube') return { fileData: { mimeType, fileUri: attachment.url } };
  return { inlineData: { data: await attachment.base64Content(signal), mimeType } };
}

function geminiMetadata(metadata: Record<string, unknown> | undefined): Json {
  const gemini = metadata?.gemini;
  return isObject(gemini) ? gemini : {};
}

/** The conversation as Gemini `contents`: user and model turns; system and reasoning are left out. */
export async function buildContents(messages: readonly Message[], signal: AbortSignal | undefined): Promise<Json[]> {
  const contents: Json[] = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const parts: Json[] = [];
    for (const part of message.parts) {
      switch (part.type) {
        case 'text': {
          if (!part.text) break;
          const out: Json = { text: part.text };
          const signature = geminiMetadata(part.providerMetadata).thoughtSignature;
          if (signature) out.thoughtSignature = signature;
          parts.push(out);
          break;
        }
        case 'attachment':
          parts.push(await attachmentPart(part.attachment, signal));
          break;
        case 'tool_call': {
          const native = geminiMetadata(part.providerMetadata);
          if (part.serverExecuted) {
            if (isObject(native.part)) parts.push(structuredClone(native.part));
            break;
          }
          const call: Json = { name: part.name, args: part.arguments };
          if (part.toolCallId) call.id = part.toolCallId;
          const out: Json = { functionCall: call };
          if (native.thoughtSignature) out.thoughtSignature = native.thoughtSignature;
          parts.push(out);
          break;
        }
        case 'tool_result': {
          const native = geminiMetadata(part.providerMetadata);
          if (part.serverExecuted) {
            if (isObject(native.part)) parts.push(structuredClone(native.part));
            break;
          }
          const response: Json = { name: part.name, response: { output: part.output } };
          if (part.toolCallId) response.id = part.toolCallId;
          parts.push({ functionResponse: response });
          break;
        }
        case 'reasoning':
          // Gemini does not take its own thoughts back as input.
          break;
      }
    }
    if (parts.length) contents.push({ role: message.role === 'assistant' ? 'model' : 'user', parts });
  }
  return contents;
}

function systemText(prompt: Prompt): string | undefined {
  if (prompt.system) return prompt.system;
  for (let i = prompt.messages.length - 1; i >= 0; i--) {
    const message = prompt.messages[i]!;
    if (message.role !== 'system') continue;
    const text = message.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
    return text || undefined;
  }
  return undefined;
}

/** A tool as Gemini declares it, its schema cleaned like a response schema; no schema, no parameters. */
function functionDeclaration(tool: Tool): Json {
  const declaration: Json = { name: tool.name };
  if (tool.description) declaration.description = tool.description;
  if (Object.keys(tool.inputSchema).length) declaration.parameters = cleanupSchema(tool.inputSchema);
  return declaration;
}

/** The JSON body of a generateContent / streamGenerateContent request. */
export async function buildRequestBody(model: GeminiPro, prompt: Prompt, signal?: AbortSignal): Promise<Json> {
  const options = prompt.options as Record<string, unknown>;
  const caps = model.capabilities;
  const body: Json = {
    contents: await buildContents(prompt.messages, signal),
    safetySettings: SAFETY_SETTINGS,
  };
  const system = systemText(prompt);
  if (system) body.systemInstruction = { parts: [{ text: system }] };

  const tools: Json[] = [];
  if (options.code_execution) tools.push({ codeExecution: {} });
  if (options.google_search && caps.googleSearch) {
    tools.push(SEARCH_RETRIEVAL_MODELS.has(model.geminiModelId) ? { googleSearchRetrieval: {} } : { googleSearch: {} });
  }
  if (options.url_context) tools.push({ urlContext: {} });
  // Server-side tools (-T GoogleSearch, URLContext, CodeExecution) go before the functions, as Python sends them.
  if (prompt.tools.length && prompt.serverSideTools.length && !supportsServerToolContext(model.geminiModelId)) {
    throw new UsageError('Combining server-side tools with function tools is only supported by Gemini 3 models');
  }
  for (const tool of prompt.serverSideTools) tools.push(tool.toolSpec(model));
  if (prompt.tools.length) tools.push({ functionDeclarations: prompt.tools.map(functionDeclaration) });
  if (tools.length) body.tools = tools;
  const choice = prompt.toolChoice;
  if (choice !== undefined) {
    const mode = typeof choice === 'object' || choice === 'required' ? 'ANY' : choice === 'none' ? 'NONE' : 'AUTO';
    body.toolConfig = { functionCallingConfig: typeof choice === 'object' ? { mode, allowedFunctionNames: [choice.name] } : { mode } };
  }

  const config: Json = {};
  if (prompt.schema) {
    config.responseMimeType = 'application/json';
    config.responseSchema = cleanupSchema(prompt.schema as JsonSchema);
  }
  const thinking: Json = {};
  if (caps.thinkingBudget && options.thinking_budget !== undefined) thinking.thinkingBudget = options.thinking_budget;
  if (caps.thinkingLevels && options.thinking_level !== undefined) thinking.thinkingLevel = options.thinking_level;
  if ((caps.thinkingBudget || caps.thinkingLevels) && !prompt.hideReasoning) thinking.includeThoughts = true;
  if (Object.keys(thinking).length) config.thinkingConfig = thinking;
  if (options.json_object) config.responseMimeType = 'application/json';
  const mapped: [string, string][] = [
    ['temperature', 'temperature'],
    ['max_output_tokens', 'maxOutputTokens'],
    ['top_p', 'topP'],
    ['top_k', 'topK'],
  ];
  for (const [option, field] of mapped) if (options[option] !== undefined) config[field] = options[option];
  if (caps.mediaResolution && typeof options.media_resolution === 'string') {
    config.mediaResolution = `MEDIA_RESOLUTION_${options.media_resolution.toUpperCase()}`;
  }
  if (Object.keys(config).length) body.generationConfig = config;
  for (const tool of prompt.serverSideTools) tool.prepareRequest(model, body);
  return body;
}

// ---------------------------------------------------------------- replies

interface ReplyState {
  /** Ids of the server tool calls so far, by tool type, for results that carry none. */
  serverToolIds: Map<string, string>;
  /** The id of the last `executableCode` part, for its `codeExecutionResult`. */
  codeExecutionId: string | undefined;
  last: Json | undefined;
  usage: Json | undefined;
  finished: boolean;
  blocked: string | undefined;
}

/** The events of one GenerateContentResponse (a whole reply, or one streamed chunk). */
function* chunkEvents(chunk: Json, state: ReplyState, secrets: string[]): Generator<ModelEvent> {
  if (isObject(chunk.error)) throw errorFromBody(chunk, secrets);
  state.last = chunk;
  if (isObject(chunk.usageMetadata)) state.usage = chunk.usageMetadata;
  const feedback = chunk.promptFeedback;
  if (isObject(feedback) && typeof feedback.blockReason === 'string') state.blocked = feedback.blockReason;
  const candidates = Array.isArray(chunk.candidates) ? chunk.candidates : [];
  const candidate = candidates[0];
  if (!isObject(candidate)) return;
  if (candidate.finishReason) state.finished = true;
  const content = isObject(candidate.content) ? candidate.content : {};
  const parts = Array.isArray(content.parts) ? content.parts : [];
  const events: ModelEvent[] = [];
  for (const part of parts) {
    if (!isObject(part)) continue;
    if (isObject(part.functionCall)) {
      const call = part.functionCall;
      events.push({
        type: 'tool_call',
        name: String(call.name ?? ''),
        arguments: isObject(call.args) ? call.args : {},
        ...(typeof call.id === 'string' ? { toolCallId: call.id } : {}),
        // Gemini 3 refuses a follow-up whose function calls lack the signature they came with.
        ...(part.thoughtSignature ? { providerMetadata: { gemini: { thoughtSignature: part.thoughtSignature } } } : {}),
      });
    } else if (typeof part.text === 'string') {
      const signature = part.thoughtSignature;
      if (!part.text && !signature) continue;
      const metadata = signature ? { providerMetadata: { gemini: { thoughtSignature: signature } } } : {};
      if (part.thought) events.push({ type: 'reasoning', text: part.text, ...metadata });
      else events.push({ type: 'text', text: part.text, ...metadata });
    } else {
      events.push(...serverToolEvents(part, state));
    }
  }
  // As llm-gemini: the grounding (search queries, sources) goes on the candidate's last text
  // part, or on an empty text that joins the text before it.
  if (isObject(candidate.groundingMetadata)) {
    const grounding = candidate.groundingMetadata;
    const lastText = events.findLast((event) => event.type === 'text') as Extract<ModelEvent, { type: 'text' }> | undefined;
    if (lastText) {
      const gemini = isObject(lastText.providerMetadata?.gemini) ? lastText.providerMetadata.gemini : {};
      lastText.providerMetadata = { ...lastText.providerMetadata, gemini: { ...gemini, groundingMetadata: grounding } };
    } else events.push({ type: 'text', text: '', providerMetadata: { gemini: { groundingMetadata: grounding } } });
  }
  yield* events;
}

/**
 * A tool Gemini ran itself, as Python's llm-gemini records it: a call or a result marked
 * server-executed, carrying the native part (sent back as it is on the next turn). Gemini 3
 * reports `toolCall`/`toolResponse`; code execution comes as `executableCode` (the call, its
 * language and code as arguments) and `codeExecutionResult` (the result, as JSON).
 */
function* serverToolEvents(part: Json, state: ReplyState): Generator<ModelEvent> {
  const native = { gemini: { part: structuredClone(part) } };
  if (isObject(part.toolCall)) {
    const call = part.toolCall;
    const name = serverToolName(call.toolType);
    const id = typeof call.id === 'string' && call.id ? call.id : `${name}_${randomHex()}`;
    state.serverToolIds.set(String(call.toolType), id);
    yield { type: 'tool_call', name, arguments: isObject(call.args) ? call.args : {}, toolCallId: id, serverExecuted: true, providerMetadata: native };
  } else if (isObject(part.toolResponse)) {
    const result = part.toolResponse;
    const name = serverToolName(result.toolType);
    const id = (typeof result.id === 'string' && result.id) || state.serverToolIds.get(String(result.toolType)) || `${name}_${randomHex()}`;
    const output = pythonDumps(isObject(result.response) ? result.response : {});
    yield { type: 'tool_result', name, output, toolCallId: id, serverExecuted: true, providerMetadata: native };
  } else if (isObject(part.executableCode)) {
    const code = part.executableCode;
    const id = (typeof code.id === 'string' && code.id) || `code_${randomHex()}`;
    state.codeExecutionId = id;
    yield { type: 'tool_call', name: 'code_execution', arguments: code, toolCallId: id, serverExecuted: true, providerMetadata: native };
  } else if (isObject(part.codeExecutionResult)) {
    const result = part.codeExecutionResult;
    const id = (typeof result.id === 'string' && result.id) || state.codeExecutionId || `code_${randomHex()}`;
    yield { type: 'tool_result', name: 'code_execution', output: pythonDumps(result), toolCallId: id, serverExecuted: true, providerMetadata: native };
  }
}

const randomHex = () => randomUUID().replaceAll('-', '');

/** Usage as llm-gemini reports it: thoughts count as output, tool-use prompt tokens as input. */
export function usageFrom(metadata: Json): Extract<ModelEvent, { type: 'usage' }> | undefined {
  const details: Json = { ...metadata };
  let input = typeof details.promptTokenCount === 'number' ? details.promptTokenCount : undefined;
  delete details.promptTokenCount;
  delete details.totalTokenCount;
  const candidates = Number(details.candidatesTokenCount) || 0;
  const thoughts = Number(details.thoughtsTokenCount) || 0;
  const toolUse = Number(details.toolUsePromptTokenCount) || 0;
  if (toolUse) input = (input ?? 0) + toolUse;
  if (input === undefined) return undefined;
  return { type: 'usage', input, output: candidates + thoughts, details: Object.keys(details).length ? details : null };
}

/** The final events: the last chunk as the stored payload (content and usage split off, as llm-gemini stores it). */
function* closingEvents(state: ReplyState): Generator<ModelEvent> {
  if (!state.last) return;
  const json = structuredClone(state.last);
  if (Array.isArray(json.candidates)) for (const candidate of json.candidates) if (isObject(candidate)) delete candidate.content;
  delete json.usageMetadata;
  yield { type: 'response_json', json };
  if (typeof state.last.modelVersion === 'string') yield { type: 'resolved_model', model: state.last.modelVersion };
  const usage = state.usage && usageFrom(state.usage);
  if (usage) yield usage;
}

function errorFromBody(body: Json, secrets: string[]): ApiError {
  const error = isObject(body.error) ? body.error : {};
  const status = typeof error.code === 'number' ? error.code : 500;
  const message = redact(typeof error.message === 'string' ? error.message : JSON.stringify(error), secrets);
  return new ApiError(`${PROVIDER} API error ${status}: ${message}`, status, PROVIDER, message, JSON.parse(redact(JSON.stringify(body), secrets)));
}

function parseJson(text: string, secrets: string[]): Json {
  try {
    const value = JSON.parse(text);
    if (isObject(value)) return value;
  } catch {
    // reported below
  }
  throw new ApiError(`${PROVIDER} API error: the reply was not a JSON object: ${redact(text.slice(0, 200), secrets)}`, 200, PROVIDER);
}

/** Combines the caller's signal with the `timeout` option. */
function withTimeout(signal: AbortSignal | undefined, seconds: unknown): { signal: AbortSignal | undefined; timer?: AbortSignal } {
  if (typeof seconds !== 'number') return { signal };
  const timer = AbortSignal.timeout(Math.round(seconds * 1000));
  return { signal: signal ? AbortSignal.any([signal, timer]) : timer, timer };
}

/** The events of one whole GenerateContentResponse: a reply, or one answer of a batch. */
export function* replyEvents(reply: Json, key: string | undefined): Generator<ModelEvent> {
  const state: ReplyState = { serverToolIds: new Map(), codeExecutionId: undefined, last: undefined, usage: undefined, finished: false, blocked: undefined };
  yield* chunkEvents(reply, state, [key ?? '']);
  if (state.blocked && !state.finished) throw new LlmError(`${PROVIDER} blocked the prompt (${state.blocked})`);
  yield* closingEvents(state);
}

export async function* executeGemini(model: GeminiPro, prompt: Prompt, context: ExecuteContext): AsyncGenerator<ModelEvent> {
  const key = context.key ?? '';
  const secrets = [key];
  const { signal, timer } = withTimeout(context.signal, prompt.options.timeout);
  const timedOut = (error: unknown): unknown =>
    timer?.aborted && !context.signal?.aborted
      ? new ConnectionError(`${PROVIDER} did not answer within the timeout of ${prompt.options.timeout} seconds`, { cause: error })
      : error;

  const body = await buildRequestBody(model, prompt, context.signal);
  const method = context.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  const url = `${baseUrl()}/v1beta/models/${encodeURIComponent(model.geminiModelId)}:${method}`;
  const state: ReplyState = { serverToolIds: new Map(), codeExecutionId: undefined, last: undefined, usage: undefined, finished: false, blocked: undefined };
  try {
    const response = await providerFetch(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': key },
        body: JSON.stringify(body),
        timeouts: context.timeouts,
      },
      { provider: PROVIDER, secrets, signal },
    );
    if (!context.stream) {
      const reply = parseJson(await response.text(), secrets);
      yield* chunkEvents(reply, state, secrets);
      state.finished = true;
    } else if (response.body) {
      for await (const event of sseEvents(response.body)) {
        if (!event.data.trim()) continue;
        yield* chunkEvents(parseJson(event.data, secrets), state, secrets);
      }
    }
  } catch (error) {
    if (AbortedError.is(error) || (error as Error)?.name === 'AbortError' || (error as Error)?.name === 'TimeoutError') {
      throw timedOut(error);
    }
    throw error;
  }
  if (state.blocked && !state.finished) {
    throw new LlmError(`${PROVIDER} blocked the prompt (${state.blocked})`);
  }
  if (!state.finished) {
    throw new StreamInterruptedError(`${PROVIDER} stream ended before the response was complete`, '');
  }
  yield* closingEvents(state);
}

// ---------------------------------------------------------------- embeddings

export async function embedGemini(model: GeminiEmbeddingModel, items: EmbeddingInput[], context: EmbedContext): Promise<number[][]> {
  const spec = model.spec;
  const key = context.key ?? '';
  const secrets = [key];
  const requests = items.map((item) => {
    const part =
      typeof item === 'string'
        ? { text: item }
        : { inlineData: { data: Buffer.from(item).toString('base64'), mimeType: 'application/octet-stream' } };
    const request: Json = { model: `models/${spec.geminiId}`, content: { parts: [part] } };
    if (spec.dimensions) request.outputDimensionality = spec.dimensions;
    return request;
  });
  const url = `${baseUrl()}/v1beta/models/${encodeURIComponent(spec.geminiId)}:batchEmbedContents`;
  const response = await providerFetch(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': key },
      body: JSON.stringify({ requests }),
    },
    { provider: PROVIDER, secrets, signal: context.signal },
  );
  const reply = parseJson(await response.text(), secrets);
  const embeddings = Array.isArray(reply.embeddings) ? reply.embeddings : [];
  if (embeddings.length !== items.length) {
    throw new ApiError(
      `${PROVIDER} API error: asked for ${items.length} embeddings, got ${embeddings.length}`,
      response.status,
      PROVIDER,
    );
  }
  return embeddings.map((embedding) => {
    let values = (isObject(embedding) && Array.isArray(embedding.values) ? embedding.values : []).map(Number);
    if (spec.truncate) values = values.slice(0, spec.truncate);
    if (spec.normalize && spec.dimensions) {
      const magnitude = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));
      if (magnitude) values = values.map((v) => v / magnitude);
    }
    return values;
  });
}

/** Counts a prompt's input tokens with the Gemini API's countTokens method (exact, free). */
export async function countGeminiTokens(
  model: GeminiPro,
  prompt: Prompt,
  context: { key: string | undefined; signal?: AbortSignal },
): Promise<TokenCount> {
  if (!context.key) return { ...estimatePromptTokens(prompt), method: 'estimate: no Gemini key to count with' };
  const body = await buildRequestBody(model, prompt, context.signal);
  const url = `${baseUrl()}/v1beta/models/${encodeURIComponent(model.geminiModelId)}:countTokens`;
  const response = await providerFetch(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': context.key },
      body: JSON.stringify({ generateContentRequest: { model: `models/${model.geminiModelId}`, ...body } }),
    },
    { provider: PROVIDER, secrets: [context.key], signal: context.signal },
  );
  const json = parseJson(await response.text(), [context.key]) as { totalTokens?: unknown };
  if (typeof json.totalTokens !== 'number') throw new ApiError(`${PROVIDER} countTokens gave no totalTokens`, 502, PROVIDER, JSON.stringify(json));
  return { tokens: json.totalTokens, exact: true, method: 'Gemini countTokens endpoint' };
}
