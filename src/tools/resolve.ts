// From the specs `-T` names (`llm_version`, `Memory`, `MCP("name")`) to tools and configured toolboxes.
import { UsageError } from '../errors.js';
import { Tool } from '../models/tools.js';
import { type RegisteredTool, getTools } from '../plugins/tools.js';
import { type ToolSpec, parseToolSpec } from './spec.js';
import type { Toolbox, ToolboxClass } from './toolbox.js';
import { type ServerSideTool, type ServerSideToolClass } from './server-side/server-side-tool.js';

/** What a spec names: a plain tool, a configured (not yet prepared) toolbox, or a server-side tool. */
export type ResolvedTool = Tool | Toolbox | ServerSideTool;

/**
 * The tools and toolboxes the specs name, in order (a plain tool named twice once). An
 * unknown name is one error listing the known ones; a bad spec, one line saying what is wrong.
 */
export function resolveToolSpecs(
  specs: readonly string[],
  available: Map<string, RegisteredTool> = getTools(),
  serverSide: readonly ServerSideToolClass[] = [],
): ResolvedTool[] {
  const parsed = specs.map((spec) => ({ spec, parsed: parseToolSpec(spec) }));
  // The model's server-side tool classes are named too (`WebSearch`), as Python's _gather_tools adds them.
  const serverSideByName = new Map(serverSide.map((cls) => [cls.className, cls]));
  const known = (name: string) => available.has(name) || serverSideByName.has(name);
  const missing = parsed.filter(({ parsed }) => !known(parsed.name)).map(({ spec }) => spec);
  if (missing.length) {
    const names = [...new Set([...available.keys(), ...serverSideByName.keys()])];
    throw new UsageError(`Tool(s) ${missing.join(', ')} not found. Available tools: ${names.join(', ')}`);
  }
  const out: ResolvedTool[] = [];
  for (const { spec, parsed: one } of parsed) {
    const serverSideClass = serverSideByName.get(one.name);
    if (serverSideClass) {
      out.push(instantiateServerSideTool(serverSideClass, one));
      continue;
    }
    const entry = available.get(one.name)!;
    if (entry instanceof Tool) {
      if (one.called) throw new UsageError(`Invalid tool spec '${spec}': ${one.name} is a tool, not a toolbox: name it without arguments`);
      if (!out.includes(entry)) out.push(entry);
    } else out.push(instantiateToolbox(entry.toolbox, one, entry.plugin));
  }
  return out;
}

/** Puts a spec's positional values in `config` under the parameters' names, in order, as Python binds them. */
function bindPositional(spec: ToolSpec, parameters: readonly string[], config: Record<string, unknown>): void {
  if (spec.positional.length > parameters.length) {
    throw new UsageError(`${spec.name} takes at most ${parameters.length} positional argument(s) (${parameters.join(', ')})`);
  }
  spec.positional.forEach((value, index) => {
    const key = parameters[index]!;
    if (Object.hasOwn(spec.keywords, key)) throw new UsageError(`${spec.name}() got multiple values for argument '${key}'`);
    config[key] = value;
  });
}

/** A toolbox built from a parsed spec: keywords as its configuration, a positional value as its first parameter. */
export function instantiateToolbox(cls: ToolboxClass, spec: ToolSpec, plugin: string | null = null): Toolbox {
  const config: Record<string, unknown> = { ...spec.keywords };
  const parameters = cls.parameters;
  if (spec.positional.length) {
    if (!parameters?.length) throw new UsageError(`${spec.name} takes no positional argument: use ${spec.name}(key=value)`);
    bindPositional(spec, parameters, config);
  }
  if (parameters) {
    const unexpected = Object.keys(config).filter((key) => !parameters.includes(key));
    if (unexpected.length) {
      throw new UsageError(`${spec.name}() got an unexpected keyword argument '${unexpected[0]}' (it takes ${parameters.join(', ')})`);
    }
  }
  let toolbox: Toolbox;
  try {
    toolbox = new cls(config);
  } catch (error) {
    throw new UsageError(`${spec.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  toolbox.plugin ??= plugin;
  return toolbox;
}

/** A server-side tool built from a parsed spec: `WebSearch`, `CodeInterpreter(memory_limit="4g")`, `CodeInterpreter("cntr_1")`. */
export function instantiateServerSideTool(cls: ServerSideToolClass, spec: ToolSpec): ServerSideTool {
  const config: Record<string, unknown> = { ...spec.keywords };
  bindPositional(spec, Object.keys(cls.defaults), config);
  try {
    return new cls(config);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${spec.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
