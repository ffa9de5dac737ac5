import type { Command } from 'commander';
import { addToolOptions, collect, type ToolFlags } from '../util.js';

export interface PromptFlags extends ToolFlags {
  system?: string;
  model?: string;
  database?: string;
  query?: string[];
  attachment?: string[];
  attachmentType?: string[];
  option?: string[];
  options?: boolean;
  schema?: string;
  schemaMulti?: string;
  fragment?: string[];
  systemFragment?: string[];
  template?: string;
  param?: string[];
  stream: boolean;
  noLog?: boolean;
  log?: boolean;
  continue?: boolean;
  conversation?: string;
  key?: string;
  save?: string;
  async?: boolean;
  usage?: boolean;
  maxCost?: string;
  force?: boolean;
  extract?: boolean;
  extractLast?: boolean;
  json?: boolean;
  hideReasoning?: boolean;
  md?: boolean;
  raw?: boolean
  timeout?: string;
  retry?: boolean;
}

const HELP = `Execute a prompt

Documentation: https://llm.datasette.io/en/stable/usage.html

Examples:

    llm 'Capital of France?'
    llm 'Capital of France?' -m gpt-4o
    llm 'Capital of France?' -s 'answer in Spanish'

Multi-modal models can be called with attachments like this:

    llm 'Extract text from this image' -a image.jpg
    llm 'Describe' -a https://static.simonwillison.net/static/2024/pelicans.jpg
    cat image | llm 'describe image' -a -
    # With an explicit mimetype:
    cat image | llm 'describe image' --at - image/jpeg

The -x/--extract option returns just the content of the first \`\`\` fenced code
block, if one is present. If none are present it returns the full response.

    llm 'JavaScript function for reversing a string' -x`;

export function register(program: Command): void {
  const command = program
    .command('prompt', { isDefault: true })
    .summary('Execute a prompt')
    .description(HELP)
    .argument('[prompt]', 'The prompt')
    .helpOption('-h, --help', 'Show this message and exit.')
    .option('-s, --system <text>', 'System prompt to use')
    .addOption(program.createOption('-m, --model <model>', 'Model to use').env('LLM_MODEL'))
    .option('-d, --database <file>', 'Path to log database')
    .option('-q, --query <text>', 'Use first model matching these strings', collect)
    .option('-a, --attachment <attachment>', 'Attachment path or URL or -', collect)
    .option('--at, --attachment-type <value type>', 'Attachment with explicit mimetype, --at image.jpg image/jpeg', collect)
    .option('-o, --option <key value>', 'key/value options for the model', collect)
    .option('--options', "Show the model's options and exit")
    .option('--schema <text>', 'JSON schema, filepath or ID')
    .option('--schema-multi <text>', 'JSON schema to use for multiple results')
    .option('-f, --fragment <fragment>', 'Fragment (alias, URL, hash or file path) to add to the prompt', collect)
    .option('--sf, --system-fragment <fragment>', 'Fragment to add to system prompt', collect)
    .option('-t, --template <name>', 'Template to use')
    .option('-p, --param <key value>', 'Parameters for template', collect)
    .option('--no-stream', 'Do not stream output')
    .option('-n, --no-log', "Don't log to database")
    .option('--log', 'Log prompt and response to the database')
    .option('-c, --continue', 'Continue the most recent conversation.')
    .option('--cid, --conversation <id>', 'Continue the conversation with the given ID.')
    .option('--key <key>', 'API key to use')
    .option('--save <name>', 'Save prompt with this template name')
    .option('--async', 'Run prompt asynchronously')
    .option('-u, --usage', 'Show token usage')
    .option('--max-cost <usd>', 'Do not send a request that would take the cost past this many USD')
    .option('--force', 'Send even when the daily or monthly budget is spent')
    .option('-x, --extract', 'Extract first fenced code block')
    .option('--xl, --extract-last', 'Extract last fenced code block')
    .option('--json', 'Output the logged response as JSON')
    .option('-R, --hide-reasoning', 'Do not show reasoning output')
    .option('--md', 'Render the answer as Markdown (default on a terminal)')
    .option('--no-md', 'Do not render Markdown: show the answer as it is')
    .option('--raw', 'Same as --no-md')
    .option('--timeout <seconds>', 'Seconds to wait for the model between two pieces of its answer (default 300, or LLM_TIMEOUT)')
    .option('--no-retry', 'Do not retry a request that failed (rate limits, server errors)');
  addToolOptions(command);
  const seen = new Set<string>();
  command.on('option:log', () => seen.add('log'));
  command.on('option:no-log', () => seen.add('no-log'));
  command.action(async (prompt: string | undefined, flags: Record<string, unknown>) => {
    const { runPrompt } = await import('../actions.js');
    await runPrompt(prompt, {
      ...(flags as unknown as PromptFlags),
      log: seen.has('log'),
      noLog: seen.has('no-log'),
    });
  });
}
