import type { SchemaInput } from '../models/schema.js';
import { TOOLBOX, Tool, type ToolImplementation, type ToolboxLike } from '../models/tools.js';

/** How one method of a toolbox is offered to the model. */
export interface ToolboxMethod {
  description?: string;
  /** JSON Schema of the arguments object, or a zod schema. */
  inputSchema?: SchemaInput;
}

/** A toolbox class as the registry, `-T` and `llm tools` see it. */
export interface ToolboxClass {
  new (config?: any, ...rest: any[]): Toolbox;
  readonly name: string;
  toolboxName?: string;
  parameters?: readonly string[];
  signature?: string;
  description?: string;
  methods?: Readonly<Record<string, ToolboxMethod>>;
  prototype: Toolbox;
}

/** Methods of Toolbox itself, never tools. */
const BLOCKED = new Set(['constructor', 'tools', 'addTool', 'prepare', 'ensurePrepared', 'close']);
const NO_ARGUMENTS = { properties: {}, type: 'object' };

/**
 * Tools that belong together, configured once and keeping state between calls (Python's
 * `llm.Toolbox`). Each public method (not starting with `_`) is a tool named
 * `<ClassName>_<method>`; it receives the model's arguments object, as a Tool's
 * implementation does. Describe methods and their input schemas in `static methods`.
 *
 * The constructor takes one configuration object (what `-T 'Name(key="v")'` and
 * `Name({"key": "v"})` pass), kept as `config`: logs.db records it so `-c` can rebuild the
 * toolbox. `static parameters` names the configuration keys in order, which lets
 * `Name("v")` stand for `Name(<first parameter>="v")`.
 */
export class Toolbox implements ToolboxLike {
  /** The name used for its tools and in logs.db; the class name unless set. */
  static toolboxName?: string;
  /** Configuration keys in order: a positional spec argument fills the first. */
  static parameters?: readonly string[];
  /** The constructor signature `llm tools` shows for a dynamic toolbox, e.g. `(url, limit=10)`. */
  static signature?: string;
  /** What `llm tools` shows for the toolbox (Python shows the class docstring). */
  static description?: string;
  /** Description and input schema of each method offered as a tool. */
  static methods?: Readonly<Record<string, ToolboxMethod>>;

  /** On the prototype, so a class from another copy of llm-ts is recognised too. */
  get [TOOLBOX](): true {
    return true;
  }
  /** The plugin that registered the class (recorded in logs.db with each tool). */
  plugin: string | null = null;
  /** The configuration it was built with (Python's `_config`). */
  readonly config: Record<string, unknown>;
  private readonly extraTools: Tool[] = [];
  private methodTools: Tool[] | undefined;
  private preparing: Promise<void> | undefined;

  constructor(config: Record<string, unknown> = {}) {
    this.config = { ...config };
  }

  get toolboxName(): string {
    const cls = this.constructor as ToolboxClass;
    return cls.toolboxName ?? cls.name;
  }

  /** The method names offered as tools, sorted (as Python's `dir()` gives them). */
  static methodNames(): string[] {
    const names = new Set<string>();
    for (let proto = this.prototype; proto && proto !== Toolbox.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name.startsWith('_') || BLOCKED.has(name)) continue;
        const descriptor = Object.getOwnPropertyDescriptor(proto, name);
        if (typeof descriptor?.value === 'function') names.add(name);
      }
    }
    return [...names].sort();
  }

  /** A toolbox that finds its tools when prepared (it overrides `prepare()` or `tools()`). */
  static isDynamic(this: ToolboxClass): boolean {
    return this.prototype.prepare !== Toolbox.prototype.prepare || this.prototype.tools !== Toolbox.prototype.tools;
  }

  /** Its method tools, then those added with `addTool()`. */
  tools(): Tool[] {
    this.methodTools ??= this.makeMethodTools();
    return [...this.methodTools, ...this.extraTools];
  }

  /** Adds a tool (a Tool, or a function with a name). */
  addTool(tool: Tool | ToolImplementation, init: { name?: string; description?: string; inputSchema?: SchemaInput } = {}): void {
    const added = tool instanceof Tool ? tool : Tool.function(tool, { inputSchema: NO_ARGUMENTS, ...init });
    added.plugin ??= this.plugin;
    added.instance ??= this;
    this.extraTools.push(added);
  }

  /** Override to find tools (and `addTool()` them) before first use. Runs once. */
  async prepare(): Promise<void> {}

  /** Override to release what `prepare()` started (a process, a connection). */
  async close(): Promise<void> {}

  ensurePrepared(): Promise<void> {
    this.preparing ??= this.prepare();
    return this.preparing;
  }

  private makeMethodTools(): Tool[] {
    const cls = this.constructor as ToolboxClass & typeof Toolbox;
    const methods = cls.methods ?? {};
    return cls.methodNames().map((method) => {
      const fn = (this as unknown as Record<string, ToolImplementation>)[method]!;
      return new Tool({
        name: `${this.toolboxName}_${method}`,
        description: methods[method]?.description ?? null,
        inputSchema: methods[method]?.inputSchema ?? NO_ARGUMENTS,
        implementation: (args, call) => fn.call(this, args, call),
        plugin: this.plugin,
        instance: this,
      });
    });
  }
}

export function isToolboxClass(value: unknown): value is ToolboxClass {
  return typeof value === 'function' && (value.prototype as { [TOOLBOX]?: unknown } | undefined)?.[TOOLBOX] === true;
}
