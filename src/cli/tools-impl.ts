// `llm tools list`.
import { pythonDumps } from '../logs/json.js';
import { getTools } from '../plugins/tools.js';

/** `name(arg: type, ...)` from the input schema: what Python shows as the function's signature. */
function signature(name: string, schema: Record<string, unknown>): string {
  const properties = (schema.properties ?? {}) as Record<string, { type?: unknown }>;
  const args = Object.entries(properties).map(([arg, spec]) => (spec?.type ? `${arg}: ${String(spec.type)}` : arg));
  return `${name}(${args.join(', ')})`;
}

export async function listTools(flags: { json?: boolean }): Promise<void> {
  const tools = [...getTools().values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  await Promise.all(tools.map((tool) => tool.resolveSchema()));
  if (flags.json) {
    const out = {
      tools: tools.map((tool) => ({ name: tool.name, description: tool.description, arguments: tool.inputSchema, plugin: tool.plugin })),
      toolboxes: [],
    };
    process.stdout.write(pythonDumps(out, 4) + '\n');
    return;
  }
  const lines: string[] = [];
  for (const tool of tools) {
    lines.push(`${signature(tool.name, tool.inputSchema)}${tool.plugin ? ` (plugin: ${tool.plugin})` : ''}\n`);
    if (tool.description) lines.push(tool.description.trim().replace(/^(?=.)/gm, '  ') + '\n');
  }
  process.stdout.write(lines.map((line) => line + '\n').join(''));
}
