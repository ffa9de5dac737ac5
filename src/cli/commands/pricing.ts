// `llm prices`, `llm prices update`, `llm usage`, `llm count`, `llm budget`: declared here,
// run by ../pricing-impl.ts (loaded only when one of them runs).
import type { Command } from 'commander';

export interface UsageFlags {
  by?: string;
  since?: string;
  model?: string;
  json?: boolean;
  csv?: boolean;
  database?: string;
  refresh?: boolean;
}

export interface CountFlags {
  model?: string;
  system?: string;
  fragment?: string[];
  systemFragment?: string[];
  attachment?: string[];
  json?: boolean;
  key?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function register(program: Command): void {
  const prices = program
    .command('prices')
    .summary('Show the price list costs are computed from')
    .description('Show the price list costs are computed from: its source and date, or one model\'s prices')
    .helpOption('-h, --help', 'Show this message and exit.');
  prices
    .command('show', { isDefault: true })
    .description('Show the price list in use, or the prices of one model')
    .option('-m, --model <model>', 'Show the prices of this model (USD per million tokens)')
    .option('--json', 'Output as JSON')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (flags: { model?: string; json?: boolean }) => (await import('../pricing-impl.js')).showPrices(flags));
  prices
    .command('update')
    .description('Fetch a newer price list into the user directory (never done unless asked)')
    .argument('[source]', 'URL or file of a genai-prices data.json (default: genai-prices on GitHub)')
    .option('--reset', 'Remove the fetched list and go back to the bundled snapshot')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (source: string | undefined, flags: { reset?: boolean }) => (await import('../pricing-impl.js')).updatePrices(source, flags));

  program
    .command('count')
    .description('Count the input tokens of a prompt without sending it: exact where the provider can count, else an estimate')
    .argument('[prompt]', 'The prompt (else read from stdin)')
    .addOption(program.createOption('-m, --model <model>', 'Model to count for').env('LLM_MODEL'))
    .option('-s, --system <text>', 'System prompt')
    .option('-f, --fragment <fragment>', 'Fragment to add to the prompt', collect)
    .option('--sf, --system-fragment <fragment>', 'Fragment to add to the system prompt', collect)
    .option('-a, --attachment <attachment>', 'Attachment path or URL', collect)
    .option('--key <key>', 'API key to use (for a provider\'s counting endpoint)')
    .option('--json', 'Output as JSON')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (prompt: string | undefined, flags: CountFlags) => (await import('../pricing-impl.js')).countPrompt(prompt, flags));

  const budget = program
    .command('budget')
    .summary('Show or set a daily and monthly budget')
    .description('Show or set a daily and monthly budget (USD): prompts warn at 80 % and are refused at 100 % unless --force')
    .helpOption('-h, --help', 'Show this message and exit.');
  budget
    .command('show', { isDefault: true })
    .description('Show each budget and what has been spent against it')
    .option('--json', 'Output as JSON')
    .option('-d, --database <path>', 'Path to log database')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (flags: { json?: boolean; database?: string }) => (await import('../pricing-impl.js')).showBudget(flags));
  budget
    .command('set')
    .description('Set the daily and/or monthly budget in USD')
    .option('--daily <usd>', 'Most to spend in a day (UTC)')
    .option('--monthly <usd>', 'Most to spend in a calendar month (UTC)')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (flags: { daily?: string; monthly?: string }) => (await import('../pricing-impl.js')).setBudget(flags));
  budget
    .command('clear')
    .description('Remove the budget')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async () => (await import('../pricing-impl.js')).clearBudgetCommand());

  program
    .command('usage')
    .description('Show tokens and costs of logged prompts, totalled by model, day, week, month or conversation')
    .option('-b, --by <grouping>', 'model, day, week, month, conversation or total', 'model')
    .option('-s, --since <date>', 'Only prompts on or after this date (YYYY-MM-DD, UTC)')
    .option('-m, --model <model>', 'Only prompts to this model')
    .option('--json', 'Output as JSON')
    .option('--csv', 'Output as CSV')
    .option('--refresh', 'Price every logged prompt again')
    .option('-d, --database <path>', 'Path to log database')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (flags: UsageFlags) => (await import('../pricing-impl.js')).showUsage(flags));
}
