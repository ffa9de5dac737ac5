/**
 * What a provider's `execute()` yields. Text and reasoning arrive as chunks; usage, the
 * raw provider payload and the resolved model may come at any point (usually the end).
 */
export type ModelEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string; redacted?: boolean; providerMetadata?: Record<string, unknown> }
  | {
      type: 'tool_call';
      name: string;
      arguments: Record<string, unknown>;
      toolCallId?: string;
      serverExecuted?: boolean;
      /** Kept on the call's part and sent back with it, e.g. Gemini's thoughtSignature. */
      providerMetadata?: Record<string, unknown>;
    }
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
