import { Tool, type ToolImplementation } from '../models/tools.js';
import { eachPlugin } from './registry.js';

/** Every tool the plugins register (their `registerTools` hook), by name; later names win. */
export function getTools(): Map<string, Tool> {
  const tools = new Map<string, Tool>();
  eachPlugin((plugin) =>
    plugin.registerTools?.((tool, name) => {
      let made: Tool;
      if (tool instanceof Tool) made = name && name !== tool.name ? new Tool({ ...toolInit(tool), name }) : tool;
      else if (typeof tool === 'function') made = Tool.function(tool as ToolImplementation, { name });
      else throw new TypeError(`registerTools: ${String(tool)} is not a Tool or a function`);
      made.plugin ??= plugin.name;
      tools.set(made.name, made);
    }),
  );
  return tools;
}

function toolInit(tool: Tool) {
  return { description: tool.description, inputSchema: tool.inputSchema, implementation: tool.implementation, plugin: tool.plugin };
}
