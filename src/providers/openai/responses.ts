import { ApiError, UsageError } from '../../errors.js';
import type { ModelEvent } from '../../models/events.js';
import type { Message, ToolCallPart, ToolResultPart } from '../../models/messages.js';
import type { ExecuteContext } from '../../models/model.js';
import type { Prompt } from '../../models/prompt.js';
import { sseEvents } from '../../streaming/sse.js';
import { pythonJsonDumps } from './chat.js';
import { pythonDumps } from '../../logs/json.js';
import type { OpenAIModelLike } from './models.js';
import { apiOptions, baseUrl, interrupted, postJson, readJson, refuseHtml, removeNullValues, responsesAttachment, sortedBody } from './shared.js';
import { isServerSideTool } from '../../tools/server-side/server-side-tool.js';

type Json = Record<string, any>;

/** Translates prompt.messages into Responses API input items plus `instructions`. */
export async function buildResponsesInput(
  messages: readonly Message[],
  imageDetail: string | undefined,
  signal?: AbortSignal,
): Promise<{ input: Json[]; instructions: string | undefined }> {
  const input: Json[] = [];
  let instructions: string | undefined;
  for (const message of messages) {
    if (message.role === 'system') {
      const text = message.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
      if (text) instructions = text;
      continue;
    }
    const text: string[] = [];
    const attachments: Json[] = [];
    const calls: Json[] = [];
    const results: Json[] = [];
    const reasoning: Json[] = [];
    for (const part of message.parts) {
      if (part.type === 'text') text.push(part.text);
      else if (part.type === 'attachment') attachments.push(await responsesAttachment(part.attachment, imageDetail, signal));
      else if (part.type === 'tool_call') {
        if (part.serverExecuted) continue;
        calls.push({ type: 'function_call', call_id: part.toolCallId, name: part.name, arguments: pythonJsonDumps(part.arguments) });
      } else if (part.type === 'tool_result') {
        if (part.serverExecuted) continue;
        results.push({ type: 'function_call_output', call_id: part.toolCallId, output: part.output });
      } else if (part.type === 'reasoning') {
        const meta = (part.providerMetadata?.openai ?? {}) as Json;
        if (!meta.encrypted_content && !meta.id) continue;
        const item: Json = { type: 'reasoning' };
        if (meta.id) item.id = meta.id;
        if (meta.encrypted_content) item.encrypted_content = meta.encrypted_content;
        item.summary = meta.summary && meta.summary.length ? meta.summary : [];
        reasoning.push(item);
      }
    }
    input.push(...reasoning);
    if (message.role === 'tool') {
      input.push(...results);
    } else if (message.role === 'user') {
      if (attachments.length) {
        const content: Json[] = [];
        if (text.length) content.push({ type: 'input_text', text: text.join('') });
        content.push(...attachments);
        input.push({ role: 'user', content });
      } else if (text.length) {
        input.push({ role: 'user', content: text.join('') });
      }
    } else if (message.role === 'assistant') {
      if (text.length) input.push({ role: 'assistant', content: text.join('') });
      input.push(...calls);
    }
  }
  return { input, instructions };
}

const CONSUMED = [
  'json_object',
  'chat_completions',
  'image_detail',
  'max_tokens',
  'reasoning_effort',
  'verbosity',
  'temperature',
  'top_p',
  'seed',
];

/** The request parameters besides model/input/stream. */
export function buildResponsesKwargs(model: OpenAIModelLike, prompt: Prompt, instructions: string | undefined): Json {
  const config = model.config;
  const options = prompt.options;
  const kwargs: Json = {};
  const maxTokens = options.max_tokens ?? config.defaultMaxTokens;
  if (maxTokens !== undefined && maxTokens !== null) kwargs.max_output_tokens = maxTokens;
  if (options.temperature != null) kwargs.temperature = options.temperature;
  if (options.top_p != null) kwargs.top_p = options.top_p;
  if (options.seed != null) kwargs.seed = options.seed;
  const summaryByDefault = config.reasoningSummary !== false;
  if (config.reasoning) {
    const reasoning: Json = {};
    if (summaryByDefault && !prompt.hideReasoning) reasoning.summary = 'auto';
    if (options.reasoning_effort) reasoning.effort = options.reasoning_effort;
    if (Object.keys(reasoning).length) kwargs.reasoning = reasoning;
  }
  const text: Json = {};
  if (options.verbosity) text.verbosity = options.verbosity;
  if (options.json_object) text.format = { type: 'json_object' };
  if (prompt.schema) text.format = { type: 'json_schema', name: 'output', schema: prompt.schema, strict: false };
  if (Object.keys(text).length) kwargs.text = text;
  if (prompt.offeredTools.length) {
    // In the order given: a function tool, or a server-side tool's own entry (WebSearch,
    // CodeInterpreter, or a raw ServerSideTool spec), as Python sends `prompt.tools`.
    kwargs.tools = prompt.offeredTools.map((tool) =>
      isServerSideTool(tool)
        ? tool.toolSpec(model)
        : {
            type: 'function',
            name: tool.name,
            description: tool.description || null,
            parameters: Object.keys(tool.inputSchema).length ? tool.inputSchema : { type: 'object', properties: {} },
          },
    );
  }
  const choice = prompt.toolChoice;
  if (choice !== undefined) kwargs.tool_choice = typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
  // Anything else (service_tier, stop, ...) goes through as given.
  Object.assign(kwargs, apiOptions(options, CONSUMED));
  if (instructions !== undefined) kwargs.instructions = instructions;
  kwargs.store = false;
  if (config.reasoning && (summaryByDefault || options.reasoning_effort)) {
    kwargs.include = ['reasoning.encrypted_content'];
  }
  // Then each server-side tool adds what it needs (CodeInterpreter: its outputs in `include`).
  for (const tool of prompt.serverSideTools) tool.prepareRequest(model, kwargs);
  return kwargs;
}

function usageEvent(usage: Json): ModelEvent {
  const details: Json = {};
  for (const name of ['input_tokens_details', 'output_tokens_details']) {
    const value = usage[name];
    if (value && typeof value === 'object' && Object.keys(value).length) details[name] = value;
  }
  return {
    type: 'usage',
    input: usage.input_tokens ?? 0,
    output: usage.output_tokens ?? 0,
    details: Object.keys(details).length ? details : null,
  };
}

function reasoningText(item: Json): string {
  let text = '';
  for (const name of ['summary', 'content']) {
    for (const part of item[name] ?? []) if (part && typeof part.text === 'string') text += part.text;
  }
  return text;
}

/** A reasoning event carrying the item's id and encrypted content, so a later turn can send it back. */
function reasoningEvent(item: Json, includeText: boolean): ModelEvent {
  const meta: Json = {};
  if (item.id) meta.id = item.id;
  if (item.encrypted_content) meta.encrypted_content = item.encrypted_content;
  if (item.summary && item.summary.length) meta.summary = item.summary;
  const text = includeText ? reasoningText(item) : '';
  const event: ModelEvent = { type: 'reasoning', text };
  if (includeText && !text) event.redacted = true;
  if (Object.keys(meta).length) event.providerMetadata = { openai: meta };
  return event;
}

function outputEvents(output: Json[]): { events: ModelEvent[]; hadReasoning: boolean } {
  const events: ModelEvent[] = [];
  let hadReasoning = false;
  let seenMessage = false;
  for (const item of output) {
    // A second message item (after a server-side tool call) is a message of its own, as in Python.
    if (item.type === 'message') {
      if (seenMessage) events.push({ type: 'next_message' });
      seenMessage = true;
    }
    if (item.type === 'reasoning') {
      hadReasoning = true;
      events.push(reasoningEvent(item, true));
    } else if (item.type === 'function_call') {
      events.push(functionCallEvent(item));
    } else if (item.type === 'message') {
      for (const content of item.content ?? []) {
        if (content.type === 'output_text' && content.text) events.push({ type: 'text', text: content.text });
      }
    } else {
      const server = serverToolEvents(item);
      if (server) events.push(...server);
    }
  }
  return { events, hadReasoning };
}

function functionCallEvent(item: Json): ModelEvent {
  let args: Record<string, unknown> = {};
  if (item.arguments) {
    try {
      args = JSON.parse(item.arguments);
    } catch {
      args = { _raw: item.arguments };
    }
  }
  return { type: 'tool_call', name: item.name ?? '', arguments: args, toolCallId: item.call_id ?? undefined };
}

/**
 * A tool OpenAI ran itself (a `web_search_call` or `code_interpreter_call` output item) as
 * Python records it: a call and its result, both marked server-executed (so they are logged
 * as parts, never run here, and never sent back). The call's arguments are the search action
 * or `{code}`; the result is the results or the outputs' logs/urls, else the item's status.
 */
export function serverToolEvents(item: Json): [ToolCallPart, ToolResultPart] | undefined {
  const id: string | undefined = item.id ?? undefined;
  const common = { toolCallId: id, serverExecuted: true as const };
  if (item.type === 'web_search_call') {
    const results: unknown[] = item.results ?? [];
    return [
      { type: 'tool_call', name: 'web_search', arguments: item.action ?? {}, ...common },
      { type: 'tool_result', name: 'web_search', output: results.length ? pythonDumps(results) : (item.status ?? 'completed'), ...common },
    ];
  }
  if (item.type === 'code_interpreter_call') {
    const outputs: string[] = [];
    for (const output of item.outputs ?? []) {
      const text = output && typeof output === 'object' ? output.logs || output.url : undefined;
      if (text) outputs.push(text);
    }
    return [
      { type: 'tool_call', name: 'code_interpreter', arguments: { code: item.code ?? '' }, ...common },
      { type: 'tool_result', name: 'code_interpreter', output: outputs.join('\n') || (item.status ?? 'completed'), ...common },
    ];
  }
  return undefined;
}

/**
 * OpenAI may send a server tool's item incomplete on `output_item.done` and whole on
 * `response.completed`: as Python does, the parts already yielded take the final values
 * (the response keeps these event objects, so the logged parts get them).
 */
function refreshServerToolEvents(output: Json[], done: Map<string, [ToolCallPart, ToolResultPart]>): void {
  for (const item of output) {
    const prior = item?.id ? done.get(item.id) : undefined;
    const fresh = prior && serverToolEvents(item);
    if (!prior || !fresh) continue;
    prior[0].arguments = fresh[0].arguments;
    prior[1].output = fresh[1].output;
  }
}

function failure(payload: Json | undefined, fallback: string): ApiError {
  const error = payload?.error ?? payload?.response?.error ?? payload;
  const message = typeof error?.message === 'string' ? error.message : fallback;
  return new ApiError(`OpenAI API error: ${message}`, 500, 'OpenAI', message, payload);
}


/** Runs one prompt against /responses, streaming or not. */
export async function* executeResponses(
  model: OpenAIModelLike,
  prompt: Prompt,
  context: ExecuteContext,
): AsyncGenerator<ModelEvent> {
  const config = model.config;
  if (prompt.system && config.allowsSystemPrompt === false) {
    throw new UsageError(`${model.modelId} does not support system prompts`);
  }
  const { input, instructions } = await buildResponsesInput(
    prompt.messages,
    prompt.options.image_detail as string | undefined,
    context.signal,
  );
  const modelName = config.modelName || model.modelId;
  const body = sortedBody({ input, model: modelName, stream: context.stream, ...buildResponsesKwargs(model, prompt, instructions) });
  const response = await postJson(`${baseUrl(config)}/responses`, body, {
    key: context.key,
    headers: config.headers,
    signal: context.signal,
    timeouts: context.timeouts,
  });

  let final: Json | undefined;
  let hadReasoning = false;
  if (!context.stream) {
    final = await readJson(response, 'response');
    if (final.error) throw failure(final, 'the request failed');
    const result = outputEvents(final.output ?? []);
    hadReasoning = result.hadReasoning;
    yield* result.events;
  } else {
    await refuseHtml(response);
    const streamedReasoning = new Set<string>();
    const serverToolsDone = new Map<string, [ToolCallPart, ToolResultPart]>();
    let seenMessage = false;
    try {
      for await (const event of sseEvents(response.body!)) {
        if (event.data === '[DONE]') break;
        const payload = JSON.parse(event.data) as Json;
        const type: string = payload.type ?? event.event;
        if (type === 'response.output_item.added') {
          if (payload.item?.type === 'message') {
            if (seenMessage) yield { type: 'next_message' };
            seenMessage = true;
          }
        } else if (type === 'response.output_text.delta') {
          if (payload.delta) yield { type: 'text', text: payload.delta };
        } else if (type === 'response.reasoning_summary_text.delta' || type === 'response.reasoning_text.delta') {
          if (payload.item_id) streamedReasoning.add(payload.item_id);
          if (payload.delta) yield { type: 'reasoning', text: payload.delta };
        } else if (type === 'response.reasoning_summary_text.done' || type === 'response.reasoning_text.done') {
          if (!streamedReasoning.has(payload.item_id) && payload.text) {
            if (payload.item_id) streamedReasoning.add(payload.item_id);
            yield { type: 'reasoning', text: payload.text };
          }
        } else if (type === 'response.output_item.done') {
          const item = payload.item ?? {};
          if (item.type === 'reasoning') {
            hadReasoning = true;
            yield reasoningEvent(item, !streamedReasoning.has(item.id));
          } else if (item.type === 'function_call') {
            yield functionCallEvent(item);
          } else {
            const server = serverToolEvents(item);
            if (server) {
              if (item.id) serverToolsDone.set(item.id, server);
              yield* server;
            }
          }
        } else if (type === 'response.completed' || type === 'response.incomplete') {
          final = payload.response ?? {};
          refreshServerToolEvents(final!.output ?? [], serverToolsDone);
        } else if (type === 'response.failed' || type === 'error') {
          throw failure(payload, type);
        }
      }
    } catch (error) {
      if (error instanceof ApiError || context.signal?.aborted) throw error;
      if (error instanceof SyntaxError) throw new ApiError(`OpenAI sent a stream event that is not JSON: ${error.message}`, 200, 'OpenAI');
      throw interrupted(error);
    }
    if (!final) throw interrupted();
  }

  yield { type: 'response_json', json: removeNullValues(final) as Json };
  if (typeof final.model === 'string' && final.model !== modelName) yield { type: 'resolved_model', model: final.model };
  const usage = final.usage as Json | undefined;
  if (usage) {
    yield usageEvent(usage);
    if (!hadReasoning && usage.output_tokens_details?.reasoning_tokens) yield { type: 'reasoning', text: '', redacted: true };
  }
}
