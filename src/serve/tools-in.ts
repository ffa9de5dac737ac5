// Tools a client declares (OpenAI's function tools): the model may call them, the client
// runs them and sends the results back. The server runs nothing.
import type { ToolChoice } from '../models/prompt.js';
import { Tool } from '../models/tools.js';
import type { JsonSchema } from '../models/schema.js';
import { HttpError } from './errors.js';

type Json = Record<string, any>;

/** Chat Completions `tools`: `[{type: "function", function: {name, description, parameters}}]`. */
export function chatTools(raw: unknown): Tool[] {
  return toolList(raw).map((entry, i) => toolFrom(entry?.function ?? {}, `tools[${i}]`));
}

/** Responses API `tools`: `[{type: "function", name, description, parameters}]`. */
export function responsesTools(raw: unknown): Tool[] {
  return toolList(raw).map((entry, i) => toolFrom(entry, `tools[${i}]`));
}

/**
 * `tool_choice`: "auto", "none", "required", or one function: Chat Completions'
 * `{type: "function", function: {name}}`, the Responses API's `{type: "function", name}`.
 */
export function toolChoice(raw: unknown): ToolChoice | undefined {
  if (raw == null) return undefined;
  if (raw === 'auto' || raw === 'none' || raw === 'required') return raw;
  const entry = raw as Json;
  const name = entry?.function?.name ?? entry?.name;
  if (entry?.type === 'function' && typeof name === 'string' && name) return { name };
  throw new HttpError(
    400,
    `tool_choice must be "auto", "none", "required" or {"type": "function", "function": {"name": ...}}, not ${JSON.stringify(raw)}`,
    'invalid_request_error',
    'tool_choice',
  );
}

function toolList(raw: unknown): Json[] {
  if (raw == null) return [];
  if (!Array.isArray(raw)) throw new HttpError(400, "'tools' must be an array", 'invalid_request_error', 'tools');
  raw.forEach((entry: Json, i) => {
    if (entry?.type !== 'function') {
      throw new HttpError(400, `tools[${i}]: only function tools are supported, not ${JSON.stringify(entry?.type)}`, 'invalid_request_error', `tools[${i}]`);
    }
  });
  return raw;
}

function toolFrom(fn: Json, param: string): Tool {
  if (typeof fn.name !== 'string' || !fn.name) throw new HttpError(400, `${param}: a function tool needs a name`, 'invalid_request_error', param);
  const schema = (fn.parameters as JsonSchema | undefined) ?? { type: 'object', properties: {} };
  return new Tool({ name: fn.name, description: typeof fn.description === 'string' ? fn.description : null, inputSchema: schema });
}

/** A tool call's id as the client sees it: the provider's, or one made up (stable per response). */
export function callId(toolCallId: string | undefined, responseId: string, index: number): string {
  return toolCallId ?? `call_${responseId.toLowerCase()}_${index}`;
}
