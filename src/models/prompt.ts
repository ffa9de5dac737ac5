import type { Attachment } from './attachment.js';
import type { TimeoutInput } from '../streaming/limits.js';
import type { Message, MessageInput, ToolResultPart } from './messages.js';
import { systemMessage, userMessage } from './messages.js';
import { UsageError } from '../errors.js';
import type { OptionValues } from './options.js';
import type { JsonSchema, SchemaInput } from './schema.js';
import type { AfterCall, BeforeCall } from './tool-execution.js';
import type { ServerSideTool } from '../tools/server-side/server-side-tool.js';
import { type Tool, type ToolDef, type ToolResult, formatToolException } from './tools.js';

/**
 * Text added by reference (`llm -f`): sent joined into the prompt, and logged once in
 * logs.db's `fragments` table. `source` is where it came from (a path, a URL, `-`).
 */
export interface Fragment {
  readonly content: string;
  readonly source?: string | null;
}

/** Everything `model.prompt()` accepts besides the text. Any other key is a model option. */
export interface PromptInput {
  system?: string;
  /** Placed before the prompt text, one per line. */
  fragments?: (string | Fragment)[];
  /** Placed before the system prompt, separated by blank lines. */
  systemFragments?: (string | Fragment)[];
  attachments?: Attachment[];
  /** A JSON Schema object or a zod schema the reply must match. */
  schema?: SchemaInput;
  /** Model options as an object; the same option may not also be given flat. */
  options?: OptionValues;
  /** An API key, or the name of a key stored with `llm keys set`. */
  key?: string;
  signal?: AbortSignal;
  /**
   * Seconds to wait: a number is the idle timeout (between two reads of the answer), or
   * `{ connect, idle, total }`. Default: the model's, else `limits.timeouts`.
   */
  timeout?: TimeoutInput;
  /** Stream from the provider (default true where the model can). */
  stream?: boolean;
  /**
   * Full history to send instead of building it; the prompt text is appended as a user turn.
   * Each entry is a Message (`{ role, parts }`, or from `user()`, `assistant()`, `system()`) or
   * `{ role, content }` with text, an Attachment, a Part or a list of those as content.
   */
  messages?: MessageInput[];
  /** Ask the provider not to return reasoning text. */
  hideReasoning?: boolean;
  /** Tools the model may call (Tool objects, toolboxes, or functions made into tools by name). */
  tools?: ToolDef[];
  /** Results of earlier tool calls, sent before the prompt text as a `tool` message. */
  toolResults?: ToolResult[];
  /**
   * Whether the model must, may or must not call a tool: `auto` (the default), `none`,
   * `required` (some tool), or `{ name }` (that tool). Only for a model that declares
   * `supportsToolChoice`; `auto` is taken by any model.
   */
  toolChoice?: ToolChoice;
  [option: string]: unknown;
}

/** See `PromptInput.toolChoice`. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** The reserved (non-option) keys of PromptInput. */
export const PROMPT_INPUT_KEYS = new Set([
  'system',
  'fragments',
  'systemFragments',
  'attachments',
  'schema',
  'options',
  'key',
  'signal',
  'timeout',
  'stream',
  'messages',
  'hideReasoning',
  'tools',
  'toolResults',
  'toolChoice',
  'chainLimit',
  'maxCost',
  'beforeCall',
  'afterCall',
]);

/** What `chain()` accepts besides PromptInput. */
export interface ChainInput extends PromptInput {
  /** Stop with an error after this many responses (default 5; 0 or null: no limit). */
  chainLimit?: number | null;
  /** Stop (CostLimitError) before a request that would take the chain's cost past this many USD. */
  maxCost?: number;
  beforeCall?: BeforeCall;
  afterCall?: AfterCall;
}

/** A prompt after validation: what a provider's `execute()` receives. */
export class Prompt {
  /** The text sent: the fragments, then the prompt, one per line. */
  readonly prompt: string;
  /** The system prompt sent: the system fragments, then the system prompt. */
  readonly system: string | undefined;
  /** The system prompt as given, without system fragments (Python's `prompt._system`). */
  readonly systemInput: string | undefined;
  readonly fragments: readonly Fragment[];
  readonly systemFragments: readonly Fragment[];
  readonly attachments: readonly Attachment[];
  /** Resolved to plain JSON Schema before `execute()` runs. */
  schema: JsonSchema | undefined;
  readonly options: Readonly<OptionValues>;
  readonly hideReasoning: boolean;
  /** The whole conversation to send: earlier turns, then this one. */
  readonly messages: readonly Message[];
  /** The tools offered. A toolbox still to be prepared adds its tools when the response starts. */
  tools: readonly Tool[];
  /** The provider-run tools offered (web search, code execution): sent, never run here. */
  readonly serverSideTools: readonly ServerSideTool[];
  /**
   * Every tool offered, in the order given (Python's `prompt.tools`): the function tools (a
   * toolbox's in its place) with the server-side tools among them. Providers send them in
   * this order, and the logs record them in it.
   */
  offeredTools: readonly (Tool | ServerSideTool)[];
  readonly toolResults: readonly ToolResult[];
  /** Undefined when not given (the provider's default, `auto`). */
  readonly toolChoice: ToolChoice | undefined;

  constructor(init: {
    prompt: string;
    system?: string;
    fragments?: readonly (string | Fragment)[];
    systemFragments?: readonly (string | Fragment)[];
    attachments?: readonly Attachment[];
    schema?: JsonSchema;
    options?: OptionValues;
    hideReasoning?: boolean;
    history?: readonly Message[];
    tools?: readonly Tool[];
    serverSideTools?: readonly ServerSideTool[];
    /** The order of `tools` and `serverSideTools` together; both in turn when not given. */
    offeredTools?: readonly (Tool | ServerSideTool)[];
    toolResults?: readonly ToolResult[];
    toolChoice?: ToolChoice;
    /** `history` is the whole list to send, as is (a response rebuilt by `Response.fromDict`). */
    exactMessages?: boolean;
  }) {
    this.fragments = (init.fragments ?? []).map(asFragment);
    this.systemFragments = (init.systemFragments ?? []).map(asFragment);
    this.prompt = this.fragments.length ? joinedPrompt(this.fragments, init.prompt) : init.prompt;
    this.systemInput = init.system || undefined;
    this.system = this.systemFragments.length ? joinedSystem(this.systemFragments, init.system) : init.system || undefined;
    this.attachments = init.attachments ?? [];
    this.schema = init.schema;
    this.options = Object.freeze({ ...(init.options ?? {}) });
    this.hideReasoning = init.hideReasoning ?? false;
    this.tools = init.tools ?? [];
    this.serverSideTools = init.serverSideTools ?? [];
    this.offeredTools = init.offeredTools ?? [...this.tools, ...this.serverSideTools];
    this.toolResults = init.toolResults ?? [];
    this.toolChoice = init.toolChoice;
    const messages: Message[] = [...(init.history ?? [])];
    if (init.exactMessages) {
      this.messages = messages;
      return;
    }
    if (this.system && lastSystemText(messages) !== this.system) messages.push(systemMessage(this.system));
    if (this.toolResults.length) messages.push(toolResultsMessage(this.toolResults));
    if (this.prompt || this.attachments.length) messages.push(userMessage(this.prompt, [...this.attachments]));
    this.messages = messages;
  }
}

/** Checks a tool choice against the tools given; throws a one-line UsageError. */
export function checkToolChoice(choice: unknown, tools: readonly Tool[], toolsPending: boolean): ToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  const named = typeof choice === 'object' && !Array.isArray(choice) && typeof (choice as { name?: unknown }).name === 'string';
  if (!named && choice !== 'auto' && choice !== 'none' && choice !== 'required') {
    throw new UsageError(`toolChoice must be "auto", "none", "required" or { name: "<tool>" }, not ${JSON.stringify(choice)}`);
  }
  if (toolsPending) return choice as ToolChoice;
  if ((choice === 'required' || named) && !tools.length) {
    throw new UsageError(`toolChoice ${JSON.stringify(choice)} needs tools, and none were given`);
  }
  const name = named ? (choice as { name: string }).name : undefined;
  if (name !== undefined && !tools.some((tool) => tool.name === name)) {
    throw new UsageError(`toolChoice names the tool ${JSON.stringify(name)}, which is not among the tools given (${tools.map((t) => t.name).join(', ')})`);
  }
  return named ? { name: name! } : (choice as ToolChoice);
}

function asFragment(fragment: string | Fragment): Fragment {
  return typeof fragment === 'string' ? { content: fragment } : fragment;
}

/** Python's `Prompt.prompt`: fragments and the text, one per line. */
function joinedPrompt(fragments: readonly Fragment[], text: string): string {
  return [...fragments.map((f) => f.content), ...(text ? [text] : [])].join('\n');
}

/** Python's `Prompt.system`: each non-blank piece stripped, separated by a blank line. */
function joinedSystem(fragments: readonly Fragment[], system: string | undefined): string | undefined {
  const pieces = [...fragments.map((f) => f.content), system ?? ''].map((piece) => piece.trim()).filter(Boolean);
  return pieces.join('\n\n') || undefined;
}

/** The `tool` message carrying tool results, as Python builds it. */
export function toolResultsMessage(results: readonly ToolResult[]): Message {
  return {
    role: 'tool',
    parts: results.map((result) => {
      const part: ToolResultPart = { type: 'tool_result', name: result.name, output: result.output };
      if (result.toolCallId !== undefined) part.toolCallId = result.toolCallId;
      const exception = formatToolException(result.exception);
      if (exception !== undefined) part.exception = exception;
      if (result.attachments?.length) part.attachments = [...result.attachments];
      return part;
    }),
  };
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
