import type { Attachment } from './attachment.js';
import type { Message } from './messages.js';
import { systemMessage, userMessage } from './messages.js';
import type { OptionValues } from './options.js';
import type { JsonSchema, SchemaInput } from './schema.js';

/** Everything `model.prompt()` accepts besides the text. Any other key is a model option. */
export interface PromptInput {
  system?: string;
  attachments?: Attachment[];
  /** A JSON Schema object or a zod schema the reply must match. */
  schema?: SchemaInput;
  /** Model options as an object; the same option may not also be given flat. */
  options?: OptionValues;
  /** An API key, or the name of a key stored with `llm keys set`. */
  key?: string;
  signal?: AbortSignal;
  /** Stream from the provider (default true where the model can). */
  stream?: boolean;
  /** Full history to send instead of building it; the prompt text is appended as a user turn. */
  messages?: Message[];
  /** Ask the provider not to return reasoning text. */
  hideReasoning?: boolean;
  [option: string]: unknown;
}

/** The reserved (non-option) keys of PromptInput. */
export const PROMPT_INPUT_KEYS = new Set([
  'system',
  'attachments',
  'schema',
  'options',
  'key',
  'signal',
  'stream',
  'messages',
  'hideReasoning',
]);

/** A prompt after validation: what a provider's `execute()` receives. */
export class Prompt {
  readonly prompt: string;
  readonly system: string | undefined;
  readonly attachments: readonly Attachment[];
  /** Resolved to plain JSON Schema before `execute()` runs. */
  schema: JsonSchema | undefined;
  readonly options: Readonly<OptionValues>;
  readonly hideReasoning: boolean;
  /** The whole conversation to send: earlier turns, then this one. */
  readonly messages: readonly Message[];

  constructor(init: {
    prompt: string;
    system?: string;
    attachments?: readonly Attachment[];
    schema?: JsonSchema;
    options?: OptionValues;
    hideReasoning?: boolean;
    history?: readonly Message[];
  }) {
    this.prompt = init.prompt;
    this.system = init.system || undefined;
    this.attachments = init.attachments ?? [];
    this.schema = init.schema;
    this.options = Object.freeze({ ...(init.options ?? {}) });
    this.hideReasoning = init.hideReasoning ?? false;
    const messages: Message[] = [...(init.history ?? [])];
    if (this.system && lastSystemText(messages) !== this.system) messages.push(systemMessage(this.system));
    if (this.prompt || this.attachments.length) messages.push(userMessage(this.prompt, [...this.attachments]));
    this.messages = messages;
  }
}

function lastSystemText(messages: readonly Message[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role === 'system') {
      const part = message.parts[0];
      return part && part.type === 'text' ? part.text : undefined;
    }
  }
  return undefined;
}
