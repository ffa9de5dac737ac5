import { modelKey } from '../config/keys.js';
import { existsSync, statSync } from 'node:fs';
import { AttachmentError, OptionsError, SchemaError, UsageError } from '../errors.js';
import type { Attachment } from './attachment.js';
import { Conversation } from './conversation.js';
import type { ModelEvent, ModelEventChunk } from './events.js';
import { type OptionsSpec, type OptionValues, validateOptions } from './options.js';
import { type ChainInput, PROMPT_INPUT_KEYS, Prompt, type PromptInput, checkToolChoice } from './prompt.js';
import type { ChainResponse } from './chain.js';
import { type ConversationInit } from './conversation.js';
import { type Message, toMessage } from './messages.js';
import { type Tool, isToolbox, offeredTools } from './tools.js';
import { type ServerSideToolClass, checkServerSideTools, isServerSideTool } from '../tools/server-side/server-side-tool.js';
import { Response, unsupportedTypeMessage } from './response.js';
import type { JsonSchema } from './schema.js';
import type { BatchApi } from '../batch/adapter.js';
import type { MapOptions } from '../batch/map.js';
import type { MapResult } from '../batch/run-local.js';
import type { TimeoutInput, Timeouts } from '../streaming/limits.js';
import type { ModelPricing, TokenCount } from '../pricing/types.js';

/** What `execute()` is given besides the prompt. */
export interface ExecuteContext {
  /** The resolved API key, or undefined for models that need none. */
  key: string | undefined;
  stream: boolean;
  signal: AbortSignal | undefined;
  /** The timeouts this request runs under (the call's, else the model's, else the defaults): pass them to providerFetch. */
  timeouts: Timeouts;
  conversation: Conversation | undefined;
  response: Response;
}

/**
 * A chat model. A provider subclasses this, declares its capabilities and options as
 * data, and implements one method, `execute()`, which yields events. Everything else
 * (keys, options, laziness, replay, usage, callbacks) is done here.
 */
export abstract class Model {
  abstract readonly modelId: string;
  canStream = true;
  attachmentTypes: ReadonlySet<string> = new Set();
  supportsSchema = false;
  supportsTools = false;
  /** Takes `toolChoice` (none, required, a named tool); `auto` is taken by every model. */
  supportsToolChoice = false;
  /** Name of this model's key in keys.json, or null when it needs no key. */
  needsKey: string | null = null;
  /** Environment variable holding the key, e.g. `OPENAI_API_KEY`. */
  keyEnvVar: string | null = null;
  /** This model's timeouts (e.g. `timeout:` in extra-openai-models.yaml); a call's `timeout` wins. */
  timeout: TimeoutInput | undefined = undefined;
  /** A key set on the model itself wins over every other source. */
  key: string | undefined = undefined;
  /** The options this model accepts. */
  readonly optionsSpec: OptionsSpec = {};
  /**
   * The provider-run tool classes this model takes (Python's `supported_server_side_tools`),
   * e.g. `[WebSearch, CodeInterpreter, ServerSideTool]`: `-T` resolves their class names,
   * `llm tools -m` and `llm models --json` list them. See src/tools/server-side.
   */
  readonly supportedServerSideTools: readonly ServerSideToolClass[] = [];
  /** How the price list knows this model, or its own prices (src/pricing); unset: looked up by id. */
  pricing: ModelPricing | undefined = undefined;

  abstract execute(prompt: Prompt, context: ExecuteContext): AsyncIterable<ModelEventChunk>;

  /** The label the Python tool prints, e.g. `OpenAI Chat: gpt-4o-mini`. */
  toString(): string {
    return `${this.constructor.name}: ${this.modelId}`;
  }

  /**
   * Starts a prompt. Nothing is sent until the response is read. Options are checked
   * now; attachments, the schema and the key when the response is first read.
   */
  prompt(text: string | null | undefined, input: PromptInput = {}): Response {
    return this.buildResponse(text ?? '', input, undefined, undefined);
  }

  conversation(init: ConversationInit = {}): Conversation {
    return new Conversation(this, init);
  }

  /**
   * Prompts, runs the tool calls the model asks for, sends their results back, and so on
   * until a response asks for none. Iterate the chain for its text, or `responses()`.
   */
  chain(text: string | null | undefined, input: ChainInput = {}): ChainResponse {
    return this.conversation().chain(text, input);
  }

  /**
   * One prompt over many rows: each row fills in `options.template` (`$column`), up to
   * `options.parallel` requests run at once, and results come in completion order with
   * each row's key. With `options.database` every answer is logged and the job resumable.
   */
  map(rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>, options: MapOptions): AsyncIterable<MapResult> {
    const model = this;
    return (async function* () {
      const { mapRows } = await import('../batch/map.js');
      yield* mapRows(model, rows, options);
    })();
  }

  /** @internal Used by Model.prompt and Conversation.prompt. */
  buildResponse(
    text: string,
    input: PromptInput,
    conversation: Conversation | undefined,
    history: readonly Message[] | undefined,
  ): Response {
    // A model with a `timeout` option of its own (Gemini's) gets a flat `timeout` as that option.
    const ownTimeout = Object.prototype.hasOwnProperty.call(this.optionsSpec, 'timeout');
    const options = this.validate(collectOptions(input, ownTimeout));
    if (input.schema !== undefined && input.schema !== null && !this.supportsSchema) {
      throw new SchemaError(`${this.modelId} does not support schemas`);
    }
    if (input.attachments?.length) this.checkAttachmentsNow(input.attachments);
    const offered = offeredTools(input.tools);
    const tools = offered.filter((tool): tool is Tool => !isServerSideTool(tool));
    const serverSideTools = offered.filter(isServerSideTool);
    if ((input.tools?.length ?? 0) > serverSideTools.length && !this.supportsTools) throw new UsageError(`${this} does not support tools`);
    checkServerSideTools(this, serverSideTools);
    const toolChoice = checkToolChoice(input.toolChoice, tools, !!input.tools?.some(isToolbox));
    if (toolChoice !== undefined && toolChoice !== 'auto' && !this.supportsToolChoice) {
      throw new UsageError(`${this} does not support toolChoice (choosing whether or which tool the model calls)`);
    }
    const prompt = new Prompt({
      prompt: text,
      system: input.system,
      fragments: input.fragments,
      systemFragments: input.systemFragments,
      attachments: input.attachments,
      schema: undefined,
      options,
      hideReasoning: input.hideReasoning,
      history: input.messages ? input.messages.map(toMessage) : history,
      tools,
      serverSideTools,
      offeredTools: offered,
      toolResults: input.toolResults,
      toolChoice: toolChoice === 'auto' && !this.supportsToolChoice ? undefined : toolChoice,
    });
    return new Response(this, prompt, {
      conversation,
      key: input.key,
      stream: input.stream ?? true,
      signal: input.signal,
      timeout: ownTimeout ? undefined : input.timeout,
      schemaInput: input.schema,
      toolDefs: input.tools?.some(isToolbox) ? input.tools : undefined,
    });
  }

  /**
   * The attachment checks that need no I/O beyond a stat: the model takes attachments at
   * all, a given type is one it takes, a file exists. Types still to be detected (from the
   * bytes or a HEAD request) are checked when the response is first read, before any request.
   */
  checkAttachmentsNow(attachments: readonly Attachment[]): void {
    if (this.attachmentTypes.size === 0) throw new AttachmentError('This model does not support attachments');
    for (const attachment of attachments) {
      if (attachment.type && !this.attachmentTypes.has(attachment.type)) {
        throw new AttachmentError(unsupportedTypeMessage(attachment.type, this.attachmentTypes));
      }
      if (attachment.path !== undefined && !(existsSync(attachment.path) && statSync(attachment.path).isFile())) {
        throw new AttachmentError(`Attachment file not found or unreadable: ${attachment.path}`);
      }
    }
  }

  /** The provider's Batch API for this model (`llm map --batch`), or undefined when it has none. */
  batchApi(): BatchApi | undefined {
    return undefined;
  }

  /**
   * How many input tokens this prompt would be (system prompt, fragments, history and
   * attachments included), without sending it: exact where the provider can count them
   * (a plugin overrides `countPromptTokens`), otherwise an estimate marked as one.
   */
  async countTokens(text: string | null | undefined, input: PromptInput = {}): Promise<TokenCount> {
    const response = this.buildResponse(text ?? '', input, undefined, undefined);
    let key: string | undefined;
    try {
      key = this.needsKey ? this.getKey(input.key) : undefined;
    } catch {
      // No key: a plugin that counts with its provider's endpoint estimates instead.
    }
    return this.countPromptTokens(response.prompt, { key, signal: input.signal });
  }

  /** Counts a built prompt's input tokens. The default estimates about four characters a token. */
  async countPromptTokens(prompt: Prompt, _context: { key: string | undefined; signal?: AbortSignal }): Promise<TokenCount> {
    const { estimatePromptTokens } = await import('../pricing/count.js');
    return estimatePromptTokens(prompt);
  }

  /** Validates and coerces option values (strings from the command line included). */
  validate(options: OptionValues): OptionValues {
    return validateOptions(this.optionsSpec, options, this.modelId);
  }

  /** Resolves the key: model.key, the explicit key (as a stored name, then literal), keys.json, the env var. */
  getKey(explicit?: string | null): string | undefined {
    return modelKey(this, explicit);
  }
}

function collectOptions(input: PromptInput, timeoutIsOption = false): OptionValues {
  const nested = input.options ?? {};
  const merged: OptionValues = { ...nested };
  for (const [name, value] of Object.entries(input)) {
    if ((PROMPT_INPUT_KEYS.has(name) && !(timeoutIsOption && name === 'timeout')) || value === undefined) continue;
    if (Object.prototype.hasOwnProperty.call(nested, name) && nested[name] !== undefined) {
      throw new OptionsError(`Option ${name} was given both directly and in options: {...}; give it once`);
    }
    merged[name] = value;
  }
  return merged;
}

export type { JsonSchema };

/**
 * Events whose source is made on the first pull, e.g. after an `import()` of the request
 * code: `execute() { return deferredEvents(async () => (await import('./chat.js')).run(this, prompt, context)); }`.
 * Unlike `yield*` inside an async generator, it adds no async layer per event: once the
 * source exists, each pull is handed straight to it.
 */
export function deferredEvents(
  load: () => Promise<AsyncIterable<ModelEventChunk>> | AsyncIterable<ModelEventChunk>,
): AsyncIterable<ModelEventChunk> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<ModelEventChunk> {
      let inner: AsyncIterator<ModelEventChunk> | undefined;
      let closed = false;
      const start = async (): Promise<AsyncIterator<ModelEventChunk>> => {
        const source = await load();
        inner = source[Symbol.asyncIterator]();
        return inner;
      };
      return {
        next(): Promise<IteratorResult<ModelEventChunk>> {
          if (inner) return inner.next();
          if (closed) return Promise.resolve({ value: undefined, done: true });
          return start().then((it) => it.next());
        },
        async return(): Promise<IteratorResult<ModelEventChunk>> {
          closed = true;
          if (inner?.return) await inner.return();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
