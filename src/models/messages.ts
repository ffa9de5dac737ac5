import { Attachment } from './attachment.js';
import { type MessageDict, type PartDict, messageFromDict, messageToDict, partFromDict, partToDict } from './serialization.js';

/**
 * The canonical shape of a conversation, as Python llm 0.32 keeps it: a list of messages,
 * each a role and ordered parts. Providers build their requests from these, and logs.db
 * stores exactly these (content-addressed by their hash).
 */
export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface TextPart {
  type: 'text';
  text: string;
  providerMetadata?: Record<string, unknown>;
}

export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  redacted?: boolean;
  providerMetadata?: Record<string, unknown>;
}

export interface AttachmentPart {
  type: 'attachment';
  attachment: Attachment;
  providerMetadata?: Record<string, unknown>;
}

export interface ToolCallPart {
  type: 'tool_call';
  name: string;
  arguments: Record<string, unknown>;
  toolCallId?: string;
  serverExecuted?: boolean;
  providerMetadata?: Record<string, unknown>;
}

export interface ToolResultPart {
  type: 'tool_result';
  name: string;
  output: string;
  toolCallId?: string;
  serverExecuted?: boolean;
  attachments?: Attachment[];
  exception?: string;
  providerMetadata?: Record<string, unknown>;
}

export type Part = TextPart | ReasoningPart | AttachmentPart | ToolCallPart | ToolResultPart;

export interface Message {
  role: Role;
  parts: Part[];
  providerMetadata?: Record<string, unknown>;
}

export function textOf(message: Message): string {
  return message.parts
    .filter((p): p is TextPart => p.type === 'text')
    .map((p) => p.text)
    .join('');
}

export function userMessage(text: string, attachments: Attachment[] = []): Message {
  const parts: Part[] = [];
  if (text) parts.push({ type: 'text', text });
  for (const attachment of attachments) parts.push({ type: 'attachment', attachment });
  return { role: 'user', parts };
}

export function systemMessage(text: string): Message {
  return { role: 'system', parts: [{ type: 'text', text }] };
}

/**
 * Python's `Message.to_dict()` / `Message.from_dict()` (and `Part.*` below): messages and
 * parts are plain objects here, so these are functions on a namespace of the same name.
 */
export const Message = {
  toDict: (message: Message): MessageDict => messageToDict(message),
  fromDict: (dict: MessageDict): Message => messageFromDict(dict),
};

export const Part = {
  toDict: (part: Part): PartDict => partToDict(part),
  fromDict: (dict: PartDict): Part => partFromDict(dict),
};

/** What the message helpers and `content` take: text, an Attachment, a Part, or a list of those. */
export type PartInput = string | Attachment | Part | readonly PartInput[];

/**
 * What `messages: [...]` accepts: a Message (`{ role, parts }`), or `{ role, content }` where
 * content is text, an Attachment, a Part or a list of those.
 */
export type MessageInput = Message | { role: Role; content: PartInput; providerMetadata?: Record<string, unknown> };

interface HelperOptions {
  providerMetadata?: Record<string, unknown>;
}

/** Python's `normalize_parts`: text becomes a TextPart, an Attachment an AttachmentPart, lists are flattened. */
export function normalizeParts(items: readonly PartInput[]): Part[] {
  const parts: Part[] = [];
  for (const item of items) {
    if (typeof item === 'string') parts.push({ type: 'text', text: item });
    else if (item instanceof Attachment) parts.push({ type: 'attachment', attachment: item });
    else if (Array.isArray(item)) parts.push(...normalizeParts(item));
    else if (isPart(item)) parts.push(item);
    else throw new TypeError(`Cannot convert ${describe(item)} to an llm Part`);
  }
  return parts;
}

function isPart(item: unknown): item is Part {
  const type = (item as { type?: unknown } | null)?.type;
  return typeof item === 'object' && item !== null && ['text', 'reasoning', 'attachment', 'tool_call', 'tool_result'].includes(type as string);
}

function describe(item: unknown): string {
  try {
    return JSON.stringify(item) ?? String(item);
  } catch {
    return String(item);
  }
}

function helper(role: Role): (...items: (PartInput | HelperOptions)[]) => Message {
  return (...items) => {
    let options: HelperOptions = {};
    const last = items[items.length - 1];
    // A trailing plain object that is not a part carries the options (Python's keyword argument).
    if (typeof last === 'object' && last !== null && !Array.isArray(last) && !(last instanceof Attachment) && !isPart(last)) {
      options = items.pop() as HelperOptions;
    }
    const message: Message = { role, parts: normalizeParts(items as PartInput[]) };
    if (options.providerMetadata) message.providerMetadata = options.providerMetadata;
    return message;
  };
}

/** `user('hi', attachment)`: a user message, as Python's `llm.user()`. */
export const user = helper('user');
/** `assistant('Paris.')`: an assistant message, as Python's `llm.assistant()`. */
export const assistant = helper('assistant');
/** `system('Be brief.')`: a system message, as Python's `llm.system()`. */
export const system = helper('system');
/** A `tool` message, typically of ToolResultParts, as Python's `llm.tool_message()`. */
export const toolMessage = helper('tool');

/** A `messages: [...]` entry as a Message. */
export function toMessage(input: MessageInput): Message {
  if ('parts' in input && Array.isArray(input.parts)) {
    return { ...input, parts: normalizeParts(input.parts as PartInput[]) };
  }
  if ('content' in input) {
    const content = input.content;
    const message: Message = { role: input.role, parts: normalizeParts(Array.isArray(content) ? content : [content as PartInput]) };
    if (input.providerMetadata) message.providerMetadata = input.providerMetadata;
    return message;
  }
  throw new TypeError(`A message needs parts or content: ${describe(input)}`);
}
