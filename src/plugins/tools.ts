import { Tool, type ToolImplementation } from '../models/tools.js';
import { type ToolboxClass, isToolboxClass } from '../tools/toolbox.js';
import { eachPlugin } from './registry.js';

/** A registered tool, or a registered toolbox class with the plugin that registered it. */
export type RegisteredTool = Tool | { toolbox: ToolboxClass; plugin: string | null };

/**
 * Every tool and toolbox class the plugins register (their `registerTools` hook), by name;
 * later names win. A toolbox class is listed under its toolbox name (or the name given).
 */
export function getTools(): Map<string, RegisteredTool> {
  const tools = new Map<string, RegisteredTool>();
  eachPlugin((plugin) =>
    plugin.registerTools?.((tool, name) => {
      if (isToolboxClass(tool)) {
        tools.set(name ?? tool.toolboxName ?? tool.name, { toolbox: tool, plugin: plugin.name });
        return;
      }
      let made: Tool;
      if (tool instanceof Tool) made = name && name !== tool.name ? new Tool({ ...toolInit(tool), name }) : tool;
      else if (typeof tool === 'function') made = Tool.function(tool as ToolImplementation, { name });
      else throw new TypeError(`registerTools: ${String(tool)} is not a Tool, a Toolbox class or a function`);
      made.plugin ??= plugin.name;
      tools.set(made.name, made);
    }),
  );
  return tools;
}

function toolInit(tool: Tool) {
  return { description: tool.description, inputSchema: tool.inputSchema, implementation: tool.implementation, plugin: tool.plugin };
}
