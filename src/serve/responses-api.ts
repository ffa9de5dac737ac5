// POST /v1/responses: the part of OpenAI's Responses API the SDKs use for text, streaming
// and function tools. `previous_response_id` continues the logged conversation.
import type { Message, Part } from '../models/messages.js';
import type { Response as LlmResponse } from '../models/response.js';
import type { ToolChoice } from '../models/prompt.js';
import type { JsonSchema } from '../models/schema.js';
import { attachmentFromUrl, splitTurn } from './chat-messages.js';
import { HttpError, toHttpError } from './errors.js';
import type { Gateway } from './gateway.js';
import { startReading } from './reading.js';
import { requestOptions } from './request-options.js';
import { SSE_HEADERS, sseBody } from './sse.js';
import { callId, responsesTools, toolChoice } from './tools-in.js';

type Json = Record<string, any>;

export async function responses(body: Json, signal: AbortSignal, gateway: Gateway): Promise<Response> {
  const model = gateway.model(body.model);
  const options = requestOptions(body, model);
  let history: Message[] = [];
  let conversationId: string | undefined;
  if (body.previous_response_id != null) {
    const previous = gateway.turnHistory(String(body.previous_response_id).replace(/^resp_/, ''));
    if (!previous) throw new HttpError(404, `No response found with id ${body.previous_response_id}`, 'invalid_request_error', 'previous_response_id');
    history = previous.messages;
    conversationId = previous.threadId;
  }
  const messages = [...history, ...inputMessages(body.input, history)];
  let system = lastSystem(messages);
  if (typeof body.instructions === 'string' && body.instructions) system = body.instructions;
  const turn = splitTurn(messages, system);
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal.addEventListener('abort', abort, { once: true });
  const stream = body.stream === true;
  const choice = toolChoice(body.tool_choice);
  const reply: Echoed = { model: String(body.model ?? model.modelId), toolChoice: echoedToolChoice(choice) };
  const response = gateway.start({
    model: body.model,
    turn,
    options,
    tools: responsesTools(body.tools),
    toolChoice: choice,
    schema: textFormat(body.text?.format),
    stream,
    signal: controller.signal,
    ...(conversationId ? { conversationId } : {}),
  });
  if (!stream) {
    try {
      await gateway.finish(response);
    } finally {
      signal.removeEventListener('abort', abort);
    }
    return Response.json(await responseJson(response, reply, 'completed'));
  }
  const reader = await startReading(response, gateway);
  return new Response(
    sseBody(async (send) => {
      let sequence = 0;
      const emit = (type: string, data: Json) => send({ type, sequence_number: sequence++, ...data }, type);
      const shell = { ...(await responseJson(response, reply, 'in_progress', true)) };
      emit('response.created', { response: shell });
      emit('response.in_progress', { response: shell });
      const messageId = `msg_${response.id}`;
      let text = '';
      let opened = false;
      const open = () => {
        if (opened) return;
        opened = true;
        emit('response.output_item.added', { output_index: 0, item: { type: 'message', id: messageId, status: 'in_progress', role: 'assistant', content: [] } });
        emit('response.content_part.added', { item_id: messageId, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
      };
      try {
        await reader.each((event) => {
          if (event.type !== 'text') return;
          open();
          text += event.text;
          emit('response.output_text.delta', { item_id: messageId, output_index: 0, content_index: 0, delta: event.text, logprobs: [] });
        });
      } catch (error) {
        emit('error', { ...toHttpError(error).body().error });
        return;
      } finally {
        signal.removeEventListener('abort', abort);
      }
      const final = await responseJson(response, reply, 'completed');
      let outputIndex = 0;
      if (opened) {
        const part = { type: 'output_text', text, annotations: [] };
        emit('response.output_text.done', { item_id: messageId, output_index: 0, content_index: 0, text, logprobs: [] });
        emit('response.content_part.done', { item_id: messageId, output_index: 0, content_index: 0, part });
        emit('response.output_item.done', { output_index: 0, item: { type: 'message', id: messageId, status: 'completed', role: 'assistant', content: [part] } });
        outputIndex = 1;
      }
      for (const item of (final.output as Json[]).filter((o) => o.type === 'function_call')) {
        emit('response.output_item.added', { output_index: outputIndex, item: { ...item, arguments: '', status: 'in_progress' } });
        emit('response.function_call_arguments.delta', { item_id: item.id, output_index: outputIndex, delta: item.arguments });
        emit('response.function_call_arguments.done', { item_id: item.id, output_index: outputIndex, arguments: item.arguments });
        emit('response.output_item.done', { output_index: outputIndex, item });
        outputIndex++;
      }
      emit('response.completed', { response: final });
    }, abort),
    { headers: SSE_HEADERS },
  );
}

/** What a reply echoes of its request: the model named, and the tool_choice. */
interface Echoed {
  model: string;
  toolChoice: string | Json;
}

/** The tool_choice a reply says, as OpenAI's does: the one asked for, "auto" when none was. */
function echoedToolChoice(choice: ToolChoice | undefined): string | Json {
  if (choice === undefined) return 'auto';
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
}

/** The Response object; `bare` leaves out output and usage (for `response.created`). */
async function responseJson(response: LlmResponse, echoed: Echoed, status: string, bare = false): Promise<Json> {
  const json: Json = {
    id: `resp_${response.id}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    model: echoed.model,
    output: [],
    parallel_tool_calls: true,
    tool_choice: echoed.toolChoice,
    tools: [],
    error: null,
    incomplete_details: null,
    usage: null,
  };
  if (bare) return json;
  const text = await response.text();
  if (text) {
    json.output.push({ type: 'message', id: `msg_${response.id}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] });
  }
  (await response.toolCalls()).forEach((call, i) => {
    const id = callId(call.toolCallId, response.id, i);
    json.output.push({ type: 'function_call', id: `fc_${response.id}_${i}`, call_id: id, name: call.name, arguments: JSON.stringify(call.arguments), status: 'completed' });
  });
  const usage = await response.usage();
  const input = usage.input ?? 0;
  const output = usage.output ?? 0;
  json.usage = { input_tokens: input, input_tokens_details: { cached_tokens: 0 }, output_tokens: output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + output };
  return json;
}

/** `input`: a string, or a list of messages and function-call items. */
function inputMessages(input: unknown, history: readonly Message[]): Message[] {
  if (typeof input === 'string') return [{ role: 'user', parts: [{ type: 'text', text: input }] }];
  if (!Array.isArray(input)) throw new HttpError(400, "'input' must be a string or an array", 'invalid_request_error', 'input');
  const messages: Message[] = [];
  const callNames = new Map<string, string>();
  for (const m of history) for (const p of m.parts) if (p.type === 'tool_call' && p.toolCallId) callNames.set(p.toolCallId, p.name);
  const push = (role: Message['role'], part: Part) => {
    const last = messages[messages.length - 1];
    if (last?.role === role && role !== 'user' && role !== 'system') last.parts.push(part);
    else messages.push({ role, parts: [part] });
  };
  input.forEach((item: Json, index) => {
    const type = item?.type ?? 'message';
    if (type === 'message') {
      const role = item.role === 'developer' ? 'system' : item.role;
      if (!['user', 'system', 'assistant'].includes(role)) throw new HttpError(400, `input[${index}] has an unknown role: ${JSON.stringify(item.role)}`, 'invalid_request_error', `input[${index}]`);
      const parts = contentParts(item.content, index);
      if (role === 'assistant' && messages[messages.length - 1]?.role === 'assistant') messages[messages.length - 1]!.parts.push(...parts);
      else messages.push({ role, parts });
    } else if (type === 'function_call') {
      callNames.set(String(item.call_id), String(item.name));
      let args: Record<string, unknown> = {};
      try {
        args = item.arguments ? JSON.parse(item.arguments) : {};
      } catch {
        throw new HttpError(400, `input[${index}] has arguments that are not JSON`, 'invalid_request_error', `input[${index}]`);
      }
      push('assistant', { type: 'tool_call', name: String(item.name), arguments: args, toolCallId: String(item.call_id) });
    } else if (type === 'function_call_output') {
      const id = String(item.call_id);
      const output = typeof item.output === 'string' ? item.output : JSON.stringify(item.output);
      push('tool', { type: 'tool_result', name: callNames.get(id) ?? '', output, toolCallId: id });
    } else if (type === 'reasoning' || type === 'item_reference') {
      // Nothing to send again: reasoning items are the provider's, references not kept.
    } else {
      throw new HttpError(400, `input[${index}] has an unsupported type: ${JSON.stringify(type)}`, 'invalid_request_error', `input[${index}]`);
    }
  });
  return messages;
}

function contentParts(content: unknown, index: number): Part[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw new HttpError(400, `input[${index}] has content that is neither a string nor an array`, 'invalid_request_error', `input[${index}]`);
  return content.map((part: Json): Part => {
    if (part?.type === 'input_text' || part?.type === 'output_text' || part?.type === 'text') return { type: 'text', text: String(part.text ?? '') };
    if (part?.type === 'input_image') return { type: 'attachment', attachment: attachmentFromUrl(String(part.image_url ?? ''), index) };
    if (part?.type === 'input_file') return { type: 'attachment', attachment: attachmentFromUrl(String(part.file_data ?? ''), index) };
    throw new HttpError(400, `input[${index}] has a content part of unsupported type ${JSON.stringify(part?.type)}`, 'invalid_request_error', `input[${index}]`);
  });
}

function lastSystem(messages: readonly Message[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'system') return m.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
  }
  return undefined;
}

function textFormat(format: Json | undefined): JsonSchema | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_schema') {
    if (!format.schema || typeof format.schema !== 'object') throw new HttpError(400, 'text.format.schema must be a JSON schema object', 'invalid_request_error', 'text.format');
    return format.schema as JsonSchema;
  }
  if (format.type === 'json_object') return undefined;
  throw new HttpError(400, `Unknown text.format type: ${JSON.stringify(format.type)}`, 'invalid_request_error', 'text.format');
}
