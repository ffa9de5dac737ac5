// Server-side tools: run by the provider, declared by the models that take them.
export { ServerSideTool, isServerSideTool, checkServerSideTools, serverSideToolsIn, type ServerSideToolClass } from './server-side-tool.js';
export { WebSearch, CodeInterpreter } from './openai-tools.js';
