import type { ModelEvent } from './events.js';

/**
 * Python llm's `StreamEvent`: one typed piece of a response as it streams. Events with the
 * same `partIndex` make up one part of `response.messages()`.
 */
export interface StreamEvent {
  type: 'text' | 'reasoning' | 'tool_call_name' | 'tool_call_args' | 'tool_result';
  /** The text, reasoning, tool name, tool arguments (JSON) or tool output. */
  chunk: string;
  partIndex: number;
  /** Always 0: every response here is one assistant message. */
  messageIndex: number;
  toolCallId?: string;
  /** On a `tool_result`: the tool's name. */
  toolName?: string;
  serverExecuted?: boolean;
  redacted?: boolean;
  providerMetadata?: Record<string, unknown>;
}

/**
 * Turns a response's events, in order, into StreamEvents with part indexes. The grouping is
 * the one `response.messages()` assembles parts by: a run of text is one part; reasoning
 * continues the reasoning part before it unless its redaction differs or it carries
 * provider metadata; each tool call and each tool result is a part of its own.
 */
export class StreamEventMaker {
  private lastIndex = -1;
  private messageIndex = 0;
  private last: { family: string; redacted?: boolean } | undefined;

  convert(event: ModelEvent): StreamEvent[] {
    switch (event.type) {
      case 'text':
        return [{ type: 'text', chunk: event.text, partIndex: this.indexFor({ family: 'text' }, this.last?.family === 'text'), messageIndex: this.messageIndex }];
      case 'reasoning': {
        const redacted = !!event.redacted;
        const continues = this.last?.family === 'reasoning' && this.last.redacted === redacted && !event.providerMetadata;
        const streamEvent: StreamEvent = { type: 'reasoning', chunk: event.text, partIndex: this.indexFor({ family: 'reasoning', redacted }, continues), messageIndex: this.messageIndex };
        if (redacted) streamEvent.redacted = true;
        if (event.providerMetadata) streamEvent.providerMetadata = event.providerMetadata;
        return [streamEvent];
      }
      case 'tool_call': {
        const partIndex = this.indexFor({ family: 'tool_call' }, false);
        const common: Partial<StreamEvent> = {};
        if (event.toolCallId !== undefined) common.toolCallId = event.toolCallId;
        if (event.serverExecuted) common.serverExecuted = true;
        if (event.providerMetadata) common.providerMetadata = event.providerMetadata;
        return [
          { type: 'tool_call_name', chunk: event.name, partIndex, messageIndex: this.messageIndex, ...common },
          { type: 'tool_call_args', chunk: JSON.stringify(event.arguments ?? {}), partIndex, messageIndex: this.messageIndex, ...common },
        ];
      }
      case 'tool_result': {
        const streamEvent: StreamEvent = { type: 'tool_result', chunk: event.output, partIndex: this.indexFor({ family: 'tool_result' }, false), messageIndex: this.messageIndex, toolName: event.name };
        if (event.toolCallId !== undefined) streamEvent.toolCallId = event.toolCallId;
        if (event.serverExecuted) streamEvent.serverExecuted = true;
        if (event.providerMetadata) streamEvent.providerMetadata = event.providerMetadata;
        return [streamEvent];
      }
      case 'next_message':
        this.messageIndex++;
        this.last = undefined;
        return [];
      default:
        // Usage and the like are not content; anything else unknown ends a run of text.
        if (this.last?.family === 'text' && !['usage', 'response_json', 'resolved_model'].includes(event.type)) this.last = undefined;
        return [];
    }
  }

  private indexFor(current: { family: string; redacted?: boolean }, continues: boolean): number {
    if (!continues) this.lastIndex++;
    this.last = current;
    return this.lastIndex;
  }
}
