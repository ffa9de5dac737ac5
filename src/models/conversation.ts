import { newId } from '../util/ulid.js';
import type { Cost } from '../pricing/types.js';
import { type Message, toMessage } from './messages.js';
import type { Model } from './model.js';
import type { ChainInput, PromptInput } from './prompt.js';
import type { Response } from './response.js';
import { ChainResponse, pendingToolCalls } from './chain.js';
import { type AfterCall, type BeforeCall, executeToolCalls } from './tool-execution.js';
import { type ToolDef, asTools, prepareToolboxes } from './tools.js';

export interface ConversationInit {
  id?: string;
  name?: string;
  /** History to continue from (e.g. loaded from logs.db). */
  messages?: Message[];
  /** Tools for every prompt and chain of this conversation that names none. */
  tools?: ToolDef[];
  chainLimit?: number | null;
  beforeCall?: BeforeCall;
  afterCall?: AfterCall;
}

/**
 * A run of prompts to one model where each prompt carries the earlier turns. History
 * comes from `messages` given at creation (e.g. loaded from logs.db), then from the
 * responses made through this conversation.
 */
export class Conversation {
  readonly model: Model;
  readonly id: string;
  name: string | undefined;
  /** Responses that have completed, in order. */
  readonly responses: Response[] = [];
  /** History loaded from elsewhere (logs.db), used before any response of this conversation. */
  readonly loadedMessages: readonly Message[];
  tools: ToolDef[] | undefined;
  chainLimit: number | null | undefined;
  beforeCall: BeforeCall | undefined;
  afterCall: AfterCall | undefined;

  constructor(model: Model, init: ConversationInit = {}) {
    this.model = model;
    this.id = init.id ?? newId();
    this.name = init.name;
    this.loadedMessages = init.messages ?? [];
    this.tools = init.tools;
    this.chainLimit = init.chainLimit;
    this.beforeCall = init.beforeCall;
    this.afterCall = init.afterCall;
  }

  /** The sum of the costs of this conversation's responses, or null if any is unknown. */
  async cost(): Promise<Cost | null> {
    const { sumCosts } = await import('../pricing/cost.js');
    return sumCosts(await Promise.all(this.responses.map((r) => r.cost())));
  }

  /** Like `model.prompt()`, with the conversation so far sent first. */
  prompt(text: string | null | undefined, input: PromptInput = {}): Response {
    return this.model.buildResponse(text ?? '', this.withTools(input), this, this.history());
  }

  /** Like `model.chain()`, with the conversation so far sent first. */
  chain(text: string | null | undefined, input: ChainInput = {}): ChainResponse {
    const { chainLimit, maxCost, beforeCall: before, afterCall: after, ...rest } = input;
    const callbacks = { beforeCall: before ?? this.beforeCall, afterCall: after ?? this.afterCall };
    // A history that ends in tool calls with no results (a chain cut short) resumes: those
    // calls run first and their results go with this prompt.
    const pending = rest.toolResults?.length ? [] : pendingToolCalls(rest.messages ? rest.messages.map(toMessage) : this.history());
    const first = pending.length
      ? async () => {
          const defs = this.withTools(rest).tools;
          await prepareToolboxes(defs);
          const tools = asTools(defs);
          await Promise.all(tools.map((tool) => tool.resolveSchema()));
          return this.prompt(text, { ...rest, toolResults: await executeToolCalls(tools, pending, callbacks) });
        }
      : this.prompt(text, rest);
    return new ChainResponse(first, { chainLimit: chainLimit !== undefined ? chainLimit : this.chainLimit, maxCost, ...callbacks });
  }

  private withTools(input: PromptInput): PromptInput {
    return input.tools?.length || !this.tools?.length ? input : { ...input, tools: this.tools };
  }

  /** The messages sent so far plus the replies received. */
  history(): Message[] {
    const last = this.responses[this.responses.length - 1];
    if (!last) return [...this.loadedMessages];
    return [...last.prompt.messages, ...last.messagesSoFar];
  }

  toString(): string {
    return `<Conversation: ${this.id} - ${this.responses.length} responses>`;
  }
}
