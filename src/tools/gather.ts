import { Tool } from '../models/tools.js';
import { getTools } from '../plugins/tools.js';
import { loadFunctions } from './functions.js';
import { type ResolvedTool, resolveToolSpecs } from './resolve.js';
import type { ToolboxClass } from './toolbox.js';
import type { ServerSideToolClass } from './server-side/server-side-tool.js';

/**
 * Python's `_gather_tools`: the tools of `--functions` code first, then one per -T spec
 * (plugin tools and toolboxes, and toolbox classes the code defines). A toolbox class from
 * code that no spec names is used as it is, with no configuration. `serverSide`: the model's
 * server-side tool classes, which specs may name too.
 */
export async function gatherTools(
  specs: readonly string[],
  functions: readonly string[] = [],
  serverSide: readonly ServerSideToolClass[] = [],
): Promise<ResolvedTool[]> {
  const available = getTools();
  const fromCode: ResolvedTool[] = [];
  const classes = new Map<string, ToolboxClass>();
  for (const source of functions) {
    const loaded = await loadFunctions(source);
    fromCode.push(...loaded.tools);
    for (const [name, cls] of loaded.toolboxes) {
      classes.set(name, cls);
      available.set(name, { toolbox: cls, plugin: null });
    }
  }
  const named = resolveToolSpecs(specs, available, serverSide);
  const configured = new Set(named.filter((item) => !(item instanceof Tool)).map((item) => item.constructor));
  for (const cls of classes.values()) if (!configured.has(cls)) fromCode.push(new cls());
  return [...fromCode, ...named];
}
