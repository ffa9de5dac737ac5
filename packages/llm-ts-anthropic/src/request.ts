import {
  ApiError,
  type Attachment,
  type ExecuteContext,
  type JsonSchema,
  type Message,
  type ModelEvent,
  type Part,
  type Prompt,
  providerFetch,
  sseEvents,
  StreamInterruptedError,
  type Tool,
  type TokenCount,
  estimatePromptTokens,
  isServerSideTool,
  pythonDumps,
  UsageError,
} from 'llm-ts';
import { anthropicBaseUrl, type ClaudeMessages, parseStopSequences } from './models.js';

/** Loaded only when a prompt runs: builds the Messages API request and reads the reply. */

export const ANTHROPIC_VERSION = '2023-06-01';
const DEFAULT_THINKING_TOKENS = 1024;
const DEFAULT_TEMPERATURE = 1.0;
/** The forced tool used for schemas on models without structured outputs. */
export const SCHEMA_TOOL = 'output_structured_data';

type Block = Record<string, unknown>;
interface WireMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

async function attachmentBlock(attachment: Attachment, signal?: AbortSignal): Promise<Block> {
  const type = await attachment.resolveType(signal);
  const kind = type === 'application/pdf' ? 'document' : 'image';
  const source = attachment.url
    ? { type: 'url', url: attachment.url }
    : { type: 'base64', media_type: type, data: await attachment.base64Content(signal) };
  return { type: kind, source };
}

function anthropicMeta(part: { providerMetadata?: Record<string, unknown> }): Record<string, unknown> {
  const meta = part.providerMetadata?.anthropic;
  return meta && typeof meta === 'object' ? (meta as Record<string, unknown>) : {};
}

async function partBlocks(part: Part, blocks: Block[], signal?: AbortSignal): Promise<void> {
  switch (part.type) {
    case 'text':
      if (part.text) blocks.push({ type: 'text', text: part.text });
      return;
    case 'attachment':
      blocks.push(await attachmentBlock(part.attachment, signal));
      return;
    case 'reasoning': {
      const meta = anthropicMeta(part);
      if (meta.type === 'redacted_thinking' && typeof meta.data === 'string') {
        blocks.push({ type: 'redacted_thinking', data: meta.data });
        return;
      }
      const previous = blocks[blocks.length - 1];
      // A signature arrives as its own metadata-only part: it belongs to the thinking before it.
      if (!part.text && typeof meta.signature === 'string' && previous?.type === 'thinking') {
        previous.signature = meta.signature;
        return;
      }
      const block: Block = { type: 'thinking', thinking: part.text };
      if (typeof meta.signature === 'string') block.signature = meta.signature;
      blocks.push(block);
      return;
    }
    case 'tool_call':
    case 'tool_result': {
      // A tool Claude ran itself goes back as the block it came as (none recorded: left out).
      if (part.serverExecuted) {
        const block = anthropicMeta(part).block;
        if (block && typeof block === 'object') blocks.push(structuredClone(block as Block));
        return;
      }
      if (part.type === 'tool_call') blocks.push({ type: 'tool_use', id: part.toolCallId, name: part.name, input: part.arguments });
      else blocks.push({ type: 'tool_result', tool_use_id: part.toolCallId, content: part.output });
      return;
    }
  }
}

function rank(block: Block): number {
  return block.type === 'image' || block.type === 'document' ? 0 : 1;
}

/**
 * Turns the canonical messages into Messages API turns. System messages go to the
 * top-level `system`; tool results and user content share user turns, since the API
 * wants user and assistant to alternate.
 */
export async function buildMessages(
  messages: readonly Message[],
  signal?: AbortSignal,
): Promise<{ system: string | undefined; messages: WireMessage[] }> {
  const out: WireMessage[] = [];
  let system: string | undefined;
  for (const message of messages) {
    if (message.role === 'system') {
      const text = message.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
      if (text) system = text;
      continue;
    }
    const blocks: Block[] = [];
    for (const part of message.parts) await partBlocks(part, blocks, signal);
    if (!blocks.length) continue;
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    // Images and documents go before the text, as Anthropic recommends (and llm-anthropic sends).
    if (role === 'user') blocks.sort((a, b) => rank(a) - rank(b));
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  }
  return { system, messages: out };
}

const KEEP_SCHEMA_KEYS = new Set([
  'type',
  'properties',
  'required',
  'items',
  'enum',
  'const',
  'anyOf',
  'allOf',
  '$ref',
  '$defs',
  'definitions',
  'description',
  'title',
  'default',
  'additionalProperties',
]);

/**
 * Shapes a JSON Schema for structured outputs: every object gets
 * `additionalProperties: false`, and constraints the API does not take (lengths,
 * ranges, patterns) move into the description so the model still sees them.
 */
export function transformSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(transformSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const input = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const moved: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (key === 'properties' || key === '$defs' || key === 'definitions') {
      out[key] = Object.fromEntries(
        Object.entries((value as Record<string, unknown>) ?? {}).map(([name, sub]) => [name, transformSchema(sub)]),
      );
    } else if (key === 'items' || key === 'anyOf' || key === 'allOf') {
      out[key] = transformSchema(value);
    } else if (KEEP_SCHEMA_KEYS.has(key)) {
      out[key] = value;
    } else if (key !== '$schema') {
      moved.push(`${key}: ${JSON.stringify(value)}`);
    }
  }
  if (out.type === 'object' || out.properties) out.additionalProperties = false;
  if (moved.length) {
    const note = `{${moved.join(', ')}}`;
    out.description = typeof out.description === 'string' ? `${out.description}\n\n${note}` : note;
  }
  return out;
}

export interface BuiltRequest {
  body: Record<string, unknown>;
  betas: string[];
  /** True when the schema goes through the forced tool, whose input is the answer. */
  schemaTool: boolean;
}

/** A function tool as the Messages API takes it; a tool without a schema takes no arguments. */
function toolSpec(tool: Tool): Block {
  const schema = Object.keys(tool.inputSchema).length ? tool.inputSchema : { type: 'object', properties: {} };
  return { name: tool.name, description: tool.description ?? '', input_schema: schema };
}

export async function buildRequest(model: ClaudeMessages, prompt: Prompt, stream: boolean, signal?: AbortSignal): Promise<BuiltRequest> {
  if (prompt.schema && prompt.tools.length) {
    throw new UsageError('llm-anthropic does not yet support using both schema and tools in the same prompt');
  }
  const options = prompt.options as Record<string, unknown>;
  const flags = model.flags;
  const built = await buildMessages(prompt.messages, signal);
  const messages = built.messages;
  if (options.cache && messages.length) {
    const last = messages[messages.length - 1]!;
    const block = last.content[last.content.length - 1];
    if (block) block.cache_control = { type: 'ephemeral' };
  }
  if (typeof options.prefill === 'string' && options.prefill) {
    messages.push({ role: 'assistant', content: [{ type: 'text', text: options.prefill }] });
  }
  const body: Record<string, unknown> = { model: model.claudeModelId, messages };
  if (options.user_id) body.metadata = { user_id: options.user_id };
  if (options.top_p !== undefined) body.top_p = options.top_p;
  else body.temperature = options.temperature ?? DEFAULT_TEMPERATURE;
  if (options.top_k !== undefined) body.top_k = options.top_k;
  const system = prompt.system ?? built.system;
  if (system) body.system = system;
  const stops = options.stop_sequences === undefined ? undefined : parseStopSequences(options.stop_sequences);
  if (stops?.length) body.stop_sequences = stops;

  const effort = flags.effort ? (options.thinking_effort as string | undefined) : undefined;
  if (flags.thinking) {
    const wanted = options.thinking || options.thinking_budget || options.thinking_display || options.thinking_adaptive || effort;
    if (wanted) {
      let thinking: Record<string, unknown>;
      if (options.thinking_adaptive || effort) thinking = { type: 'adaptive' };
      else if (options.thinking_budget) thinking = { type: 'enabled', budget_tokens: options.thinking_budget };
      else if (flags.adaptive) thinking = { type: 'adaptive' };
      else thinking = { type: 'enabled', budget_tokens: DEFAULT_THINKING_TOKENS };
      if (options.thinking_display) thinking.display = 'summarized';
      else if (prompt.hideReasoning && flags.adaptive) thinking.display = 'omitted';
      body.thinking = thinking;
    }
  }
  if (effort) body.output_config = { effort };

  let maxTokens = (options.max_tokens as number | undefined) ?? model.defaultMaxTokens;
  const budget = options.thinking_budget as number | undefined;
  if (flags.thinking && budget !== undefined && budget >= maxTokens) maxTokens = budget + 1;
  body.max_tokens = maxTokens;

  const betas: string[] = [];
  if (effort && !flags.adaptive) betas.push('effort-2025-11-24');
  if (maxTokens > 64000 && !flags.adaptive) betas.push('output-128k-2025-02-19');

  let schemaTool = false;
  if (prompt.schema) {
    if (flags.structuredOutputs) {
      body.output_config = {
        ...((body.output_config as object) ?? {}),
        format: { type: 'json_schema', schema: transformSchema(prompt.schema as JsonSchema) },
      };
    } else {
      schemaTool = true;
      body.tools = [{ name: SCHEMA_TOOL, input_schema: prompt.schema }];
      body.tool_choice = { type: 'tool', name: SCHEMA_TOOL };
    }
  }
  // In the order given, server-side tools among the function tools (Python's `prompt.tools` order).
  const toolEntries = prompt.offeredTools.map((tool) => (isServerSideTool(tool) ? tool.toolSpec(model) : toolSpec(tool)));
  if (toolEntries.length) body.tools = [...(schemaTool ? (body.tools as Block[]) : []), ...toolEntries];
  const choice = prompt.toolChoice;
  // (A schema sent as a forced tool comes with no tools of the prompt's: llm-anthropic refuses both.)
  if (choice !== undefined && !schemaTool) {
    body.tool_choice = typeof choice === 'object' ? { type: 'tool', name: choice.name } : { type: choice === 'required' ? 'any' : choice };
  }
  if (stream) body.stream = true;
  // Server-side tools add what they need (code execution: its beta) to the request, `betas` included.
  if (prompt.serverSideTools.length) {
    const request: Record<string, unknown> = { ...body, betas };
    for (const tool of prompt.serverSideTools) tool.prepareRequest(model, request);
    const { betas: wanted, ...rest } = request;
    return { body: rest, betas: wanted as string[], schemaTool };
  }
  return { body, betas, schemaTool };
}

/** Usage as llm-anthropic reports it: input and output, then what is left as details. */
export function usageEvent(usage: Record<string, unknown>, cacheOption: boolean): ModelEvent {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(usage)) {
    if (key === 'input_tokens' || key === 'output_tokens' || value === null || value === undefined) continue;
    rest[key] = value;
  }
  let details: Record<string, unknown> | null = null;
  if (cacheOption || rest.server_tool_use) {
    details = rest;
  } else {
    // Without the cache option, keep only cache counts that are not zero.
    const counts: Record<string, unknown> = {};
    for (const key of ['cache_creation_input_tokens', 'cache_read_input_tokens']) {
      if (typeof rest[key] === 'number' && rest[key] !== 0) counts[key] = rest[key];
    }
    if (Object.keys(counts).length) details = counts;
  }
  return {
    type: 'usage',
    input: typeof usage.input_tokens === 'number' ? usage.input_tokens : null,
    output: typeof usage.output_tokens === 'number' ? usage.output_tokens : null,
    details,
  };
}

function apiErrorFromEvent(data: Record<string, unknown>, secrets: (string | undefined)[]): ApiError {
  const error = (data.error ?? {}) as Record<string, unknown>;
  let message = typeof error.message === 'string' ? error.message : JSON.stringify(data);
  for (const secret of secrets) if (secret && secret.length >= 4) message = message.split(secret).join('[REDACTED]');
  const kind = typeof error.type === 'string' ? error.type : 'error';
  const status = kind === 'overloaded_error' ? 529 : kind === 'rate_limit_error' ? 429 : 500;
  return new ApiError(`Anthropic API error: ${message}`, status, 'Anthropic', message, data);
}

/** A `server_tool_use` block (a search, some code): the call, run by Anthropic. */
function serverToolCall(block: Block): ModelEvent {
  return {
    type: 'tool_call',
    name: String(block.name ?? ''),
    arguments: (block.input as Record<string, unknown>) ?? {},
    toolCallId: String(block.id),
    serverExecuted: true,
    providerMetadata: { anthropic: { block: structuredClone(block) } },
  };
}

/**
 * A `web_search_tool_result` / `code_execution_tool_result` (any `*_tool_result` block
 * answering a server tool call): its content as JSON, as llm-anthropic records it.
 */
function serverToolResult(block: Block): ModelEvent | undefined {
  const type = String(block.type ?? '');
  if (!type.endsWith('_tool_result') || typeof block.tool_use_id !== 'string') return undefined;
  const content = block.content;
  const empty = content === undefined || content === null || (Array.isArray(content) && !content.length);
  return {
    type: 'tool_result',
    name: type.slice(0, -'_tool_result'.length),
    output: empty ? '' : pythonDumps(content),
    toolCallId: block.tool_use_id,
    serverExecuted: true,
    providerMetadata: { anthropic: { block: structuredClone(block) } },
  };
}

/** Events for one finished content block (non-streaming replies). */
function* blockEvents(block: Block, schemaTool: boolean): Generator<ModelEvent> {
  const result = serverToolResult(block);
  if (result) {
    yield result;
    return;
  }
  switch (block.type) {
    case 'text':
      if (typeof block.text === 'string' && block.text) yield { type: 'text', text: block.text };
      return;
    case 'thinking':
      if (typeof block.thinking === 'string' && block.thinking) yield { type: 'reasoning', text: block.thinking };
      if (typeof block.signature === 'string') {
        yield { type: 'reasoning', text: '', providerMetadata: { anthropic: { signature: block.signature } } };
      }
      return;
    case 'redacted_thinking':
      yield { type: 'reasoning', text: '', redacted: true, providerMetadata: { anthropic: { type: 'redacted_thinking', data: block.data } } };
      return;
    case 'server_tool_use':
      yield serverToolCall(block);
      return;
    case 'tool_use':
      if (schemaTool && block.name === SCHEMA_TOOL) {
        yield { type: 'text', text: JSON.stringify(block.input ?? {}) };
      } else {
        yield {
          type: 'tool_call',
          name: String(block.name),
          arguments: (block.input as Record<string, unknown>) ?? {},
          toolCallId: String(block.id),
        };
      }
      return;
  }
}

/** The events of a whole (non-streamed) message: a reply, or one line of a Message Batches result file. */
export function* messageEvents(
  model: ClaudeMessages,
  prompt: Prompt,
  message: Record<string, unknown>,
  schemaTool: boolean,
): Generator<ModelEvent> {
  const options = prompt.options as Record<string, unknown>;
  const prefill = typeof options.prefill === 'string' && !options.hide_prefill ? options.prefill : '';
  if (typeof message.model === 'string' && message.model !== model.claudeModelId) {
    yield { type: 'resolved_model', model: message.model };
  }
  let pendingPrefill = prefill;
  for (const block of (message.content as Block[]) ?? []) {
    for (const event of blockEvents(block, schemaTool)) {
      if (pendingPrefill && event.type === 'text') {
        yield { type: 'text', text: pendingPrefill + event.text };
        pendingPrefill = '';
      } else yield event;
    }
  }
  if (pendingPrefill) yield { type: 'text', text: pendingPrefill };
  const { usage, ...json } = message;
  if (usage && typeof usage === 'object') yield usageEvent(usage as Record<string, unknown>, options.cache === true);
  yield { type: 'response_json', json };
}

/** True when `prompt`'s schema goes through the forced tool (models without structured outputs). */
export function usesSchemaTool(model: ClaudeMessages, prompt: Prompt): boolean {
  return Boolean(prompt.schema) && !model.flags.structuredOutputs;
}

export async function* executeClaude(model: ClaudeMessages, prompt: Prompt, context: ExecuteContext): AsyncGenerator<ModelEvent> {
  const options = prompt.options as Record<string, unknown>;
  const request = await buildRequest(model, prompt, context.stream, context.signal);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: context.stream ? 'text/event-stream' : 'application/json',
    'anthropic-version': ANTHROPIC_VERSION,
    'x-api-key': context.key ?? '',
  };
  if (request.betas.length) headers['anthropic-beta'] = request.betas.join(',');
  const secrets = [context.key];
  const response = await providerFetch(
    `${anthropicBaseUrl()}/v1/messages`,
    { method: 'POST', headers, body: JSON.stringify(request.body), timeouts: context.timeouts },
    { provider: 'Anthropic', secrets, signal: context.signal },
  );
  const prefill = typeof options.prefill === 'string' && !options.hide_prefill ? options.prefill : '';
  const cacheOption = options.cache === true;

  if (!context.stream) {
    const message = (await response.json()) as Record<string, unknown>;
    if (message.type === 'error') throw apiErrorFromEvent(message, secrets);
    yield* messageEvents(model, prompt, message, request.schemaTool);
    return;
  }

  if (prefill) yield { type: 'text', text: prefill };
  // The final message, assembled from the stream as the SDK's get_final_message() would.
  let message: Record<string, unknown> = {};
  let usage: Record<string, unknown> = {};
  const content: Block[] = [];
  const partialJson = new Map<number, string>();
  let stopped = false;
  for await (const sse of sseEvents(response.body!)) {
    if (sse.event === 'ping' || !sse.data) continue;
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(sse.data) as Record<string, unknown>;
    } catch {
      continue;
    }
    const type = (data.type as string | undefined) ?? sse.event;
    switch (type) {
      case 'message_start': {
        const { usage: startUsage, content: _ignored, ...rest } = (data.message ?? {}) as Record<string, unknown>;
        message = rest;
        usage = { ...((startUsage as Record<string, unknown>) ?? {}) };
        if (typeof rest.model === 'string' && rest.model !== model.claudeModelId) {
          yield { type: 'resolved_model', model: rest.model };
        }
        break;
      }
      case 'content_block_start': {
        const index = data.index as number;
        const block = { ...((data.content_block as Block) ?? {}) };
        if (block.type === 'tool_use' || block.type === 'server_tool_use') partialJson.set(index, '');
        content[index] = block;
        if (block.type === 'redacted_thinking') {
          yield {
            type: 'reasoning',
            text: '',
            redacted: true,
            providerMetadata: { anthropic: { type: 'redacted_thinking', data: block.data } },
          };
        } else if (block.type === 'text' && typeof block.text === 'string' && block.text) {
          yield { type: 'text', text: block.text };
        } else {
          // A server tool's result comes whole in its start event.
          const result = serverToolResult(block);
          if (result) yield result;
        }
        break;
      }
      case 'content_block_delta': {
        const index = data.index as number;
        const delta = (data.delta ?? {}) as Record<string, unknown>;
        const block = content[index] ?? (content[index] = {});
        if (delta.type === 'text_delta') {
          const text = String(delta.text ?? '');
          block.text = String(block.text ?? '') + text;
          if (text) yield { type: 'text', text };
        } else if (delta.type === 'thinking_delta') {
          const text = String(delta.thinking ?? '');
          block.thinking = String(block.thinking ?? '') + text;
          if (text) yield { type: 'reasoning', text };
        } else if (delta.type === 'signature_delta') {
          block.signature = delta.signature;
          yield { type: 'reasoning', text: '', providerMetadata: { anthropic: { signature: delta.signature } } };
        } else if (delta.type === 'citations_delta') {
          // Kept on the text block in the logged response JSON, as the SDK's final message has them.
          ((block.citations ??= []) as unknown[]).push(delta.citation);
        } else if (delta.type === 'input_json_delta') {
          const piece = String(delta.partial_json ?? '');
          partialJson.set(index, (partialJson.get(index) ?? '') + piece);
          if (request.schemaTool && block.name === SCHEMA_TOOL && piece) yield { type: 'text', text: piece };
        }
        break;
      }
      case 'content_block_stop': {
        const index = data.index as number;
        const block = content[index];
        if (block?.type === 'tool_use' || block?.type === 'server_tool_use') {
          const raw = partialJson.get(index) ?? '';
          try {
            block.input = raw ? JSON.parse(raw) : {};
          } catch {
            block.input = {};
          }
          if (block.type === 'server_tool_use') yield serverToolCall(block);
          else if (!(request.schemaTool && block.name === SCHEMA_TOOL)) {
            yield {
              type: 'tool_call',
              name: String(block.name),
              arguments: block.input as Record<string, unknown>,
              toolCallId: String(block.id),
            };
          }
        }
        break;
      }
      case 'message_delta': {
        const delta = (data.delta ?? {}) as Record<string, unknown>;
        Object.assign(message, delta);
        if (data.usage && typeof data.usage === 'object') {
          for (const [key, value] of Object.entries(data.usage as Record<string, unknown>)) {
            if (value !== null && value !== undefined) usage[key] = value;
          }
        }
        break;
      }
      case 'message_stop':
        stopped = true;
        break;
      case 'error':
        throw apiErrorFromEvent(data, secrets);
    }
  }
  if (!stopped) {
    throw new StreamInterruptedError('the Anthropic stream ended before message_stop', '');
  }
  yield usageEvent(usage, cacheOption);
  yield { type: 'response_json', json: { ...message, content: content.filter(Boolean) } };
}

/** Counts a prompt's input tokens with the Messages API's count_tokens endpoint (exact, free). */
export async function countClaudeTokens(
  model: ClaudeMessages,
  prompt: Prompt,
  context: { key: string | undefined; signal?: AbortSignal },
): Promise<TokenCount> {
  if (!context.key) return { ...estimatePromptTokens(prompt), method: 'estimate: no Anthropic key to count with' };
  const request = await buildRequest(model, prompt, false, context.signal);
  const body: Record<string, unknown> = {};
  for (const name of ['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking']) {
    if (request.body[name] !== undefined) body[name] = request.body[name];
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'anthropic-version': ANTHROPIC_VERSION,
    'x-api-key': context.key,
  };
  if (request.betas.length) headers['anthropic-beta'] = request.betas.join(',');
  const response = await providerFetch(
    `${anthropicBaseUrl()}/v1/messages/count_tokens`,
    { method: 'POST', headers, body: JSON.stringify(body) },
    { provider: 'Anthropic', secrets: [context.key], signal: context.signal },
  );
  const json = (await response.json()) as { input_tokens?: unknown };
  if (typeof json.input_tokens !== 'number') throw new ApiError('Anthropic count_tokens gave no input_tokens', 502, 'Anthropic', JSON.stringify(json));
  return { tokens: json.input_tokens, exact: true, method: 'Anthropic count_tokens endpoint' };
}
