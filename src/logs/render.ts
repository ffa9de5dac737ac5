import type { LogRow } from './reader.js';
import { incompleteMarker } from './reader.js';
import { importModule } from '../util/import-module.js';
import { pythonDumps } from './json.js';
import { formatCost } from '../pricing/cost.js';
import { pythonRepr } from '../models/schema.js';

const isHigh = (code: number) => (code & 0xfc00) === 0xd800;
const isLow = (code: number) => (code & 0xfc00) === 0xdc00;

/** The first `n` characters (code points) of `text`, without walking the rest of it. */
function firstChars(text: string, n: number): string {
  let i = 0;
  for (let count = 0; count < n && i < text.length; count++) i += isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1)) ? 2 : 1;
  return text.slice(0, i);
}

/** The last `n` characters (code points) of `text`. */
function lastChars(text: string, n: number): string {
  let i = text.length;
  for (let count = 0; count < n && i > 0; count++) i -= i >= 2 && isLow(text.charCodeAt(i - 1)) && isHigh(text.charCodeAt(i - 2)) ? 2 : 1;
  return text.slice(i);
}

/** Python llm's `truncate_string`, counting characters as Python does: an emoji is one, never cut in half. */
export function truncateString(text: string | null, max = 100, normalizeWhitespace = false, keepEnd = false): string | null {
  if (!text) return text;
  const value = normalizeWhitespace ? text.replace(/\s+/g, ' ') : text;
  if (value.length <= max || firstChars(value, max).length === value.length) return value;
  if (keepEnd && max >= 9) {
    const cutoff = Math.floor((max - 5) / 2);
    return firstChars(value, cutoff) + '... ' + lastChars(value, cutoff);
  }
  return firstChars(value, max - 3) + '...';
}

export function tokenUsageString(input: number | null, output: number | null, details: unknown): string {
  const bits: string[] = [];
  if (input !== null && input !== undefined) bits.push(`${input.toLocaleString('en-US')} input`);
  if (output !== null && output !== undefined) bits.push(`${output.toLocaleString('en-US')} output`);
  if (details && typeof details === 'object' && Object.keys(details).length) bits.push(pythonDumps(details));
  return bits.join(', ');
}

/** The `## Token usage` line of `llm logs -u`: the details in a code span, as Python's Markdown has them. */
export function tokenUsageMarkdown(input: number | null, output: number | null, details: unknown): string {
  const usage = tokenUsageString(input, output, null);
  if (!details || typeof details !== 'object' || !Object.keys(details).length) return usage;
  const span = inlineCode(pythonDumps(details));
  return usage ? `${usage}, ${span}` : span;
}

/** A Markdown code span long enough that backticks inside survive (Python's `_inline_code`). */
export function inlineCode(value: string): string {
  let ticks = 1;
  while (value.includes('`'.repeat(ticks))) ticks++;
  const delimiter = '`'.repeat(ticks);
  if (value.startsWith('`') || value.endsWith('`')) return `${delimiter} ${value} ${delimiter}`;
  return `${delimiter}${value}${delimiter}`;
}

/** A fenced block indented to nest in a list item (Python's `_fenced_block`). */
function fencedBlock(value: string): string {
  let ticks = 3;
  while (value.includes('`'.repeat(ticks))) ticks++;
  const fence = '`'.repeat(ticks);
  return indent(`${fence}\n${value}\n${fence}`, '    ');
}

/** A tool call's arguments: one line per key, strings as fenced blocks (Python's layout). */
function toolCallArguments(args: unknown): string {
  if (!args || typeof args !== 'object' || Array.isArray(args) || !Object.keys(args).length) {
    return `    Arguments: ${inlineCode(pythonDumps(args ?? null))}`;
  }
  const lines: string[] = [];
  for (const [key, value] of Object.entries(args as Record<string, unknown>)) {
    if (typeof value === 'string') lines.push(`    ${key}:`, fencedBlock(value));
    else lines.push(`    ${key}: ${inlineCode(pythonDumps(value))}`);
  }
  return lines.join('\n');
}

/** The first (or last) fenced code block's contents, as `llm logs -x/--xl` print it. */
export function extractFencedCodeBlock(text: string | null, last = false): string | undefined {
  if (!text) return undefined;
  const pattern = /^(`{3,})(\w+)?\n([\s\S]*?)^\1 *(?=\n|$)/gm;
  const found = [...text.matchAll(pattern)];
  if (!found.length) return undefined;
  return (last ? found[found.length - 1]! : found[0]!)[3];
}

/** Python's `str()` of a JSON value: `True`, `None`, `{'a': 1}`. */
function pyStr(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${pythonRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  return String(value);
}

function pyRepr(value: unknown): string {
  return typeof value === 'string' ? pythonRepr(value) : pyStr(value);
}

function indent(text: string, prefix: string): string {
  return text
    .split(/(?<=\n)/)
    .map((line) => (line.trim() ? prefix + line : line))
    .join('');
}

/** `--json`: the rows, with `-t` truncating prompt/response and dropping every `*_json` key. */
export function renderJson(rows: LogRow[], truncate = false): string {
  const out = rows.map((row) => {
    const copy: Record<string, unknown> = { ...row };
    if (truncate) {
      copy.prompt = truncateString(row.prompt ?? '');
      copy.response = truncateString(row.response ?? '');
      for (const key of Object.keys(copy)) if (key.endsWith('_json') && copy[key] !== null) delete copy[key];
    }
    return copy;
  });
  return JSON.stringify(out, null, 2).replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** `--short`: a YAML list per row. */
export async function renderShort(rows: LogRow[], usage: boolean): Promise<string> {
  const YAML = await importModule<typeof import('yaml')>('yaml');
  const chunks: string[] = [];
  for (const row of rows) {
    const system = truncateString(row.system ?? '', 120, true);
    const prompt = truncateString(row.prompt ?? '', 120, true, true);
    const obj: Record<string, unknown> = {
      model: row.model,
      datetime: (row.datetime_utc ?? '').split('.')[0],
      conversation: row.conversation_id,
    };
    if (row.tool_calls.length) obj.tool_calls = row.tool_calls.map((c) => `${c.name}(${pythonDumps(c.arguments)})`);
    if (row.tool_results.length) obj.tool_results = row.tool_results.map((r) => `${r.name}: ${truncateString(r.output)}`);
    if (system) obj.system = system;
    if (prompt) obj.prompt = prompt;
    if (row.attachments.length) {
      obj.attachments = row.attachments.map((a) => {
        const d: Record<string, unknown> = { type: a.type };
        if (a.path) d.path = a.path;
        if (a.url) d.url = a.url;
        return d;
      });
    }
    obj.prompt_fragments = row.prompt_fragments.map((f) => f.hash);
    obj.system_fragments = row.system_fragments.map((f) => f.hash);
    if (usage && (row.input_tokens || row.output_tokens)) {
      const u: Record<string, unknown> = { input: row.input_tokens, output: row.output_tokens };
      if (row.token_details) u.details = row.token_details;
      if (row.cost !== undefined) u.cost = row.cost ? row.cost.total : 'unknown';
      obj.usage = u;
    }
    if (incompleteMarker(row)) obj.incomplete = true;
    chunks.push(YAML.stringify([obj], { version: '1.1', indentSeq: false, lineWidth: 0, singleQuote: true }).trim());
  }
  return chunks.join('\n');
}

/** The Markdown layout of `llm logs`. `conversationMode` shows the header only once. */
export function renderMarkdown(rows: LogRow[], options: { conversationMode?: boolean; usage?: boolean; expand?: boolean } = {}): string {
  const lines: string[] = [];
  const echo = (text: string) => lines.push(text);
  const fragments = (list: LogRow['prompt_fragments'], title: string) => {
    if (!list.length) return;
    const content = options.expand
      ? list.map((f) => `<details><summary>${f.hash}</summary>\n${maybeFenced(f.content)}\n</details>`).join('\n')
      : list.map((f) => `- ${f.hash}`).join('\n');
    echo(`\n### ${title}\n\n${content}`);
  };
  let currentSystem: string | null = null;
  let showConversation = true;
  const seenTools = new Set<string>();
  for (const row of rows) {
    echo(
      `# ${(row.datetime_utc ?? '').split('.')[0]}${showConversation ? `    conversation: ${row.conversation_id} id: ${row.id}` : ''}\n${
        showConversation ? `\nModel: **${row.model}**${row.resolved_model ? ` (resolved: **${row.resolved_model}**)` : ''}\n` : ''
      }`,
    );
    if (options.conversationMode) showConversation = false;
    echo(`## Prompt\n\n${row.prompt || '-- none --'}`);
    fragments(row.prompt_fragments, 'Prompt fragments');
    const opts = row.options_json && typeof row.options_json === 'object' ? Object.entries(row.options_json as Record<string, unknown>) : [];
    if (opts.length) echo(`\n## Options\n\n${opts.map(([k, v]) => `- ${k}: ${pyStr(v)}`).join('\n')}`);
    if (row.system !== currentSystem) {
      if (row.system !== null) echo(`\n## System\n\n${row.system}`);
      currentSystem = row.system;
    }
    fragments(row.system_fragments, 'System fragments');
    if (row.schema_json) echo(`\n## Schema\n\n\`\`\`json\n${pythonDumps(row.schema_json, 2)}\n\`\`\``);
    if (row.tools.length) {
      echo('\n### Tools\n');
      const echoTool = (tool: LogRow['tools'][number], prefix = '') => {
        let block: string;
        if (seenTools.has(tool.hash)) block = `- **${tool.name}**: \`${tool.hash.slice(0, 7)}\``;
        else {
          seenTools.add(tool.hash);
          const properties = (tool.input_schema as { properties?: unknown })?.properties ?? {};
          block = `- **${tool.name}**: \`${tool.hash}\`  \n${indent((tool.description ?? '').trimEnd(), '    ')}  \n    Arguments: \`${pythonDumps(properties)}\``;
        }
        echo(indent(block, prefix));
      };
      // Tools of one configured toolbox instance nest beneath one line for it.
      const byInstance = new Map<string, { name: string; args: string; tools: LogRow['tools'] }>();
      for (const tool of row.tools) {
        const instance = tool.instance as { name?: string; arguments?: string } | null | undefined;
        if (!instance) {
          echoTool(tool);
          continue;
        }
        const key = JSON.stringify([instance.name, instance.arguments]);
        if (!byInstance.has(key)) byInstance.set(key, { name: instance.name ?? '', args: instance.arguments ?? '', tools: [] });
        byInstance.get(key)!.tools.push(tool);
      }
      for (const { name, args, tools } of byInstance.values()) {
        echo(`- \`${name}(${args && args !== '{}' ? args : ''})\`:`);
        for (const tool of tools) echoTool(tool, '    ');
      }
    }
    if (row.tool_results.length) {
      echo('\n### Tool results\n');
      for (const result of row.tool_results) {
        let attachments = '';
        for (const a of result.attachments as { type?: string; path?: string; url?: string; content?: unknown; content_length?: number }[]) {
          let desc = a.type ? `${a.type}: ` : '';
          if (a.path) desc += a.path;
          else if (a.url) desc += a.url;
          else if (a.content) desc += `<${(a.content_length ?? 0).toLocaleString('en-US')} bytes>`;
          attachments += `\n    - ${desc}`;
        }
        echo(
          `- **${result.name}**: \`${result.tool_call_id ?? 'None'}\`  \n${fencedBlock(result.output)}${
            result.exception ? `  \n    **Error**: ${result.exception}\n` : ''
          }${attachments}`,
        );
      }
    }
    if (row.attachments.length) {
      echo('\n### Attachments\n');
      row.attachments.forEach((a, i) => {
        if (a.path) echo(`${i + 1}. **${a.type}**: \`${a.path}\``);
        else if (a.url) echo(`${i + 1}. **${a.type}**: ${a.url}`);
        else if (a.content_length) echo(`${i + 1}. **${a.type}**: \`<${a.content_length.toLocaleString('en-US')} bytes>\``);
      });
    }
    if (row.reasoning) echo(`\n## Reasoning\n\n${row.reasoning.trimEnd()}`);
    let response = row.response;
    if (row.schema_json && response) {
      try {
        response = '```json\n' + pythonDumps(JSON.parse(response), 2) + '\n```';
      } catch {
        // Not JSON: shown as it is.
      }
    }
    echo('\n## Response\n');
    if (row.tool_calls.length) {
      echo('### Tool calls\n');
      for (const call of row.tool_calls) echo(`- **${call.name}**: \`${call.tool_call_id ?? 'None'}\`  \n${toolCallArguments(call.arguments)}`);
      echo('');
    }
    if (response) echo(`${response}\n`);
    const incomplete = incompleteMarker(row);
    if (incomplete) echo(`**Incomplete**: ${incomplete.error ?? 'the response was cut off'}\n`);
    if (options.usage) {
      const usage = tokenUsageMarkdown(row.input_tokens, row.output_tokens, row.token_details);
      const cost = row.cost === undefined ? '' : `, cost: ${formatCost(row.cost)}`;
      if (usage) echo(`## Token usage\n\n${usage}${cost}\n`);
    }
  }
  // Each piece is one click.echo in Python: it ends with a newline of its own.
  return lines.map((line) => line + '\n').join('');
}

function maybeFenced(text: string): string {
  if (!text.includes('\n')) return text;
  let fence = '```';
  while (text.includes(fence)) fence += '`';
  return `${fence}\n${text}\n${fence}`;
}
