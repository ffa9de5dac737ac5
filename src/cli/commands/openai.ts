import type { Command } from 'commander';
import { addToolOptions, collect } from '../util.js';

/** `llm openai models` and `llm openai endpoint`: loaded lazily from the OpenAI provider. */
export function register(program: Command): void {
  const group = program
    .command('openai')
    .description('Commands for working with OpenAI and OpenAI-compatible APIs')
    .helpOption('-h, --help', 'Show this message and exit.');

  group
    .command('models')
    .description('List models available to you from the OpenAI API')
    .helpOption('-h, --help', 'Show this message and exit.')
    .option('--json', 'Output as JSON')
    .option('--key <key>', 'OpenAI API key')
    .action(async (flags: { json?: boolean; key?: string }) => {
      const { listOpenAIModels } = await import('../actions.js');
      await listOpenAIModels(flags);
    });

  const endpoint = group
    .command('endpoint')
    .description(
      `Run against an OpenAI-compatible endpoint without logging.

PROMPT or stdin is executed once. If neither is provided, wait for input on
stdin. Use --chat to start an interactive chat. Templates run once by default;
use --chat to apply one interactively. Use --models to list the available model
IDs without running a prompt.`,
    )
    .helpOption('-h, --help', 'Show this message and exit.')
    .argument('<url>', 'Base URL of the API, e.g. http://localhost:8080/v1')
    .argument('[prompt]', 'The prompt')
    .option('-m, --model <model>', 'Model ID (required unless --models or provided by template)')
    .option('-s, --system <text>', 'System prompt to use')
    .option('-t, --template <template>', 'Template to use')
    .option('-p, --param <key value>', 'Parameters for template', collect)
    .option('-o, --option <key value>', 'key/value options for the model', collect)
    .option('--schema <text>', 'JSON schema, filepath or concise schema')
    .option('--schema-multi <text>', 'JSON schema to use for multiple results')
    .option('-a, --attachment <attachment>', 'Attachment path or URL or -', collect)
    .option('--at, --attachment-type <value type>', 'Attachment with explicit mimetype, --at image.jpg image/jpeg', collect);
  addToolOptions(endpoint)
    .option('--key <key>', 'API key or stored key alias to send')
    .option('-H, --header <name value>', 'Additional HTTP header', collect)
    .option('--responses', 'Use the Responses API instead of Chat Completions')
    .option('--chat', 'Start an interactive chat')
    .option('--models', 'List model IDs from the endpoint and exit')
    .option('--no-stream', 'Do not stream output')
    .option('-R, --hide-reasoning', 'Hide reasoning output')
    .action(async (url: string, prompt: string | undefined, flags: Record<string, unknown>) => {
      const { runEndpoint } = await import('../actions.js');
      await runEndpoint(url, prompt, flags as never);
    });
}
