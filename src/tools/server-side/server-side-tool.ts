// Server-side tools (Python's `llm.ServerSideTool`): tools the provider runs itself (web
// search, code execution). They travel with the function tools in `tools: [...]`; llm-ts
// sends their specification and logs their configuration, but never executes them.
import { UsageError } from '../../errors.js';
import { pythonDumps } from '../../logs/json.js';
import { createHash } from '../../util/builtins.js';

/** Marks a server-side tool without `instanceof` (a plugin may load another copy of llm-ts). */
export const SERVER_SIDE_TOOL = Symbol.for('llm-ts.server-side-tool');

type Json = Record<string, unknown>;

/** A server-side tool class, as a model claims it and `-T`, `llm tools -m` and logs.db see it. */
export interface ServerSideToolClass {
  new (config?: Json): ServerSideTool;
  /** Python's class name (`WebSearch`): what `-T` names and `tool_instances.name` records. */
  readonly className: string;
  /** Python's `name` (`web_search`): the `tools.name` logs.db records. */
  readonly toolName: string;
  readonly plugin: string | null;
  /** The configuration keys in order, each with its default (Python's constructor signature). */
  readonly defaults: Readonly<Json>;
  /** The constructor signature `llm tools -m` prints, as Python prints it. */
  readonly signature: string;
  /** Python's class docstring (what `llm tools -m` prints, and part of the logged definition). */
  readonly description: string | null;
}

/**
 * A tool executed inside the provider's infrastructure. Subclasses (a provider's own tools)
 * declare their statics and validate their configuration in the constructor; this base
 * class itself is a raw pass-through: `new ServerSideTool({ spec: { type: '...' } })`.
 *
 * The constructor takes one configuration object with the snake_case keys Python's
 * constructor takes (what `-T 'Name(key="v")'` passes). `config` keeps every key with its
 * default filled in, in order, as Python's `_config` does: logs.db records it, `-c` rebuilds it.
 */
export class ServerSideTool {
  static readonly className: string = 'ServerSideTool';
  static readonly toolName: string = 'server_side_tool';
  static readonly plugin: string | null = null;
  static readonly defaults: Readonly<Json> = { spec: null };
  static readonly signature: string = '(spec: dict | None = None)';
  static readonly description: string | null =
    "A tool executed inside the provider's infrastructure.\n\nInstances are passed in ``tools=[...]`` alongside function tools. The\nframework transports and validates them but never executes them. Provider\nplugins subclass this class for their own tools; the base class can be\ninstantiated directly with a raw provider tool specification.";

  /** Every configuration key with its value (the default when not given), in order. */
  readonly config: Readonly<Json>;

  get [SERVER_SIDE_TOOL](): true {
    return true;
  }

  constructor(config: Json = {}) {
    const cls = this.constructor as ServerSideToolClass;
    const unexpected = Object.keys(config).filter((key) => !Object.hasOwn(cls.defaults, key));
    if (unexpected.length) {
      throw new UsageError(`${cls.className}() got an unexpected keyword argument '${unexpected[0]}' (it takes ${Object.keys(cls.defaults).join(', ')})`);
    }
    const full: Json = {};
    for (const [key, value] of Object.entries(cls.defaults)) full[key] = config[key] === undefined ? value : config[key];
    this.config = Object.freeze(full);
    if (cls === ServerSideTool && full.spec !== null && (typeof full.spec !== 'object' || Array.isArray(full.spec))) {
      throw new UsageError('ServerSideTool: spec must be a JSON object (the provider\'s tool specification)');
    }
  }

  /** `tools.name` in logs.db, e.g. `web_search`. */
  get name(): string {
    return (this.constructor as ServerSideToolClass).toolName;
  }

  get className(): string {
    return (this.constructor as ServerSideToolClass).className;
  }

  get plugin(): string | null {
    return (this.constructor as ServerSideToolClass).plugin;
  }

  get description(): string | null {
    return (this.constructor as ServerSideToolClass).description;
  }

  /** A server-side tool has no arguments of its own (Python's `input_schema = {}`). */
  get inputSchema(): Json {
    return {};
  }

  /** The configured instance as logs.db records it in `tool_instances`. */
  get instance(): { toolboxName: string; config: Json } {
    return { toolboxName: this.className, config: { ...this.config } };
  }

  /** The provider's request entry for this tool. The base class sends its raw `spec`. */
  toolSpec(_model: unknown): Json {
    const spec = this.config.spec;
    if (spec === null || spec === undefined) throw new UsageError(`${this.className} does not define a raw provider tool spec`);
    return { ...(spec as Json) };
  }

  /** Adds anything else the request needs (e.g. an `include` entry) to its body. */
  prepareRequest(_model: unknown, _body: Json): void {}

  /** Python's `ServerSideTool.hash()`: the definition, apart from any configuration. */
  hash(): string {
    const toHash: Json = { name: this.name, description: this.description, input_schema: this.inputSchema, server_side: true };
    if (this.plugin) toHash.plugin = this.plugin;
    return createHash('sha256').update(pythonDumps(toHash), 'utf8').digest('hex');
  }
}

export function isServerSideTool(value: unknown): value is ServerSideTool {
  return typeof value === 'object' && value !== null && (value as { [SERVER_SIDE_TOOL]?: unknown })[SERVER_SIDE_TOOL] === true;
}

/**
 * Python's `_partition_tools` check: the model claims the tool's class (claiming the base
 * class itself claims only raw-spec tools, not every provider's subclass), else the error
 * Python gives.
 */
export function checkServerSideTools(
  model: { modelId: string; supportedServerSideTools: readonly ServerSideToolClass[] },
  tools: readonly ServerSideTool[],
): void {
  for (const tool of tools) {
    const claimed = model.supportedServerSideTools.some((cls) => (isBaseClass(cls) ? tool.className === 'ServerSideTool' : tool instanceof cls));
    if (!claimed) throw new UsageError(`Model '${model.modelId}' does not support server-side tool '${tool.name}'. Run: llm tools -m ${model.modelId}`);
  }
}

/** The base class itself (of this or another copy of llm-ts), not a subclass. */
function isBaseClass(cls: ServerSideToolClass): boolean {
  return cls === ServerSideTool || (cls.className === 'ServerSideTool' && !(Object.getPrototypeOf(cls) as Partial<ServerSideToolClass>).className);
}

/** Python's `_partition_tools`, the other half: the server-side tools among those given. */
export function serverSideToolsIn(tools: readonly unknown[] | undefined): ServerSideTool[] {
  return (tools ?? []).filter(isServerSideTool);
}
