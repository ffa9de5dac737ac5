import type { Attachment } from './attachment.js';

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
