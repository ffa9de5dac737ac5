import {
  ApiError,
  ConnectionError,
  type ExecuteContext,
  type HttpResponse,
  type Message,
  type ModelEvent,
  type Prompt,
  ndjsonLines,
  providerFetch,
  StreamInterruptedError,
} from 'llm-ts';
import { ollamaHost } from './cache.js';
import { type OllamaChat, stopList } from './models.js';

/** Loaded only when a prompt or an embedding runs. */

interface WireMessage {
  role: string;
  content: string;
  images?: string[];
  tool_calls?: { function: { name: string; arguments: Record<string, unknown> } }[];
  tool_name?: string;
}

/** Canonical messages as Ollama's chat messages: text joined, images as base64, tool results apart. */
export async function buildMessages(messages: readonly Message[], signal?: AbortSignal): Promise<WireMessage[]> {
  const out: WireMessage[] = [];
  for (const message of messages) {
    let text = '';
    const images: string[] = [];
    const toolCalls: NonNullable<WireMessage['tool_calls']> = [];
    for (const part of message.parts) {
      if (part.type === 'text') text += part.text;
      else if (part.type === 'attachment') images.push(await part.attachment.base64Content(signal));
      else if (part.type === 'tool_call') toolCalls.push({ function: { name: part.name, arguments: part.arguments ?? {} } });
      else if (part.type === 'tool_result') out.push({ role: 'tool', content: part.output, tool_name: part.name });
      // Reasoning is not sent back: Ollama does not take it as input.
    }
    if (!text && !images.length && !toolCalls.length) continue;
    const wire: WireMessage = { role: message.role, content: text };
    if (images.length) wire.images = images;
    if (toolCalls.length) wire.tool_calls = toolCalls;
    out.push(wire);
  }
  return out;
}

export async function buildBody(model: OllamaChat, prompt: Prompt, stream: boolean, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const { json_object, think, stop, ...rest } = prompt.options as Record<string, unknown>;
  const options: Record<string, unknown> = { ...rest };
  if (stop !== undefined) options.stop = stopList(stop);
  const body: Record<string, unknown> = {
    model: model.modelId,
    messages: await buildMessages(prompt.messages, signal),
    stream,
  };
  if (Object.keys(options).length) body.options = options;
  if (think !== undefined) body.think = think;
  if (json_object) body.format = 'json';
  else if (prompt.schema) body.format = prompt.schema;
  if (prompt.tools.length) {
    body.tools = prompt.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description ?? '', parameters: tool.inputSchema },
    }));
  }
  return body;
}

/** Every request to the server: a server that is not running is one line naming OLLAMA_HOST. */
async function ollamaFetch(path: string, body: unknown, signal: AbortSignal | undefined): Promise<HttpResponse> {
  const host = ollamaHost();
  try {
    return await providerFetch(
      `${host}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      { provider: 'Ollama', signal },
    );
  } catch (error) {
    if (ConnectionError.is(error)) {
      const reason = error.message.replace(/^.*: /, '');
      throw new ConnectionError(
        `Could not connect to Ollama at ${host} (${reason}): is the server running? Start it with 'ollama serve', or set OLLAMA_HOST to where it listens`,
        { cause: error },
      );
    }
    throw error;
  }
}

function streamError(chunk: Record<string, unknown>): ApiError {
  const message = String(chunk.error);
  return new ApiError(`Ollama API error: ${message}`, 500, 'Ollama', message, chunk);
}

export async function* executeChat(model: OllamaChat, prompt: Prompt, context: ExecuteContext): AsyncGenerator<ModelEvent> {
  const body = await buildBody(model, prompt, context.stream, context.signal);
  const response = await ollamaFetch('/api/chat', body, context.signal);
  let content = '';
  let thinking = '';
  const toolCalls: unknown[] = [];
  let final: Record<string, unknown> | undefined;

  function* handle(chunk: Record<string, unknown>): Generator<ModelEvent> {
    if (chunk.error !== undefined) throw streamError(chunk);
    const message = (chunk.message ?? {}) as Record<string, unknown>;
    if (typeof message.thinking === 'string' && message.thinking) {
      thinking += message.thinking;
      yield { type: 'reasoning', text: message.thinking };
    }
    if (typeof message.content === 'string' && message.content) {
      content += message.content;
      yield { type: 'text', text: message.content };
    }
    if (Array.isArray(message.tool_calls)) {
      for (const call of message.tool_calls as { id?: unknown; function?: { name?: string; arguments?: Record<string, unknown> } }[]) {
        toolCalls.push(call);
        yield {
          type: 'tool_call',
          name: String(call.function?.name ?? ''),
          arguments: call.function?.arguments ?? {},
          // Recent Ollama servers give each call an id; older ones give none.
          ...(typeof call.id === 'string' && call.id ? { toolCallId: call.id } : {}),
        };
      }
    }
    if (chunk.done === true) final = chunk;
  }

  if (context.stream) {
    for await (const line of ndjsonLines(response.body!)) {
      if (line && typeof line === 'object') yield* handle(line as Record<string, unknown>);
    }
  } else {
    yield* handle((await response.json()) as Record<string, unknown>);
  }
  if (!final) throw new StreamInterruptedError('the Ollama stream ended before its final "done" message', '');
  yield {
    type: 'usage',
    input: typeof final.prompt_eval_count === 'number' ? final.prompt_eval_count : null,
    output: typeof final.eval_count === 'number' ? final.eval_count : null,
  };
  // The reply as the non-streaming API would give it: the final chunk with the whole message.
  const message: Record<string, unknown> = { role: 'assistant', content };
  if (thinking) message.thinking = thinking;
  if (toolCalls.length) message.tool_calls = toolCalls;
  yield { type: 'response_json', json: { ...final, message } };
}

export async function embed(modelId: string, items: string[], signal: AbortSignal | undefined): Promise<number[][]> {
  const truncate = process.env.OLLAMA_EMBED_TRUNCATE;
  const body: Record<string, unknown> = { model: modelId, input: items };
  if (truncate !== undefined) body.truncate = !['0', 'false', 'no', 'off'].includes(truncate.trim().toLowerCase());
  const response = await ollamaFetch('/api/embed', body, signal);
  const data = (await response.json()) as { embeddings?: number[][]; error?: string };
  if (data.error !== undefined) throw streamError(data as Record<string, unknown>);
  if (!Array.isArray(data.embeddings) || data.embeddings.length !== items.length) {
    throw new ApiError(
      `Ollama API error: expected ${items.length} embeddings, got ${data.embeddings?.length ?? 0}`,
      500,
      'Ollama',
      'wrong number of embeddings',
      data,
    );
  }
  return data.embeddings;
}
