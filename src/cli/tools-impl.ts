// `llm tools list [TOOL_DEFS...]`.
import { pythonDumps } from '../logs/json.js';
import { toJsonSchema } from '../models/schema.js';
import { Tool } from '../models/tools.js';
import { getTools } from '../plugins/tools.js';
import { getModel } from '../plugins/registry.js';
import type { ServerSideToolClass } from '../tools/server-side/server-side-tool.js';
import { type Toolbox, type ToolboxClass, gatherTools, loadFunctions, prepareResolved } from '../tools/index.js';
import { Toolbox as ToolboxBase } from '../tools/toolbox.js';

/** `name(arg: type, ...)` from the input schema: what Python shows as the function's signature. */
function signature(name: string, schema: Record<string, unknown>): string {
  const properties = (schema.properties ?? {}) as Record<string, { type?: unknown }>;
  const args = Object.entries(properties).map(([arg, spec]) => (spec?.type ? `${arg}: ${String(spec.type)}` : arg));
  return `${name}(${args.join(', ')})`;
}

interface ToolInfo {
  name: string;
  description: string | null;
  arguments: Record<string, unknown>;
}

interface ToolboxInfo {
  /** The heading: the spec it was built from, or the class's name. */
  heading: string;
  name: string;
  dynamic: boolean;
  /** A class not instantiated: its constructor signature and description are shown. */
  cls?: ToolboxClass;
  plugin: string | null;
  tools: ToolInfo[];
}

/** The method tools a toolbox class declares, as `llm tools` lists them without an instance. */
async function classTools(cls: ToolboxClass): Promise<ToolInfo[]> {
  const methods = cls.methods ?? {};
  const name = cls.toolboxName ?? cls.name;
  return Promise.all(
    (cls as unknown as typeof ToolboxBase).methodNames().map(async (method) => ({
      name: `${name}_${method}`,
      description: methods[method]?.description ?? null,
      arguments: methods[method]?.inputSchema ? await toJsonSchema(methods[method].inputSchema) : { properties: {}, type: 'object' },
    })),
  );
}

function toolInfo(tool: Tool): ToolInfo {
  return { name: tool.name, description: tool.description, arguments: tool.inputSchema };
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export async function listTools(specs: readonly string[], flags: { json?: boolean; functions?: string[]; model?: string }): Promise<void> {
  const functions = flags.functions ?? [];
  // -m: the model's server-side tools too (an unknown model is an error before anything else).
  const model = flags.model === undefined ? undefined : getModel(flags.model);
  const serverSide = model && serverSideToolInfo(model.supportedServerSideTools);
  const modelId = model?.modelId;
  const tools: Tool[] = [];
  const toolboxes: ToolboxInfo[] = [];
  let close = async () => {};
  try {
    if (specs.length) {
      const resolved = await gatherTools(specs, functions);
      const prepared = await prepareResolved(resolved);
      close = prepared.close;
      // The --functions tools come first, then one item per spec.
      const headings = [...Array<string | undefined>(resolved.length - specs.length).fill(undefined), ...specs];
      resolved.forEach((item, index) => {
        if (item instanceof Tool) tools.push(item);
        else {
          const toolbox = item as Toolbox;
          const cls = toolbox.constructor as typeof ToolboxBase;
          toolboxes.push({
            heading: headings[index] ?? toolbox.toolboxName,
            name: toolbox.toolboxName,
            dynamic: cls.isDynamic(),
            plugin: toolbox.plugin,
            tools: toolbox.tools().map(toolInfo),
          });
        }
      });
    } else {
      const registered = getTools();
      for (const source of functions) {
        const loaded = await loadFunctions(source);
        for (const tool of loaded.tools) registered.set(tool.name, tool);
        for (const [name, toolbox] of loaded.toolboxes) registered.set(name, { toolbox, plugin: null });
      }
      for (const [name, entry] of registered) {
        if (entry instanceof Tool) tools.push(entry);
        else {
          const cls = entry.toolbox as ToolboxClass & typeof ToolboxBase;
          toolboxes.push({ heading: name, name, dynamic: cls.isDynamic(), cls, plugin: entry.plugin, tools: await classTools(cls) });
        }
      }
    }
    await Promise.all(tools.map((tool) => tool.resolveSchema()));
    tools.sort(byName);
    toolboxes.sort(byName);
    if (flags.json) {
      const out = {
        tools: tools.map((tool) => ({ name: tool.name, description: tool.description, arguments: tool.inputSchema, plugin: tool.plugin })),
        toolboxes: toolboxes.map((box) => ({ name: box.name, dynamic: box.dynamic, tools: box.tools })),
        ...(serverSide ? { server_side_tools: serverSide } : {}),
      };
      process.stdout.write(pythonDumps(out, 2) + '\n');
      return;
    }
    process.stdout.write(textListing(tools, toolboxes) + (serverSide?.length ? serverSideListing(modelId!, serverSide) : ''));
  } finally {
    await close();
  }
}

/** Python's layout: each entry and each description followed by a blank line. */
function textListing(tools: readonly Tool[], toolboxes: readonly ToolboxInfo[]): string {
  const lines: string[] = [];
  const indent = (text: string, by: string) => text.trim().replace(/^(?=.)/gm, by);
  for (const tool of tools) {
    lines.push(`${signature(tool.name, tool.inputSchema)}${tool.plugin ? ` (plugin: ${tool.plugin})` : ''}`);
    if (tool.description) lines.push(indent(tool.description, '  '));
  }
  for (const box of toolboxes) {
    if (box.dynamic && box.cls) {
      lines.push(`${box.name}${box.cls.signature ?? '(...)'}${box.plugin ? ` (plugin: ${box.plugin})` : ''}`);
      if (box.cls.description) lines.push(indent(box.cls.description, '  '));
    } else lines.push(`${box.heading}:`);
    for (const tool of box.tools) {
      lines.push(`  ${signature(tool.name, tool.arguments)}`);
      if (tool.description) lines.push(indent(tool.description, '    '));
    }
  }
  return lines.map((line) => line + '\n\n').join('');
}

interface ServerSideToolInfo {
  name: string;
  description: string | null;
  signature: string;
  server_side: true;
}

/** The model's server-side tool classes as Python's `llm tools -m` describes them. */
function serverSideToolInfo(classes: readonly ServerSideToolClass[]): ServerSideToolInfo[] {
  return classes.map((cls) => ({ name: cls.className, description: cls.description, signature: cls.signature ?? '(...)', server_side: true }));
}

/** After the tools, as Python prints them: a heading, then each class's signature and description. */
function serverSideListing(modelId: string, tools: readonly ServerSideToolInfo[]): string {
  const lines = [`Server-side tools for ${modelId} (executed by the provider):`];
  for (const tool of tools) {
    lines.push(`${tool.name}${tool.signature}`);
    if (tool.description) lines.push(tool.description.replace(/^(?=.)/gm, '  '));
  }
  return lines.map((line) => line + '\n\n').join('');
}
