// One turn asked for over HTTP, run as `llm` runs a prompt: the model and its stored
// default options, options validated, keys from keys.json or the environment, and the
// turn logged to logs.db in the conversation it continues.
import { getModelOptions } from '../config/model-options.js';
import { logsEnabled } from '../config/logs-off.js';
import { LogsDatabase, messageHash } from '../logs/index.js';
import type { Message } from '../models/messages.js';
import type { Model } from '../models/model.js';
import type { Response } from '../models/response.js';
import type { ToolChoice } from '../models/prompt.js';
import type { JsonSchema } from '../models/schema.js';
import type { Tool } from '../models/tools.js';
import { getModel } from '../plugins/registry.js';
import type { TurnRequest } from './chat-messages.js';

export interface TurnInput {
  /** A model id or alias; the default model when absent. */
  model: string | undefined;
  turn: TurnRequest;
  /** Options from the request, laid over the model's stored defaults. */
  options: Record<string, unknown>;
  tools?: Tool[];
  toolChoice?: ToolChoice;
  schema?: JsonSchema;
  stream: boolean;
  signal: AbortSignal;
  /** The conversation this turn continues, when the client named it. */
  conversationId?: string;
}

export class Gateway {
  constructor(private readonly openLogs: () => LogsDatabase) {}

  private logs: LogsDatabase | undefined;

  /** logs.db, opened on first use and kept open: one connection writes every turn in turn. */
  db(): LogsDatabase {
    return (this.logs ??= this.openLogs());
  }

  close(): void {
    this.logs?.close();
  }

  model(name: string | undefined): Model {
    return getModel(name);
  }

  /** Starts a turn; nothing is sent until the response is read. Throws on invalid input. */
  start(input: TurnInput): Response {
    const model = this.model(input.model);
    const { turn } = input;
    const conversationId = input.conversationId ?? this.threadContinuedBy(turn.history);
    let { tools, toolChoice } = input;
    // "none" asks for no tool call: a model that cannot be told so is simply offered no tools.
    if (toolChoice === 'none' && !model.supportsToolChoice) [tools, toolChoice] = [undefined, undefined];
    const conversation = model.conversation({ ...(conversationId ? { id: conversationId } : {}), messages: turn.history });
    const response = conversation.prompt(turn.text, {
      system: turn.system,
      attachments: turn.attachments,
      toolResults: turn.toolResults,
      tools,
      toolChoice,
      schema: input.schema,
      options: { ...getModelOptions(model.modelId), ...input.options },
      stream: input.stream && model.canStream,
      signal: input.signal,
      messages: turn.history,
    });
    return response;
  }

  /**
   * Reads the response to its end and logs it; a response cut short is logged with what
   * arrived, marked incomplete, and its error thrown.
   */
  async finish(response: Response): Promise<void> {
    try {
      await response.text();
    } catch (error) {
      if (response.textSoFar.length > 0) this.log(response, { incomplete: true, error: (error as Error).message ?? String(error) });
      throw error;
    }
    this.log(response);
  }

  private log(response: Response, options?: { incomplete: boolean; error: string }): void {
    if (!logsEnabled()) return;
    this.db().logResponse(response, options);
  }

  /**
   * The conversation a history continues: the logged turn whose messages end exactly where
   * this history ends (hashes of the message chain, as logs.db stores them).
   */
  threadContinuedBy(history: readonly Message[]): string | undefined {
    if (!history.some((m) => m.role === 'assistant')) return undefined;
    let tip: string | null = null;
    for (const message of history) tip = messageHash(message, tip);
    const row = this.db().db.prepare('select thread_id from turns where tip_message_hash = ? order by id desc limit 1').get(tip) as
      | { thread_id: string }
      | undefined;
    return row?.thread_id;
  }

  /** The thread and the messages that end with turn `id` (for `previous_response_id`). */
  turnHistory(id: string): { threadId: string; messages: Message[] } | undefined {
    const row = this.db().db.prepare('select thread_id, tip_message_hash from turns where id = ?').get(id) as
      | { thread_id: string; tip_message_hash: string | null }
      | undefined;
    if (!row) return undefined;
    return { threadId: row.thread_id, messages: this.db().loadChain(row.tip_message_hash) };
  }
}

/** A conversation's history from logs.db, for continuing it (the page's "continue"). */
export function loadThread(db: LogsDatabase, id: string): { model: string | null; messages: Message[] } | undefined {
  const loaded = db.loadConversation(id);
  return loaded ? { model: loaded.model, messages: loaded.messages } : undefined;
}
