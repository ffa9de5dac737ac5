// OpenAI Chat Completions messages, read into llm's messages: the history, and the turn
// being asked for now (its text and attachments, or the tool results it sends back).
import { Attachment } from '../models/attachment.js';
import type { Message, Part } from '../models/messages.js';
import type { ToolResult } from '../models/tools.js';
import { HttpError } from './errors.js';

export interface TurnRequest {
  /** Every message before the turn asked for now. */
  history: Message[];
  /** The latest system (or developer) prompt, when there is one. */
  system: string | undefined;
  text: string;
  attachments: Attachment[];
  toolResults: ToolResult[];
}

type Json = Record<string, any>;

/** Splits a `messages` array into history and the turn asked for now. */
export function readChatMessages(raw: unknown): TurnRequest {
  if (!Array.isArray(raw) || raw.length === 0) throw new HttpError(400, "'messages' must be a non-empty array", 'invalid_request_error', 'messages');
  const messages: Message[] = [];
  const callNames = new Map<string, string>();
  let system: string | undefined;
  raw.forEach((entry: Json, index) => {
    if (typeof entry !== 'object' || entry === null) throw badMessage(index, 'must be an object');
    const role = entry.role;
    if (role === 'system' || role === 'developer') {
      system = textContent(entry.content, index);
      messages.push({ role: 'system', parts: [{ type: 'text', text: system }] });
    } else if (role === 'user') {
      messages.push({ role: 'user', parts: userParts(entry.content, index) });
    } else if (role === 'assistant') {
      const parts: Part[] = [];
      const text = entry.content == null ? '' : textContent(entry.content, index);
      if (text) parts.push({ type: 'text', text });
      for (const call of (entry.tool_calls ?? []) as Json[]) {
        const name = String(call?.function?.name ?? '');
        if (!name) throw badMessage(index, 'has a tool call with no function name');
        if (call.id) callNames.set(String(call.id), name);
        parts.push({ type: 'tool_call', name, arguments: parseArguments(call.function.arguments, index), ...(call.id ? { toolCallId: String(call.id) } : {}) });
      }
      messages.push({ role: 'assistant', parts });
    } else if (role === 'tool') {
      const id = entry.tool_call_id == null ? undefined : String(entry.tool_call_id);
      const part: Part = { type: 'tool_result', name: (id && callNames.get(id)) || String(entry.name ?? ''), output: textContent(entry.content, index), ...(id ? { toolCallId: id } : {}) };
      // Results of one round of calls travel as one tool message, as llm sends them.
      const last = messages[messages.length - 1];
      if (last?.role === 'tool') last.parts.push(part);
      else messages.push({ role: 'tool', parts: [part] });
    } else {
      throw badMessage(index, `has an unknown role: ${JSON.stringify(role)}`);
    }
  });
  return splitTurn(messages, system);
}

/** The last user message (or the last tool results) is the turn asked for; the rest is history. */
export function splitTurn(messages: Message[], system: string | undefined): TurnRequest {
  const last = messages[messages.length - 1];
  const request: TurnRequest = { history: messages, system, text: '', attachments: [], toolResults: [] };
  if (last?.role === 'user') {
    request.history = messages.slice(0, -1);
    for (const part of last.parts) {
      if (part.type === 'text') request.text += (request.text ? '\n' : '') + part.text;
      else if (part.type === 'attachment') request.attachments.push(part.attachment);
    }
  } else if (last?.role === 'tool') {
    request.history = messages.slice(0, -1);
    request.toolResults = last.parts.flatMap((p) => (p.type === 'tool_result' ? [{ name: p.name, output: p.output, ...(p.toolCallId ? { toolCallId: p.toolCallId } : {}) }] : []));
  }
  return request;
}

function badMessage(index: number, what: string): HttpError {
  return new HttpError(400, `messages[${index}] ${what}`, 'invalid_request_error', `messages[${index}]`);
}

function textContent(content: unknown, index: number): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: Json) => {
        if (part?.type === 'text' || part?.type === 'input_text' || part?.type === 'output_text') return String(part.text ?? '');
        if (part?.type === 'refusal') return '';
        throw badMessage(index, `has a content part of type ${JSON.stringify(part?.type)} where only text is allowed`);
      })
      .join('');
  }
  if (content == null) return '';
  throw badMessage(index, 'has content that is neither a string nor an array of parts');
}

function userParts(content: unknown, index: number): Part[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw badMessage(index, 'has content that is neither a string nor an array of parts');
  return content.map((part: Json): Part => {
    switch (part?.type) {
      case 'text':
      case 'input_text':
        return { type: 'text', text: String(part.text ?? '') };
      case 'image_url':
        return { type: 'attachment', attachment: attachmentFromUrl(String(part.image_url?.url ?? part.image_url ?? ''), index) };
      case 'input_image':
        return { type: 'attachment', attachment: attachmentFromUrl(String(part.image_url ?? ''), index) };
      case 'input_audio': {
        const format = String(part.input_audio?.format ?? 'wav');
        const type = format === 'mp3' ? 'audio/mpeg' : `audio/${format}`;
        return { type: 'attachment', attachment: new Attachment({ content: Buffer.from(String(part.input_audio?.data ?? ''), 'base64'), type }) };
      }
      case 'file':
      case 'input_file':
        return { type: 'attachment', attachment: attachmentFromUrl(String(part.file?.file_data ?? part.file_data ?? ''), index) };
      default:
        throw badMessage(index, `has a content part of unknown type ${JSON.stringify(part?.type)}`);
    }
  });
}

/** A `data:` URL becomes the bytes it holds; an http(s) URL is fetched when the model needs it. */
export function attachmentFromUrl(url: string, index: number): Attachment {
  const data = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(url);
  if (data) {
    const bytes = data[2] ? Buffer.from(data[3]!, 'base64') : Buffer.from(decodeURIComponent(data[3]!), 'utf8');
    return new Attachment({ content: bytes, ...(data[1] ? { type: data[1] } : {}) });
  }
  if (/^https?:\/\//.test(url)) return new Attachment({ url });
  throw badMessage(index, 'has an attachment that is neither a data: URL nor an http(s) URL');
}

function parseArguments(value: unknown, index: number): Record<string, unknown> {
  if (value && typeof value === 'object') return value as Record<string, unknown>;
  if (value == null || value === '') return {};
  try {
    const parsed = JSON.parse(String(value));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    // reported below
  }
  throw badMessage(index, 'has tool call arguments that are not a JSON object');
}
