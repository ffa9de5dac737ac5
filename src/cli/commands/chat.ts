import type { Command } from 'commander';
import { addToolOptions, collect, type ToolFlags } from '../util.js';

export interface ChatFlags extends ToolFlags {
  system?: string;
  model?: string;
  continue?: boolean;
  conversation?: string;
  fragment?: string[];
  systemFragment?: string[];
  template?: string;
  param?: string[];
  option?: string[];
  database?: string;
  stream: boolean;
  hideReasoning?: boolean;
  md?: boolean;
  raw?: boolean;
  key?: string;
  timeout?: string;
  retry?: boolean;
}

export function register(program: Command): void {
  const command = program
    .command('chat')
    .summary('Hold an ongoing chat with a model.')
    .description('Hold an ongoing chat with a model.')
    .helpOption('-h, --help', 'Show this message and exit.')
    .option('-s, --system <text>', 'System prompt to use')
    .addOption(program.createOption('-m, --model <model>', 'Model to use').env('LLM_MODEL'))
    .option('-c, --continue', 'Continue the most recent conversation.')
    .option('--cid, --conversation <id>', 'Continue the conversation with the given ID.')
    .option('-f, --fragment <fragment>', 'Fragment (alias, URL, hash or file path) to add to the prompt', collect)
    .option('--sf, --system-fragment <fragment>', 'Fragment to add to system prompt', collect)
    .option('-t, --template <name>', 'Template to use')
    .option('-p, --param <key value>', 'Parameters for template', collect)
    .option('-o, --option <key value>', 'key/value options for the model', collect)
    .option('-d, --database <file>', 'Path to log database')
    .option('--no-stream', 'Do not stream output')
    .option('-R, --hide-reasoning', 'Do not show reasoning output')
    .option('--md', 'Render answers as Markdown (default on a terminal)')
    .option('--no-md', 'Do not render Markdown: show answers as they are')
    .option('--raw', 'Same as --no-md')
    .option('--timeout <seconds>', 'Seconds to wait for the model between two pieces of its answer (default 300, or LLM_TIMEOUT)')
    .option('--no-retry', 'Do not retry a request that failed (rate limits, server errors)')
    .option('--key <key>', 'API key to use');
  addToolOptions(command).action(async (flags: ChatFlags) => {
    const { runChat } = await import('../actions.js');
    await runChat(flags);
  });
}
