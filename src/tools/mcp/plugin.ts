import type { LlmPlugin } from '../../plugins/types.js';
import { MCP } from './mcp-toolbox.js';

/** The plugin name recorded with MCP tools in logs.db (so `-c` rebuilds the toolbox). */
export const MCP_PLUGIN = 'llm-ts.mcp';

/** The built-in MCP toolbox: `-T 'MCP("...")'`. */
export const mcpPlugin: LlmPlugin = {
  name: MCP_PLUGIN,
  registerTools(register) {
    register(MCP);
  },
};
