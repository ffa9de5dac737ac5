import { newId } from '../util/ulid.js';
import type { Message } from './messages.js';
import type { Model } from './model.js';
import type { PromptInput } from './prompt.js';
import type { Response } from './response.js';

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

  constructor(model: Model, init: { id?: string; name?: string; messages?: Message[] } = {}) {
    this.model = model;
    this.id = init.id ?? newId();
    this.name = init.name;
    this.loadedMessages = init.messages ?? [];
  }

  /** Like `model.prompt()`, with the conversation so far sent first. */
  prompt(text: string | null | undefined, input: PromptInput = {}): Response {
    return this.model.buildResponse(text ?? '', input, this, this.history());
  }

  /** The messages sent so far plus the replies received. */
  history(): Message[] {
    const last = this.responses[this.responses.length - 1];
    if (!last) return [...this.loadedMessages];
    return [...last.prompt.messages, ...last.messages()];
  }

  toString(): string {
    return `<Conversation: ${this.id} - ${this.responses.length} responses>`;
  }
}
