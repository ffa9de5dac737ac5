// `llm prompt -T ...`: the prompt as a tool chain, each response logged as it completes.
import type { Conversation } from '../models/conversation.js';
import type { PromptInput } from '../models/prompt.js';
import type { LogsDatabase } from '../logs/database.js';
import type { PromptFlags } from './commands/prompt.js';
import { approveToolCall, chainLimitFrom, debugToolCall, toolsByName, writeChain } from './run-tools.js';

export async function runToolChain(
  conversation: Conversation,
  text: string,
  input: PromptInput,
  flags: PromptFlags,
  database: () => LogsDatabase | undefined,
): Promise<void> {
  const chainLimit = chainLimitFrom(flags.chainLimit);
  const chain = conversation.chain(text, {
    ...input,
    tools: toolsByName(flags.tool ?? []),
    chainLimit,
    beforeCall: flags.toolsApprove ? approveToolCall : undefined,
    afterCall: flags.toolsDebug ? debugToolCall : undefined,
  });
  await writeChain(chain, input.stream !== false, (response) => database()?.logResponse(response));
}
