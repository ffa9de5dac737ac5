import { pythonDumps } from '../logs/json.js';
import { createHash } from '../util/builtins.js';
import type { Attachment } from './attachment.js';
import { type ServerSideTool, isServerSideTool } from '../tools/server-side/server-side-tool.js';
import { type JsonSchema, type SchemaInput, isZodSchema, pythonRepr, toJsonSchema } from './schema.js';

/** A request by the model to call a tool. */
export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
  toolCallId?: string;
}

/** The result of executing a tool call. */
export interface ToolResult {
  name: string;
  output: string;
  attachments?: Attachment[];
  toolCallId?: string;
  /** The error the implementation threw (or the cancellation), when there was one. */
  exception?: Error;
  /** The configured toolbox whose tool ran (logged as Python logs `tool_instantiations`). */
  instance?: ToolInstance;
}

/**
 * A configured toolbox as a tool knows it (Python's `implementation.__self__`): its name
 * and the configuration it was built with, which logs.db records so `-c` can rebuild it.
 */
export interface ToolInstance {
  readonly toolboxName: string;
  readonly config: Record<string, unknown>;
  plugin: string | null;
}

/** Marks a toolbox (src/tools/toolbox.ts) without importing it: `asTools` expands one into its tools. */
export const TOOLBOX = Symbol.for('llm-ts.toolbox');

/** What `asTools` needs of a toolbox. */
export interface ToolboxLike extends ToolInstance {
  readonly [TOOLBOX]: true;
  tools(): Tool[];
  /** Runs the toolbox's `prepare()` once (later calls wait for the first). */
  ensurePrepared(): Promise<void>;
}

export function isToolbox(value: unknown): value is ToolboxLike {
  return typeof value === 'object' && value !== null && (value as { [TOOLBOX]?: unknown })[TOOLBOX] === true;
}

/** What an implementation receives: the model's arguments, and the call itself. */
export type ToolImplementation = (args: Record<string, any>, toolCall: ToolCall) => unknown;

export interface ToolInit {
  name: string;
  description?: string | null;
  /** JSON Schema of the arguments object, or a zod schema. */
  inputSchema?: SchemaInput;
  implementation?: ToolImplementation;
  /** The plugin the tool came from (recorded in logs.db). */
  plugin?: string | null;
  /** The configured toolbox this tool belongs to. */
  instance?: ToolInstance;
}

/** A tool a model can call: a name, a description, an input schema and the code to run. */
export class Tool {
  readonly name: string;
  readonly description: string | null;
  readonly implementation: ToolImplementation | undefined;
  plugin: string | null;
  /** The configured toolbox this tool belongs to, if any. */
  instance: ToolInstance | undefined;
  private schema: JsonSchema | undefined;
  private readonly schemaInput: SchemaInput;

  constructor(init: ToolInit) {
    if (!init.name) throw new TypeError('A tool needs a name');
    this.name = init.name;
    this.description = init.description || null;
    this.implementation = init.implementation;
    this.plugin = init.plugin ?? null;
    this.instance = init.instance;
    this.schemaInput = init.inputSchema ?? {};
    if (!isZodSchema(this.schemaInput)) this.schema = this.schemaInput as JsonSchema;
  }

  /** A tool from a function: its name unless one is given, and an input schema if given. */
  static function(fn: ToolImplementation, init: Partial<Omit<ToolInit, 'implementation'>> = {}): Tool {
    const name = init.name ?? fn.name;
    if (!name) throw new TypeError('Cannot create a Tool from an anonymous function without a name');
    return new Tool({ ...init, name, implementation: fn });
  }

  /** The input schema as JSON Schema. A zod schema is available after `resolveSchema()`. */
  get inputSchema(): JsonSchema {
    if (!this.schema) throw new TypeError(`The input schema of tool ${this.name} is a zod schema: await tool.resolveSchema() first`);
    return this.schema;
  }

  /** Converts a zod input schema to JSON Schema (loading zod); immediate for JSON Schema. */
  async resolveSchema(): Promise<JsonSchema> {
    this.schema ??= await toJsonSchema(this.schemaInput);
    return this.schema;
  }

  /** Python's `Tool.hash()`: sha256 of `json.dumps({name, description, input_schema[, plugin]})`. */
  hash(): string {
    const toHash: Record<string, unknown> = { name: this.name, description: this.description, input_schema: this.inputSchema };
    if (this.plugin) toHash.plugin = this.plugin;
    return createHash('sha256').update(pythonDumps(toHash), 'utf8').digest('hex');
  }
}

/** What a tool can return to hand back attachments with its output. */
export class ToolOutput {
  constructor(
    readonly output: unknown,
    readonly attachments: Attachment[] = [],
  ) {}
}

/** Thrown by a `beforeCall` callback to skip a call: its result becomes `Cancelled: <message>`. */
export class CancelToolCall extends Error {
  override name = 'CancelToolCall';
}

/**
 * Thrown by a tool implementation to stop the chain. It propagates out of
 * `executeToolCalls()` and `chain()` carrying the call that paused and the results of
 * the calls before it.
 */
export class PauseChain extends Error {
  override name = 'PauseChain';
  toolCall: ToolCall | undefined;
  toolResults: ToolResult[] = [];
}

export type ToolDef = Tool | ToolboxLike | ToolImplementation | ServerSideTool;

/** Tools as given (Tool objects, toolboxes or plain functions) as Tool objects; a toolbox gives the tools it has now. */
export function asTools(tools: readonly ToolDef[] | undefined): Tool[] {
  return offeredTools(tools).filter((tool): tool is Tool => !isServerSideTool(tool));
}

/**
 * Python's `_wrap_tools`: tools as given, in their order, as Tool objects (a toolbox gives
 * the tools it has now, in its place) and the server-side tools among them as they are.
 */
export function offeredTools(tools: readonly ToolDef[] | undefined): (Tool | ServerSideTool)[] {
  return (tools ?? []).flatMap((tool): (Tool | ServerSideTool)[] => {
    if (tool instanceof Tool) return [tool];
    if (isToolbox(tool)) return tool.tools();
    // A server-side tool is not run here: it is sent as it is.
    if (isServerSideTool(tool)) return [tool];
    if (typeof tool === 'function') return [Tool.function(tool)];
    throw new TypeError(`Invalid tool: ${String(tool)}`);
  });
}

/** Runs `prepare()` of every toolbox among the tools (once each), so they list every tool they offer. */
export async function prepareToolboxes(tools: readonly ToolDef[] | undefined): Promise<void> {
  await Promise.all((tools ?? []).filter(isToolbox).map((toolbox) => toolbox.ensurePrepared()));
}

/**
 * How a tool's exception is recorded in a tool_result part: `<class>: <message>`, as
 * Python writes it (a missing tool is Python's KeyError, whose message is quoted).
 */
export function formatToolException(exception: Error | string | undefined | null): string | undefined {
  if (exception === undefined || exception === null) return undefined;
  if (typeof exception === 'string') return exception;
  if (exception.name === 'KeyError') return `KeyError: ${pythonRepr(exception.message)}`;
  return `${exception.name || 'Error'}: ${exception.message}`;
}
