import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { NeedsKeyError, UsageError } from '../../errors.js';
import { Attachment } from '../../models/attachment.js';
import { getKey } from '../../config/keys.js';
import { multiSchema, schemaDsl, type JsonSchema } from '../../models/schema.js';
import { providerFetch } from '../../streaming/http.js';
import { OpenAIChat, type OpenAIModelConfig, OpenAIResponses } from './models.js';
import { baseUrl, requestHeaders } from './shared.js';
import { readStdinBytes, type ToolFlags } from '../../cli/util.js';
import { evaluateTemplate, loadTemplate, templateVariables, type Template } from '../../config/templates.js';

/** The actions behind `llm openai ...` (src/cli/commands/openai.ts declares the flags). */

export interface EndpointFlags extends ToolFlags {
  model?: string;
  template?: string;
  param?: string[];
  chat?: boolean;
  system?: string;
  option?: string[];
  schema?: string;
  schemaMulti?: string;
  attachment?: string[];
  attachmentType?: string[];
  key?: string;
  header?: string[];
  responses?: boolean;
  models?: boolean;
  stream: boolean;
  hideReasoning?: boolean;
}

function splitPair(value: string, flag: string): [string, string] {
  const index = value.indexOf('=');
  if (index <= 0) throw new UsageError(`${flag} needs two values: ${flag} KEY VALUE`);
  return [value.slice(0, index), value.slice(index + 1)];
}

const MIME_TAIL = /^[A-Za-z0-9][\w.+-]*\/[\w.+-]+$/;

function splitAttachmentType(value: string): [string, string] {
  for (let i = value.indexOf('='); i !== -1; i = value.indexOf('=', i + 1)) {
    if (i > 0 && MIME_TAIL.test(value.slice(i + 1))) return [value.slice(0, i), value.slice(i + 1)];
  }
  throw new UsageError('--at needs a value and a MIME type: --at PATH_OR_URL TYPE');
}

/** `created` as Python's `datetime.fromtimestamp(ts, timezone.utc).isoformat()` writes it. */
export function isoFromTimestamp(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Python's `dicts_to_table_string`: columns padded to their widest value, four spaces apart. */
export function tableLines(headings: string[], rows: Record<string, unknown>[]): string[] {
  const widths = headings.map((h) => Math.max(h.length, ...rows.map((r) => String(r[h] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('    ');
  return [line(headings), ...rows.map((r) => line(headings.map((h) => String(r[h] ?? ''))))];
}

async function getJson(url: string, key: string | undefined, headers?: Record<string, string>): Promise<unknown> {
  const response = await providerFetch(url, { method: 'GET', headers: requestHeaders(key, headers) }, { provider: 'OpenAI', secrets: [key] });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${url} did not return JSON: ${text.slice(0, 200)}`);
  }
}

function modelList(body: unknown, url: string): Record<string, unknown>[] {
  const data = (body as { data?: unknown })?.data;
  if (!Array.isArray(data)) throw new UsageError(`${url} did not return a list of models`);
  return data as Record<string, unknown>[];
}

/** `llm openai models [--json] [--key]`. */
export async function listOpenAIModels(flags: { json?: boolean; key?: string }): Promise<void> {
  const key = getKey({ explicit: flags.key, alias: 'openai', envVar: 'OPENAI_API_KEY' });
  if (!key) {
    throw new NeedsKeyError("No key found - add one using 'llm keys set openai' or set the OPENAI_API_KEY environment variable");
  }
  const url = `${baseUrl({})}/models`;
  const models = modelList(await getJson(url, key), url);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(models, null, 4)}\n`);
    return;
  }
  const rows = models.map((m) => ({
    id: m.id,
    owned_by: m.owned_by,
    created: typeof m.created === 'number' ? isoFromTimestamp(m.created) : String(m.created ?? ''),
  }));
  process.stdout.write(`${tableLines(['id', 'owned_by', 'created'], rows).join('\n')}\n`);
}

function resolveSchema(value: string): JsonSchema {
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed) as JsonSchema;
    } catch (error) {
      throw new UsageError(`Invalid JSON schema: ${(error as Error).message}`);
    }
  }
  if (existsSync(value)) {
    try {
      return JSON.parse(readFileSync(value, 'utf8')) as JsonSchema;
    } catch (error) {
      throw new UsageError(`Schema file ${value} is not valid JSON: ${(error as Error).message}`);
    }
  }
  return schemaDsl(value);
}

async function resolveAttachment(value: string, type?: string): Promise<Attachment> {
  if (value === '-') {
    const content = new Uint8Array(await readStdinBytes());
    const attachment = new Attachment({ content, type });
    await attachment.resolveType();
    return attachment;
  }
  if (value.includes('://')) return new Attachment({ url: value, type });
  if (!existsSync(value)) throw new UsageError(`File ${value} does not exist`);
  return new Attachment({ path: value, type });
}

/** Python's `"input" in template.vars()`. */
function usesInput(template: Template): boolean {
  return [template.prompt, template.system].some((text) => templateVariables(text).includes('input'));
}

/** `llm openai endpoint URL [PROMPT]`: runs once against any OpenAI-compatible API; never logs. */
export async function runEndpoint(url: string, promptArg: string | undefined, flags: EndpointFlags): Promise<void> {
  let prompt = promptArg;
  const headers: Record<string, string> = {};
  for (const pair of flags.header ?? []) {
    const [name, value] = splitPair(pair, '-H/--header');
    headers[name] = value;
  }
  if (flags.models) {
    if (prompt !== undefined) throw new UsageError('--models cannot be used with a prompt');
    if (flags.template) throw new UsageError('--models cannot be used with --template');
    if (flags.tool?.length) throw new UsageError('--models cannot be used with tools');
    if (flags.schema || flags.schemaMulti) throw new UsageError('--models cannot be used with schemas');
    // Only a key given with --key is ever sent to this endpoint.
    const key = flags.key ? getKey({ explicit: flags.key }) : undefined;
    const listUrl = `${baseUrl({ apiBase: url })}/models`;
    for (const model of modelList(await getJson(listUrl, key, headers), listUrl)) process.stdout.write(`${String(model.id)}\n`);
    return;
  }
  if (flags.chat && prompt !== undefined) throw new UsageError('--chat cannot be used with a prompt');

  let schema: JsonSchema | undefined;
  if (flags.schemaMulti) schema = multiSchema(resolveSchema(flags.schemaMulti));
  else if (flags.schema) schema = resolveSchema(flags.schema);

  // A template gives the model, schema, options, tools and attachments the flags leave out.
  let template: Template | undefined;
  if (flags.template) template = await loadTemplate(flags.template);
  const modelId = flags.model || template?.model || undefined;
  if (!modelId) throw new UsageError('--model is required unless --models or a template model is used');
  if (!schema && template?.schema_object) schema = template.schema_object as JsonSchema;
  const toolNames = [...(template?.tools ?? []), ...(flags.tool ?? [])];

  const config: OpenAIModelConfig = {
    modelId,
    modelName: modelId,
    apiBase: url,
    headers,
    vision: true,
    audio: !flags.responses,
    // Capabilities that do nothing until used, offered optimistically as Python does.
    reasoning: true,
    verbosity: true,
    imageDetailOriginal: true,
    supportsSchema: true,
    supportsTools: true,
  };
  if (flags.responses) config.reasoningSummary = false;
  const model = flags.responses ? new OpenAIResponses(config) : new OpenAIChat(config);
  // Never send the stored OpenAI key to an arbitrary endpoint: only --key.
  if (!flags.key) model.needsKey = null;
  model.keyEnvVar = null;

  const options: Record<string, unknown> = {};
  for (const pair of flags.option ?? []) {
    const [name, value] = splitPair(pair, '-o/--option');
    options[name] = value;
  }
  for (const [name, value] of Object.entries(template?.options ?? {})) if (!(name in options)) options[name] = value;
  // Checked now, before anything is read or sent.
  model.validate(options);
  const params: Record<string, string> = {};
  for (const pair of flags.param ?? []) {
    const [name, value] = splitPair(pair, '-p/--param');
    params[name] = value;
  }
  const tools = toolNames.length ? await import('../../cli/run-tools.js') : undefined;
  // Checked (and toolboxes prepared) before anything is read or sent; closed when done.
  const toolRun = await tools?.toolChainSettings(toolNames, flags, tools.askOnStdin, [], model.supportedServerSideTools);
  const settings = toolRun?.settings;

  const attachments: Attachment[] = [];
  for (const value of template?.attachments ?? []) attachments.push(await resolveAttachment(value));
  for (const { value, type } of template?.attachment_types ?? []) attachments.push(await resolveAttachment(value, type));
  for (const value of flags.attachment ?? []) attachments.push(await resolveAttachment(value));
  for (const value of flags.attachmentType ?? []) {
    const [path, type] = splitAttachmentType(value);
    attachments.push(await resolveAttachment(path, type));
  }

  if (flags.chat) {
    // `--chat`: the chat loop of `llm chat`, with this model and nothing logged.
    await toolRun?.close(); // the chat builds its own
    const { runChat } = await import('../../cli/run-chat.js');
    await runChat(
      { ...flags, model: modelId, tool: toolNames, option: [], stream: flags.stream !== false },
      { model, label: `${modelId} at ${url}`, options, attachments, schema },
    );
    return;
  }

  const stdinUsed = (flags.attachment ?? []).includes('-') || (flags.attachmentType ?? []).some((v) => v.startsWith('-='));
  if (!stdinUsed) {
    if (!process.stdin.isTTY) {
      const piped = (await readStdinBytes()).toString('utf8');
      if (piped) prompt = [piped, prompt].filter((p) => p !== undefined).join(' ');
    } else if (prompt === undefined && !attachments.length && !schema && (!template || usesInput(template))) {
      prompt = (await readStdinBytes()).toString('utf8');
    }
  }
  let system = flags.system;
  if (template) {
    const evaluated = evaluateTemplate(template, prompt, params);
    prompt = evaluated.prompt;
    if (!system && evaluated.system) system = evaluated.system;
  }
  if (prompt === undefined && !attachments.length && !schema) {
    throw new UsageError('A prompt is required when stdin is not interactive');
  }

  const input = {
    system,
    attachments,
    schema,
    options,
    stream: flags.stream !== false,
    hideReasoning: !!flags.hideReasoning,
    ...(flags.key ? { key: flags.key } : {}),
  };
  if (settings) {
    // With tools: the model's calls run and their results go back until it answers.
    try {
      await tools!.writeChain(model.conversation().chain(prompt ?? '', { ...input, ...settings }), input.stream, () => undefined);
    } finally {
      await toolRun?.close();
    }
    return;
  }
  const response = model.prompt(prompt ?? '', input);
  // Reasoning goes to stderr as it arrives, kept apart from the answer on stdout.
  let seen = 0;
  let reasoningOpen = false;
  const flushReasoning = () => {
    for (const count = response.streamEventCount; seen < count; seen++) {
      const event = response.streamEventAt(seen);
      if (event.type !== 'reasoning' || !event.text || event.redacted || flags.hideReasoning) continue;
      process.stderr.write(event.text);
      reasoningOpen = true;
    }
  };
  for await (const chunk of response) {
    flushReasoning();
    if (reasoningOpen) {
      process.stderr.write('\n\n');
      reasoningOpen = false;
    }
    if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
  }
  flushReasoning();
  if (reasoningOpen) process.stderr.write('\n');
  process.stdout.write('\n');
}
