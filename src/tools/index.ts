// Tools beyond a single function: toolboxes, tool specs, MCP servers, tools from code files.
export { Toolbox, isToolboxClass, type ToolboxClass, type ToolboxMethod } from './toolbox.js';
export { parseToolSpec, type ToolSpec } from './spec.js';
export { instantiateToolbox, resolveToolSpecs, type ResolvedTool } from './resolve.js';
export { closeToolboxes, prepareResolved, type PreparedTools } from './prepare.js';
export { gatherTools } from './gather.js';
export { loadFunctions, toolsFromModule, jsDocComments, type LoadedFunctions } from './functions.js';
