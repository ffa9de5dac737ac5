import { createHash } from '../util/builtins.js';
import { readFileSync } from 'node:fs';
import { Attachment } from '../models/attachment.js';
import type { Message, Part } from '../models/messages.js';
import { blake2b16HexOfPieces } from '../util/blake2.js';
import { canonicalJsonPieces } from './json.js';

/**
 * Conversion between the library's camelCase `Message`/`Part` objects and the dict form
 * Python llm 0.32 serialises (`Message.to_dict()`), which is what logs.db stores and
 * what message hashes are taken over.
 */

export type Dict = Record<string, unknown>;

function nonEmpty(value: Record<string, unknown> | undefined): value is Record<string, unknown> {
  return !!value && Object.keys(value).length > 0;
}

/** Python's `_attachment_to_dict`: type, url, path, then base64 content, each only if set. */
export function attachmentToDict(attachment: Attachment): Dict {
  const d: Dict = {};
  if (attachment.type) d.type = attachment.type;
  if (attachment.url) d.url = attachment.url;
  if (attachment.path) d.path = attachment.path;
  if (attachment.content && attachment.content.length) d.content = Buffer.from(attachment.content).toString('base64');
  return d;
}

export function partToDict(part: Part): Dict {
  let d: Dict;
  switch (part.type) {
    case 'text':
      d = { type: 'text', text: part.text };
      break;
    case 'reasoning':
      d = { type: 'reasoning', text: part.text };
      if (part.redacted) d.redacted = true;
      {
        const tokenCount = (part as { tokenCount?: number }).tokenCount;
        if (tokenCount !== undefined && tokenCount !== null) d.token_count = tokenCount;
      }
      break;
    case 'tool_call':
      d = { type: 'tool_call', name: part.name, arguments: part.arguments };
      if (part.toolCallId !== undefined && part.toolCallId !== null) d.tool_call_id = part.toolCallId;
      if (part.serverExecuted) d.server_executed = true;
      break;
    case 'tool_result':
      d = { type: 'tool_result', name: part.name, output: part.output };
      if (part.toolCallId !== undefined && part.toolCallId !== null) d.tool_call_id = part.toolCallId;
      if (part.serverExecuted) d.server_executed = true;
      if (part.exception !== undefined && part.exception !== null) d.exception = part.exception;
      if (part.attachments?.length) d.attachments = part.attachments.map(attachmentToDict);
      break;
    case 'attachment':
      d = { type: 'attachment' };
      if (part.attachment) d.attachment = attachmentToDict(part.attachment);
      break;
  }
  if (nonEmpty(part.providerMetadata)) d.provider_metadata = part.providerMetadata;
  return d;
}

export function messageToDict(message: Message): Dict {
  const d: Dict = { role: message.role, parts: message.parts.map(partToDict) };
  if (nonEmpty(message.providerMetadata)) d.provider_metadata = message.providerMetadata;
  return d;
}

/** sha256 of the bytes, of the file, or of Python's `json.dumps({"url": url})`. */
export function attachmentIdSync(attachment: Attachment): string {
  const hash = createHash('sha256');
  if (attachment.content && attachment.content.length) hash.update(attachment.content);
  else if (attachment.path) {
    try {
      hash.update(readFileSync(attachment.path));
    } catch {
      return `missing:${attachment.path}`;
    }
  } else hash.update(`{"url": ${JSON.stringify(attachment.url ?? null).replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))}}`);
  return hash.digest('hex');
}

function canonicalAttachment(attachment: Attachment): Dict {
  return { id: attachmentIdSync(attachment), type: attachment.type ?? null };
}

/** `"b2:" + blake2b-16` of the canonical JSON of `{"parent": ..., "message": ...}`. */
export function messageHash(message: Message, parentHash: string | null): string {
  const d = messageToDict(message);
  const parts = d.parts as Dict[];
  message.parts.forEach((part, i) => {
    if (part.type === 'attachment' && part.attachment) parts[i]!.attachment = canonicalAttachment(part.attachment);
    if (part.type === 'tool_result' && part.attachments?.length) parts[i]!.attachments = part.attachments.map(canonicalAttachment);
  });
  return 'b2:' + blake2b16HexOfPieces((emit) => canonicalJsonPieces({ parent: parentHash, message: d }, emit));
}

/** Rebuilds a part from its stored dict (type, text and payload merged), attachments resolved by the caller. */
export function partFromDict(d: Dict, attachments: Attachment[] = []): Part {
  const meta = nonEmpty(d.provider_metadata as Dict | undefined) ? { providerMetadata: d.provider_metadata as Dict } : {};
  switch (d.type) {
    case 'text':
      return { type: 'text', text: String(d.text ?? ''), ...meta };
    case 'reasoning': {
      const part: Part = { type: 'reasoning', text: String(d.text ?? ''), ...meta };
      if (d.redacted) part.redacted = true;
      if (typeof d.token_count === 'number') (part as { tokenCount?: number }).tokenCount = d.token_count;
      return part;
    }
    case 'tool_call': {
      const part: Part = { type: 'tool_call', name: String(d.name ?? ''), arguments: (d.arguments as Dict) ?? {}, ...meta };
      if (typeof d.tool_call_id === 'string') part.toolCallId = d.tool_call_id;
      if (d.server_executed) part.serverExecuted = true;
      return part;
    }
    case 'tool_result': {
      const part: Part = { type: 'tool_result', name: String(d.name ?? ''), output: String(d.output ?? ''), ...meta };
      if (typeof d.tool_call_id === 'string') part.toolCallId = d.tool_call_id;
      if (d.server_executed) part.serverExecuted = true;
      if (typeof d.exception === 'string') part.exception = d.exception;
      if (attachments.length) part.attachments = attachments;
      return part;
    }
    case 'attachment':
      return { type: 'attachment', attachment: attachments[0]!, ...meta };
    default:
      return { type: 'text', text: String(d.text ?? ''), ...meta };
  }
}

/** An Attachment from an `attachments` row (content, else path, else url). */
export function attachmentFromRow(row: { type: string | null; path: string | null; url: string | null; content: Uint8Array | null }): Attachment {
  const type = row.type ?? undefined;
  if (row.content && row.content.length) return new Attachment({ content: new Uint8Array(row.content), type });
  if (row.path) return new Attachment({ path: row.path, type });
  return new Attachment({ url: row.url ?? '', type });
}
