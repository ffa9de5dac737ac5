import type { ServerResponse } from 'node:http';

/** Writes an OpenAI Chat Completions stream: one delta per text, then a usage chunk, then [DONE]. */
export function writeChatStream(
  res: ServerResponse,
  texts: string[],
  usage = { prompt_tokens: 5, completion_tokens: texts.length, total_tokens: 5 + texts.length },
  model = 'gpt-4o-mini-2024-07-18',
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const base = { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1700000000, model };
  res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`);
  for (const text of texts) {
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`);
  }
  res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
  res.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
  res.end('data: [DONE]\n\n');
}

/** Writes a non-streaming Chat Completions reply. */
export function writeChatCompletion(res: ServerResponse, text: string, model = 'gpt-4o-mini-2024-07-18'): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 1700000000,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
    }),
  );
}

/** A tool call a Chat Completions stream asks for: `args` are sent as JSON. */
export interface ToolCallReply {
  name: string;
  args: unknown;
  id: string;
}

/**
 * Writes a Chat Completions stream whose only content is these tool calls, all in one
 * delta, then the `tool_calls` finish, the usage chunk when given, and [DONE].
 */
export function writeToolCalls(
  res: ServerResponse,
  calls: readonly ToolCallReply[],
  options: { model?: string; usage?: Record<string, unknown> } = {},
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const base = { id: 'chatcmpl-t', object: 'chat.completion.chunk', created: 1700000000, model: options.model ?? 'gpt-4o-mini' };
  const tool_calls = calls.map((call, index) => ({ index, id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }));
  res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: null, tool_calls }, finish_reason: null }] })}\n\n`);
  res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] })}\n\n`);
  if (options.usage) res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: options.usage })}\n\n`);
  res.end('data: [DONE]\n\n');
}
