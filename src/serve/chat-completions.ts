// POST /v1/chat/completions: OpenAI's Chat Completions, streamed (SSE) or not.
import type { Response as LlmResponse } from '../models/response.js';
import type { JsonSchema } from '../models/schema.js';
import { readChatMessages } from './chat-messages.js';
import { HttpError, toHttpError } from './errors.js';
import { startReading } from './reading.js';
import type { Gateway } from './gateway.js';
import { requestOptions } from './request-options.js';
import { SSE_HEADERS, sseBody } from './sse.js';
import { callId, chatTools } from './tools-in.js';

type Json = Record<string, any>;

export async function chatCompletions(body: Json, signal: AbortSignal, gateway: Gateway): Promise<Response> {
  if (body.n != null && body.n !== 1) throw new HttpError(400, 'Only n=1 is supported', 'invalid_request_error', 'n');
  const model = gateway.model(body.model);
  const options = requestOptions(body, model);
  const schema = responseFormat(body.response_format, model.optionsSpec, options);
  const stream = body.stream === true;
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal.addEventListener('abort', abort, { once: true });
  const response = gateway.start({
    model: body.model,
    turn: readChatMessages(body.messages),
    options,
    tools: chatTools(body.tools),
    schema,
    stream,
    signal: controller.signal,
  });
  const name = String(body.model ?? model.modelId);
  if (!stream) {
    await gateway.finish(response);
    return Response.json(await completionJson(response, name));
  }
  const includeUsage = body.stream_options?.include_usage === true;
  const reader = await startReading(response, gateway);
  return new Response(
    sseBody(async (send) => {
      const base = { id: `chatcmpl-${response.id}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: name };
      const chunk = (delta: Json, finish: string | null = null) => send({ ...base, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] });
      chunk({ role: 'assistant', content: '' });
      try {
        await reader.each((event) => {
          if (event.type === 'text') chunk({ content: event.text });
        });
      } catch (error) {
        send(toHttpError(error).body());
        return;
      } finally {
        signal.removeEventListener('abort', abort);
      }
      const calls = await response.toolCalls();
      if (calls.length) {
        chunk({
          tool_calls: calls.map((call, i) => ({
            index: i,
            id: callId(call.toolCallId, response.id, i),
            type: 'function',
            function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          })),
        });
      }
      chunk({}, calls.length ? 'tool_calls' : 'stop');
      if (includeUsage) send({ ...base, choices: [], usage: usageJson(await response.usage()) });
      send('[DONE]');
    }, abort),
    { headers: SSE_HEADERS },
  );
}

async function completionJson(response: LlmResponse, model: string): Promise<Json> {
  const text = await response.text();
  const calls = await response.toolCalls();
  const message: Json = { role: 'assistant', content: calls.length && !text ? null : text, refusal: null };
  if (calls.length) {
    message.tool_calls = calls.map((call, i) => ({
      id: callId(call.toolCallId, response.id, i),
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.arguments) },
    }));
  }
  return {
    id: `chatcmpl-${response.id}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, finish_reason: calls.length ? 'tool_calls' : 'stop', logprobs: null }],
    usage: usageJson(await response.usage()),
  };
}

export function usageJson(usage: { input: number | null; output: number | null }): Json {
  const input = usage.input ?? 0;
  const output = usage.output ?? 0;
  return { prompt_tokens: input, completion_tokens: output, total_tokens: input + output };
}

/** `response_format`: a JSON schema becomes llm's schema; `json_object` the model's json_object option. */
function responseFormat(format: Json | undefined, spec: Record<string, unknown>, options: Record<string, unknown>): JsonSchema | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_schema') {
    const schema = format.json_schema?.schema;
    if (!schema || typeof schema !== 'object') {
      throw new HttpError(400, 'response_format.json_schema.schema must be a JSON schema object', 'invalid_request_error', 'response_format');
    }
    return schema as JsonSchema;
  }
  if (format.type === 'json_object') {
    if ('json_object' in spec) options.json_object = true;
    return undefined;
  }
  throw new HttpError(400, `Unknown response_format type: ${JSON.stringify(format.type)}`, 'invalid_request_error', 'response_format');
}
