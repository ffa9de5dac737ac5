import type { LlmPlugin } from 'llm-ts';
import { CLAUDE_MODELS, ClaudeMessages } from './models.js';

export { ClaudeMessages, CLAUDE_MODELS } from './models.js';
export { WebSearch, CodeExecution } from './server-side-tools.js';

/** llm-ts-anthropic: Claude models through Anthropic's Messages API. */
const plugin: LlmPlugin = {
  name: 'llm-ts-anthropic',
  registerModels(register) {
    for (const entry of CLAUDE_MODELS) register(new ClaudeMessages(entry.id, entry.flags), null, entry.aliases);
  },
};

export default plugin;
