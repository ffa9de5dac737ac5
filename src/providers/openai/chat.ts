import { ApiError, UsageError } from '../../errors.js';
import type { ModelEvent, ModelEventChunk } from '../../models/events.js';
import type { Message } from '../../models/messages.js';
import type { ExecuteContext } from '../../models/model.js';
import type { Prompt } from '../../models/prompt.js';
import { SseDecoder, sseEvents } from '../../streaming/sse.js';
import type { OpenAIModelLike } from './models.js';
import {
  apiOptions,
  baseUrl,
  chatAttachment,
  interrupted,
  postJson,
  readJson,
  refuseHtml,
  removeNullValues,
  simplifyUsage,
  sortedBody,
} from './shared.js';

type Json = Record<string, any>;

/** Options that configure llm itself rather than the API request. */
const LOCAL_OPTIONS = ['json_object', 'image_detail', 'chat_completions'];

/** Translates prompt.messages to Chat Completions messages, as the Python plugin does. */
export async function buildChatMessages(
  messages: readonly Message[],
  imageDetail: string | undefined,
  signal?: AbortSignal,
): Promise<Json[]> {
  const out: Json[] = [];
  let currentSystem: string | undefined;
  for (const message of messages) {
    const text: string[] = [];
    const attachments: Json[] = [];
    const toolCalls: Json[] = [];
    const toolResults: Json[] = [];
    for (const part of message.parts) {
      if (part.type === 'text') text.push(part.text);
      else if (part.type === 'attachment') attachments.push(await chatAttachment(part.attachment, imageDetail, signal));
      else if (part.type === 'tool_call') {
        toolCalls.push({
          type: 'function',
          id: part.toolCallId,
          function: { name: part.name, arguments: pythonJsonDumps(part.arguments) },
        });
      } else if (part.type === 'tool_result') {
        toolResults.push({ role: 'tool', tool_call_id: part.toolCallId, content: part.output });
      }
    }
    if (message.role === 'tool') {
      out.push(...toolResults);
      continue;
    }
    if (message.role === 'system') {
      const joined = text.join('');
      if (joined === currentSystem) continue;
      currentSystem = joined;
    }
    let entry: Json;
    if (attachments.length) {
      const content: Json[] = [];
      if (text.length) content.push({ type: 'text', text: text.join('') });
      content.push(...attachments);
      entry = { role: message.role, content };
    } else {
      entry = { role: message.role, content: text.length ? text.join('') : null };
    }
    if (toolCalls.length) {
      entry.tool_calls = toolCalls;
      if (!text.length) entry.content = null;
    } else if (entry.content === null && message.role !== 'assistant') {
      continue;
    }
    out.push(entry);
  }
  return out;
}

/** `json.dumps` with Python's default separators (", " and ": "). */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const entries = Object.entries(value as Json).map(([k, v]) => `${JSON.stringify(k)}: ${pythonJsonDumps(v)}`);
  return `{${entries.join(', ')}}`;
}

function normaliseLogitBias(value: unknown): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [key, bias] of Object.entries(value as Json)) result[String(Number.parseInt(key, 10))] = Math.trunc(Number(bias));
  return result;
}

/** The request parameters other than messages/model/stream. */
export function buildChatKwargs(prompt: Prompt, stream: boolean, defaultMaxTokens?: number): Json {
  const kwargs = apiOptions(prompt.options, LOCAL_OPTIONS);
  if (kwargs.logit_bias !== undefined) kwargs.logit_bias = normaliseLogitBias(kwargs.logit_bias);
  if (kwargs.max_tokens === undefined && defaultMaxTokens !== undefined) kwargs.max_tokens = defaultMaxTokens;
  if (prompt.options.json_object) kwargs.response_format = { type: 'json_object' };
  if (prompt.schema) kwargs.response_format = { type: 'json_schema', json_schema: { name: 'output', schema: prompt.schema } };
  if (prompt.tools.length) {
    kwargs.tools = prompt.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description || null, parameters: tool.inputSchema },
    }));
  }
  const choice = prompt.toolChoice;
  if (choice !== undefined) kwargs.tool_choice = typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
  if (stream) kwargs.stream_options = { include_usage: true };
  return kwargs;
}

function usageEvent(usage: Json): ModelEvent {
  const { prompt_tokens, completion_tokens, total_tokens: _total, ...rest } = usage;
  return { type: 'usage', input: prompt_tokens ?? null, output: completion_tokens ?? null, details: simplifyUsage(rest) };
}

function streamError(error: unknown): ApiError {
  const message =
    error && typeof error === 'object' && typeof (error as Json).message === 'string' ? (error as Json).message : JSON.stringify(error);
  const code = error && typeof error === 'object' && typeof (error as Json).code === 'number' ? (error as Json).code : 500;
  return new ApiError(`OpenAI API error in stream: ${message}`, code, 'OpenAI', message, error);
}


interface ToolCallAccumulator {
  id: string | undefined;
  name: string;
  arguments: string;
}

function parseArguments(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : { _raw: text };
  } catch {
    return { _raw: text };
  }
}

/** The events of a whole (non-streamed) chat completion. */
function* completionEvents(completion: Json, modelName: string): Generator<ModelEvent> {
  if (completion.error) throw streamError(completion.error);
  const choice = completion.choices?.[0];
  const message = choice?.message ?? {};
  for (const call of message.tool_calls ?? []) {
    yield {
      type: 'tool_call',
      name: call.function?.name ?? '',
      arguments: parseArguments(call.function?.arguments ?? ''),
      toolCallId: call.id ?? undefined,
    };
  }
  if (typeof message.content === 'string') yield { type: 'text', text: message.content };
  yield { type: 'response_json', json: removeNullValues(completion) as Json };
  if (typeof completion.model === 'string' && completion.model !== modelName) yield { type: 'resolved_model', model: completion.model };
  if (completion.usage) {
    yield usageEvent(completion.usage);
    if (completion.usage.completion_tokens_details?.reasoning_tokens) yield { type: 'reasoning', text: '', redacted: true };
  }
}

/** The JSON body of a /chat/completions request for `prompt`. */
export async function chatRequestBody(model: OpenAIModelLike, prompt: Prompt, stream: boolean, signal?: AbortSignal): Promise<Json> {
  const config = model.config;
  const imageDetail = prompt.options.image_detail as string | undefined;
  const messages = await buildChatMessages(prompt.messages, imageDetail, signal);
  return sortedBody({
    messages,
    model: config.modelName || model.modelId,
    stream,
    ...buildChatKwargs(prompt, stream, config.defaultMaxTokens),
  });
}

/** The events of a whole (non-streamed) chat completion body, e.g. one line of a Batch API result file. */
export function chatCompletionEvents(model: OpenAIModelLike, completion: Json): ModelEvent[] {
  return [...completionEvents(completion, model.config.modelName || model.modelId)];
}

/** Runs one prompt against /chat/completions, streaming or not. */
export async function* executeChat(model: OpenAIModelLike, prompt: Prompt, context: ExecuteContext): AsyncGenerator<ModelEventChunk> {
  const config = model.config;
  if (prompt.system && config.allowsSystemPrompt === false) {
    throw new UsageError(`${model.modelId} does not support system prompts`);
  }
  const modelName = config.modelName || model.modelId;
  const body = await chatRequestBody(model, prompt, context.stream, context.signal);
  const response = await postJson(`${baseUrl(config)}/chat/completions`, body, {
    key: context.key,
    headers: config.headers,
    signal: context.signal,
    timeouts: context.timeouts,
  });

  // A server that answers a streaming request with one JSON body (some OpenAI-compatible
  // proxies do) is read as the non-streaming answer it is.
  if (!context.stream || /^application\/json\b/i.test(response.headers.get('content-type') ?? '')) {
    yield* completionEvents(await readJson(response, 'response'), modelName);
    return;
  }
  await refuseHtml(response);

  // Streaming: keep the per-chunk path lean; combine the chunks as Python's combine_chunks does.
  const otherChoices: string[] = [];
  let first: Json | undefined;
  let role: unknown = null;
  let finishReason: unknown = null;
  let usage: Json | undefined;
  let sawDone = false;
  let toolCalls: Map<number, ToolCallAccumulator> | undefined;
  // The SSE decoder is driven directly, one network read at a time (this is the hot path).
  // Each delta is its own text event, as the provider sent it; the events of one read are
  // yielded together as a batch, so there is one async step per read, not per token.
  const reader = response.body!.getReader();
  const decoder = new SseDecoder();
  let batch: ModelEvent[] = [];
  try {
    read: for (;;) {
      if (batch.length) {
        yield batch;
        batch = [];
      }
      const { value, done } = await reader.read();
      const events = done ? decoder.end() : decoder.push(value);
      for (let e = 0; e < events.length; e++) {
        const data = events[e]!.data;
        if (data === '[DONE]') {
          sawDone = true;
          break read;
        }
        const chunk = JSON.parse(data) as Json;
        if (chunk.error) throw streamError(chunk.error);
        if (first === undefined) first = chunk;
        if (chunk.usage) usage = chunk.usage;
        const choices = chunk.choices;
        if (choices === undefined || choices === null || choices.length === 0) continue;
        for (let i = 0; i < choices.length; i++) {
          const choice = choices[i];
          const delta = choice.delta;
          role = delta ? (delta.role ?? null) : role;
          if (choice.finish_reason != null) finishReason = choice.finish_reason;
          if (i === 0 && delta) {
            const text = delta.content;
            if (typeof text === 'string' && text !== '') batch.push({ type: 'text', text });
            if (delta.tool_calls) toolCalls = accumulateToolCalls(toolCalls ?? new Map(), delta.tool_calls);
          } else if (delta && typeof delta.content === 'string') {
            otherChoices.push(delta.content);
          }
        }
      }
      if (done) break;
    }
  } catch (error) {
    if (batch.length) yield batch;
    batch = [];
    if (error instanceof ApiError || context.signal?.aborted) throw error;
    if (error instanceof SyntaxError) throw new ApiError(`OpenAI sent a stream chunk that is not JSON: ${error.message}`, 200, 'OpenAI');
    throw interrupted(error);
  } finally {
    if (!sawDone) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  if (batch.length) yield batch;
  if (!sawDone && finishReason === null) throw interrupted();

  if (toolCalls) {
    for (const call of toolCalls.values()) {
      yield { type: 'tool_call', name: call.name, arguments: parseArguments(call.arguments), toolCallId: call.id };
    }
  }
  // combine_chunks' content: the text the response has already kept (one copy, not a
  // second string built chunk by chunk), then any other choices' text.
  const content = context.response.textSoFar + otherChoices.join('');
  const combined: Json = { content, role, finish_reason: finishReason, usage: usage ?? {} };
  if (first) {
    for (const name of ['id', 'object', 'model', 'created', 'index']) {
      if (first[name] !== undefined && first[name] !== null) combined[name] = first[name];
    }
  }
  yield { type: 'response_json', json: removeNullValues(combined) as Json };
  if (first && typeof first.model === 'string' && first.model !== modelName) yield { type: 'resolved_model', model: first.model };
  if (usage) {
    yield usageEvent(usage);
    if (usage.completion_tokens_details?.reasoning_tokens) yield { type: 'reasoning', text: '', redacted: true };
  }
}

function accumulateToolCalls(calls: Map<number, ToolCallAccumulator>, deltas: Json[]): Map<number, ToolCallAccumulator> {
  for (const delta of deltas) {
    const index = typeof delta.index === 'number' ? delta.index : calls.size;
    const fn = delta.function ?? {};
    const existing = calls.get(index);
    if (!existing) {
      calls.set(index, { id: delta.id ?? undefined, name: fn.name ?? '', arguments: fn.arguments ?? '' });
    } else {
      existing.arguments += fn.arguments ?? '';
    }
  }
  return calls;
}

/** Runs one prompt against the legacy /completions endpoint. */
export async function* executeCompletion(
  model: OpenAIModelLike,
  prompt: Prompt,
  context: ExecuteContext,
): AsyncGenerator<ModelEventChunk> {
  const config = model.config;
  if (prompt.system) throw new UsageError('System prompts are not supported for OpenAI completion models');
  const lines: string[] = [];
  for (const message of prompt.messages) {
    if (message.role !== 'user' && message.role !== 'assistant') continue;
    const text = message.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
    if (text) lines.push(text);
  }
  const modelName = config.modelName || model.modelId;
  const body = sortedBody({
    model: modelName,
    prompt: lines.join('\n'),
    stream: context.stream,
    ...buildChatKwargs(prompt, context.stream, config.defaultMaxTokens),
  });
  const response = await postJson(`${baseUrl(config)}/completions`, body, {
    key: context.key,
    headers: config.headers,
    signal: context.signal,
    timeouts: context.timeouts,
  });
  if (!context.stream) {
    const completion = await readJson(response, 'response');
    if (completion.error) throw streamError(completion.error);
    const text = completion.choices?.[0]?.text;
    if (typeof text === 'string') yield { type: 'text', text };
    yield { type: 'response_json', json: removeNullValues(completion) as Json };
    if (completion.usage) yield usageEvent(completion.usage);
    return;
  }
  await refuseHtml(response);
  const content: string[] = [];
  const logprobs: Json[] = [];
  let first: Json | undefined;
  let usage: Json | undefined;
  let finished = false;
  try {
    for await (const event of sseEvents(response.body!)) {
      if (event.data === '[DONE]') {
        finished = true;
        break;
      }
      const chunk = JSON.parse(event.data) as Json;
      if (chunk.error) throw streamError(chunk.error);
      first ??= chunk;
      if (chunk.usage) usage = chunk.usage;
      for (const choice of chunk.choices ?? []) {
        if (choice.logprobs?.top_logprobs) logprobs.push({ text: choice.text ?? null, top_logprobs: choice.logprobs.top_logprobs });
        if (choice.finish_reason != null) finished = true;
        if (typeof choice.text === 'string') content.push(choice.text);
      }
      const text = chunk.choices?.[0]?.text;
      if (typeof text === 'string' && text) yield { type: 'text', text };
    }
  } catch (error) {
    if (error instanceof ApiError || context.signal?.aborted) throw error;
    throw interrupted(error);
  }
  if (!finished) throw interrupted();
  const combined: Json = { content: content.join(''), role: null, finish_reason: null, usage: usage ?? {} };
  if (logprobs.length) combined.logprobs = logprobs;
  if (first) {
    for (const name of ['id', 'object', 'model', 'created', 'index']) {
      if (first[name] !== undefined && first[name] !== null) combined[name] = first[name];
    }
  }
  yield { type: 'response_json', json: removeNullValues(combined) as Json };
  if (usage) yield usageEvent(usage);
}
