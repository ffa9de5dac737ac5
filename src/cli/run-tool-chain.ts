// `llm prompt -T ...`: the prompt as a tool chain, each response logged as it completes.
import type { Conversation } from '../models/conversation.js';
import type { PromptInput } from '../models/prompt.js';
import type { LogsDatabase } from '../logs/database.js';
import { writeChain, type ToolChainSettings } from './run-tools.js';

export async function runToolChain(
  conversation: Conversation,
  text: string,
  input: PromptInput,
  settings: ToolChainSettings,
  database: () => LogsDatabase | undefined,
): Promise<void> {
  const chain = conversation.chain(text, { ...input, ...settings });
  await writeChain(chain, input.stream !== false, (response) => database()?.logResponse(response));
}
