import { echoPlugin } from '../providers/echo/plugin.js';
import { openaiPlugin } from '../providers/openai/plugin.js';
import { mcpPlugin } from '../tools/mcp/plugin.js';
import { defaultToolsPlugin } from './default-tools.js';
import type { LlmPlugin } from './types.js';

/** The plugins that ship inside the package: always on, never imported lazily. */
export function builtinPlugins(): LlmPlugin[] {
  return [openaiPlugin, echoPlugin, defaultToolsPlugin, mcpPlugin];
}
