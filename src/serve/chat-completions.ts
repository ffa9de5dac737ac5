// POST /v1/chat/completions: OpenAI's Chat Completions, streamed (SSE) or not.
import type { Response as LlmResponse } from '../models/response.js';
import type { JsonSchema } from '../models/schema.js';
import { readChatMessages } from './chat-messages.js';
import { HttpError, toHttpError } from './errors.js';
import { type Reader, startReading } from './reading.js';
import type { Gateway } from './gateway.js';
import { requestOptions } from './request-options.js';
import { SSE_HEADERS, sseBody } from './sse.js';
import { callId, chatTools, toolChoice } from './tools-in.js';

type Json = Record<string, any>;

/** The most completions one request may ask for (`n`): each is a request upstream, and a logged turn. */
export const MAX_CHOICES = 8;

export async function chatCompletions(body: Json, signal: AbortSignal, gateway: Gateway): Promise<Response> {
  const n = choiceCount(body.n);
  const model = gateway.model(body.model);
  const options = requestOptions(body, model);
  const schema = responseFormat(body.response_format, model.optionsSpec, options);
  const stream = body.stream === true;
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal.addEventListener('abort', abort, { once: true });
  const turn = readChatMessages(body.messages);
  const tools = chatTools(body.tools);
  const choice = toolChoice(body.tool_choice);
  // `n` choices are n completions of the same request, run side by side, each logged as its own turn.
  const responses = Array.from({ length: n }, () =>
    gateway.start({ model: body.model, turn, options, tools, toolChoice: choice, schema, stream, signal: controller.signal }),
  );
  const name = String(body.model ?? model.modelId);
  if (!stream) {
    try {
      await settleAll(responses.map((response) => gateway.finish(response)), abort);
    } finally {
      signal.removeEventListener('abort', abort);
    }
    return Response.json(await completionJson(responses, name));
  }
  const includeUsage = body.stream_options?.include_usage === true;
  let readers: Reader[];
  try {
    readers = await settleAll(responses.map((response) => startReading(response, gateway)), abort);
  } catch (error) {
    signal.removeEventListener('abort', abort);
    throw error;
  }
  return new Response(
    sseBody(async (send) => {
      const base = { id: `chatcmpl-${responses[0]!.id}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: name };
      const chunk = (index: number, delta: Json, finish: string | null = null) =>
        send({ ...base, choices: [{ index, delta, finish_reason: finish, logprobs: null }] });
      responses.forEach((_, index) => chunk(index, { role: 'assistant', content: '' }));
      const streamChoice = async (index: number) => {
        const response = responses[index]!;
        await readers[index]!.each((event) => {
          if (event.type === 'text') chunk(index, { content: event.text });
        });
        const calls = await response.toolCalls();
        if (calls.length) chunk(index, { tool_calls: toolCallsJson(calls, response.id, true) });
        chunk(index, {}, calls.length ? 'tool_calls' : 'stop');
      };
      try {
        await settleAll(responses.map((_, index) => streamChoice(index)), abort);
      } catch (error) {
        send(toHttpError(error).body());
        return;
      } finally {
        signal.removeEventListener('abort', abort);
      }
      if (includeUsage) send({ ...base, choices: [], usage: await totalUsage(responses) });
      send('[DONE]');
    }, abort),
    { headers: SSE_HEADERS },
  );
}

/** `n`: how many choices, 1 when absent. */
function choiceCount(raw: unknown): number {
  if (raw == null) return 1;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > MAX_CHOICES) {
    throw new HttpError(400, `n must be a whole number from 1 to ${MAX_CHOICES}, not ${JSON.stringify(raw)}`, 'invalid_request_error', 'n');
  }
  return raw;
}

/**
 * Waits for every one (so each turn is logged before the reply), then throws the first
 * failure; the first failure also cuts the others short (`abort`).
 */
async function settleAll<T>(tasks: Promise<T>[], abort: () => void): Promise<T[]> {
  const results = await Promise.allSettled(tasks.map((task) => task.catch((error) => {
    abort();
    throw error;
  })));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

function toolCallsJson(calls: Awaited<ReturnType<LlmResponse['toolCalls']>>, responseId: string, indexed: boolean): Json[] {
  return calls.map((call, i) => ({
    ...(indexed ? { index: i } : {}),
    id: callId(call.toolCallId, responseId, i),
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
}

async function completionJson(responses: LlmResponse[], model: string): Promise<Json> {
  const choices = await Promise.all(
    responses.map(async (response, index) => {
      const text = await response.text();
      const calls = await response.toolCalls();
      const message: Json = { role: 'assistant', content: calls.length && !text ? null : text, refusal: null };
      if (calls.length) message.tool_calls = toolCallsJson(calls, response.id, false);
      return { index, message, finish_reason: calls.length ? 'tool_calls' : 'stop', logprobs: null };
    }),
  );
  return {
    id: `chatcmpl-${responses[0]!.id}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices,
    usage: await totalUsage(responses),
  };
}

/** The tokens of every choice: each was its own request, its prompt counted each time. */
async function totalUsage(responses: LlmResponse[]): Promise<Json> {
  const usages = await Promise.all(responses.map((response) => response.usage()));
  const sum = (key: 'input' | 'output') => (usages.some((u) => u[key] !== null) ? usages.reduce((total, u) => total + (u[key] ?? 0), 0) : null);
  return usageJson({ input: sum('input'), output: sum('output') });
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
