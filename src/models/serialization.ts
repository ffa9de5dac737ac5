import { UsageError } from '../errors.js';
import { Attachment } from './attachment.js';
import type { Message, Part } from './messages.js';

/**
 * The JSON-safe wire form of parts and messages, exactly as Python llm 0.32's `to_dict()`
 * writes it (llm/serialization.py): snake_case keys, optional keys left out when unset,
 * attachment bytes as base64. A dict written by either tool loads in the other.
 */
export interface AttachmentDict {
  type?: string;
  url?: string;
  path?: string;
  /** base64 of the bytes, for an attachment made from content. */
  content?: string;
}

export type PartDict =
  | { type: 'text'; text: string; provider_metadata?: Record<string, unknown> }
  | { type: 'reasoning'; text: string; redacted?: boolean; provider_metadata?: Record<string, unknown> }
  | {
      type: 'tool_call';
      name: string;
      arguments: Record<string, unknown>;
      tool_call_id?: string;
      server_executed?: boolean;
      provider_metadata?: Record<string, unknown>;
    }
  | {
      type: 'tool_result';
      name: string;
      output: string;
      tool_call_id?: string;
      server_executed?: boolean;
      exception?: string;
      attachments?: AttachmentDict[];
      provider_metadata?: Record<string, unknown>;
    }
  | { type: 'attachment'; attachment?: AttachmentDict; provider_metadata?: Record<string, unknown> };

export interface MessageDict {
  role: string;
  parts: PartDict[];
  provider_metadata?: Record<string, unknown>;
}

/** `Response.toDict()`: what `Response.fromDict()` needs to rebuild a response and `reply()` to it. */
export interface ResponseDict {
  model: string;
  prompt: { messages: MessageDict[]; options?: Record<string, unknown>; system?: string };
  messages: MessageDict[];
  id?: string;
  usage?: { input?: number; output?: number; details?: Record<string, unknown> };
  datetime_utc?: string;
}

type Metadata = Record<string, unknown> | undefined;

/** Python writes provider_metadata only when it is a non-empty dict. */
function withMetadata<T extends object>(dict: T, metadata: Metadata): T {
  if (metadata && Object.keys(metadata).length) (dict as Record<string, unknown>).provider_metadata = metadata;
  return dict;
}

export function attachmentToDict(attachment: Attachment): AttachmentDict {
  const dict: AttachmentDict = {};
  if (attachment.type) dict.type = attachment.type;
  if (attachment.url) dict.url = attachment.url;
  if (attachment.path) dict.path = attachment.path;
  if (attachment.content?.length) dict.content = Buffer.from(attachment.content).toString('base64');
  return dict;
}

export function attachmentFromDict(dict: AttachmentDict): Attachment {
  const type = dict.type ?? undefined;
  // The bytes win when there are both: they are what was sent.
  if (typeof dict.content === 'string') return new Attachment({ content: new Uint8Array(Buffer.from(dict.content, 'base64')), type });
  if (dict.path) return new Attachment({ path: dict.path, type });
  if (dict.url) return new Attachment({ url: dict.url, type });
  throw new UsageError('An attachment needs a path, a url or content');
}

export function partToDict(part: Part): PartDict {
  switch (part.type) {
    case 'text':
      return withMetadata({ type: 'text', text: part.text }, part.providerMetadata);
    case 'reasoning': {
      const dict: PartDict = { type: 'reasoning', text: part.text };
      if (part.redacted) dict.redacted = true;
      return withMetadata(dict, part.providerMetadata);
    }
    case 'tool_call': {
      const dict: PartDict = { type: 'tool_call', name: part.name, arguments: part.arguments };
      if (part.toolCallId !== undefined && part.toolCallId !== null) dict.tool_call_id = part.toolCallId;
      if (part.serverExecuted) dict.server_executed = true;
      return withMetadata(dict, part.providerMetadata);
    }
    case 'tool_result': {
      const dict: PartDict = { type: 'tool_result', name: part.name, output: part.output };
      if (part.toolCallId !== undefined && part.toolCallId !== null) dict.tool_call_id = part.toolCallId;
      if (part.serverExecuted) dict.server_executed = true;
      if (part.exception !== undefined && part.exception !== null) dict.exception = part.exception;
      if (part.attachments?.length) dict.attachments = part.attachments.map(attachmentToDict);
      return withMetadata(dict, part.providerMetadata);
    }
    case 'attachment':
      return withMetadata({ type: 'attachment', attachment: attachmentToDict(part.attachment) }, part.providerMetadata);
  }
}

export function partFromDict(dict: PartDict): Part {
  const metadata = (dict.provider_metadata ?? undefined) as Metadata;
  const meta = metadata ? { providerMetadata: metadata } : {};
  switch (dict.type) {
    case 'text':
      return { type: 'text', text: dict.text, ...meta };
    case 'reasoning':
      return { type: 'reasoning', text: dict.text, ...(dict.redacted ? { redacted: true } : {}), ...meta };
    case 'tool_call':
      return {
        type: 'tool_call',
        name: dict.name,
        arguments: dict.arguments ?? {},
        ...(dict.tool_call_id != null ? { toolCallId: dict.tool_call_id } : {}),
        ...(dict.server_executed ? { serverExecuted: true } : {}),
        ...meta,
      };
    case 'tool_result':
      return {
        type: 'tool_result',
        name: dict.name,
        output: dict.output,
        ...(dict.tool_call_id != null ? { toolCallId: dict.tool_call_id } : {}),
        ...(dict.server_executed ? { serverExecuted: true } : {}),
        ...(dict.exception != null ? { exception: dict.exception } : {}),
        ...(dict.attachments?.length ? { attachments: dict.attachments.map(attachmentFromDict) } : {}),
        ...meta,
      };
    case 'attachment':
      if (!dict.attachment) throw new UsageError('An attachment part needs an attachment');
      return { type: 'attachment', attachment: attachmentFromDict(dict.attachment), ...meta };
    default:
      throw new UsageError(`Unknown part type: ${pythonRepr((dict as { type?: unknown }).type)}`);
  }
}

export function messageToDict(message: Message): MessageDict {
  return withMetadata({ role: message.role, parts: message.parts.map(partToDict) }, message.providerMetadata);
}

export function messageFromDict(dict: MessageDict): Message {
  const message: Message = { role: dict.role as Message['role'], parts: (dict.parts ?? []).map(partFromDict) };
  if (dict.provider_metadata) message.providerMetadata = dict.provider_metadata;
  return message;
}

function pythonRepr(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
