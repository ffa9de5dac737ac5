import type { ToolCallPart, ToolResultPart } from './messages.js';

/**
 * What a provider's `execute()` yields. Text and reasoning arrive as chunks; usage, the
 * raw provider payload and the resolved model may come at any point (usually the end).
 */
export type ModelEvent =
  // providerMetadata (e.g. Gemini's groundingMetadata) goes on the text part the chunk ends up in.
  | { type: 'text'; text: string; providerMetadata?: Record<string, unknown> }
  | { type: 'reasoning'; text: string; redacted?: boolean; providerMetadata?: Record<string, unknown> }
  // A tool call is stored as the part it arrives as; its providerMetadata (e.g. Gemini's
  // thoughtSignature) is kept on the part and sent back with it.
  | ToolCallPart
  // A tool the provider ran itself (a server-side tool) reports its result as this part.
  | ToolResultPart
  // What follows belongs to another assistant message (Python's `message_index` + 1).
  | { type: 'next_message' }
  | { type: 'usage'; input?: number | null; output?: number | null; details?: Record<string, unknown> | null }
  | { type: 'response_json'; json: Record<string, unknown> }
  | { type: 'resolved_model'; model: string };

/**
 * What `execute()` may yield: one event, or a batch of events that arrived together (for
 * example every delta of one network read). A batch saves an async step per event; each
 * text event in it is still its own chunk for the reader.
 */
export type ModelEventChunk = ModelEvent | readonly ModelEvent[];

export interface Usage {
  input: number | null;
  output: number | null;
  details: Record<string, unknown> | null;
}
