import type { Command } from 'commander';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  const mcp = program
    .command('mcp')
    .summary('Manage MCP servers named in mcp.json')
    .description(
      'Manage MCP servers named in mcp.json\n\nA server added here is used as a toolbox:\n\n    llm -T \'MCP("name")\' \'...\'',
    )
    .helpOption('-h, --help', 'Show this message and exit.');

  mcp
    .command('list', { isDefault: true })
    .description('List the MCP servers in mcp.json')
    .option('--json', 'Output as JSON')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (flags: { json?: boolean }) => {
      const { mcpList } = await import('../actions.js');
      mcpList(flags);
    });

  mcp
    .command('add')
    .description(
      'Add (or replace) an MCP server: a URL, or a command line for a stdio server\n\nExamples:\n\n' +
        '    llm mcp add everything \'npx -y @modelcontextprotocol/server-everything\'\n' +
        "    llm mcp add docs https://example.com/mcp --key docs\n" +
        '    llm mcp add local node -- server.js --verbose',
    )
    .argument('<name>')
    .argument('<server>', 'http(s):// URL, or a command line')
    .argument('[args...]', 'more arguments for the command')
    .option('-e, --env <KEY=VALUE>', 'Environment variable for a stdio server', collect)
    .option('--header <NAME: VALUE>', 'HTTP header to send', collect)
    .option('--key <name>', 'Stored key (llm keys set) sent as Authorization: Bearer')
    .option('--type <type>', 'http, sse or stdio (default: from the server)')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (name: string, server: string, args: string[], flags: { env?: string[]; header?: string[]; key?: string; type?: string }) => {
      const { mcpAdd } = await import('../actions.js');
      mcpAdd(name, server, args, flags);
    });

  mcp
    .command('remove')
    .description('Remove an MCP server from mcp.json')
    .argument('<name>')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (name: string) => {
      const { removeMcpServer } = await import('../actions.js');
      removeMcpServer(name);
    });

  mcp
    .command('path')
    .description('Output the path to the mcp.json file')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async () => {
      const { mcpConfigPath } = await import('../actions.js');
      process.stdout.write(mcpConfigPath() + '\n');
    });
}
