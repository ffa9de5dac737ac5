import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { didYouMean } from '../util/suggest.js';
import { join } from 'node:path';
import { LlmError, UsageError } from '../errors.js';
import { userDir } from './user-dir.js';
import { importModule } from '../util/import-module.js';
import { getTemplateLoaders, splitLoaderPrefix } from '../plugins/loaders.js';
import { fetchTemplateText, isTemplateUrl } from './template-url.js';

/** A template could not be found, read or parsed. */
export class TemplateError extends LlmError {
  override readonly code = 'template';
}

/** A template refers to `$variables` that were not given. */
export class MissingVariablesError extends TemplateError {
  constructor(readonly missing: string[]) {
    super(`Missing variables: ${missing.join(', ')}`);
  }
}

/** The fields of a template file, as Python llm's `Template` model has them. */
export interface Template {
  name: string;
  prompt?: string | null;
  system?: string | null;
  attachments?: string[] | null;
  attachment_types?: { type: string; value: string }[] | null;
  model?: string | null;
  defaults?: Record<string, unknown> | null;
  options?: Record<string, unknown> | null;
  extract?: boolean | null;
  extract_last?: boolean | null;
  schema_object?: Record<string, unknown> | null;
  fragments?: string[] | null;
  system_fragments?: string[] | null;
  tools?: string[] | null;
  functions?: string | null;
  /** Set for a template read from a file (not from a plugin loader): only then do its `functions` run. */
  functionsTrusted?: boolean;
}

const FIELDS = new Set([
  'name',
  'prompt',
  'system',
  'attachments',
  'attachment_types',
  'model',
  'defaults',
  'options',
  'extract',
  'extract_last',
  'schema_object',
  'fragments',
  'system_fragments',
  'tools',
  'functions',
]);

/** The names of the templates saved in the user directory (none when it cannot be read). */
function savedTemplateNames(): string[] {
  try {
    return listTemplateNames();
  } catch {
    return [];
  }
}

export function templatesDir(): string {
  const dir = join(userDir(), 'templates');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A template name names a file inside templates/: no `/`, `\\`, `..` or NUL, not empty. */
export function isTemplateName(name: string): boolean {
  return name !== '' && !/[/\\\0]/.test(name) && !name.includes('..');
}

/** `templates/<name>.yaml`; a name that would lead outside the folder is refused. */
export function templatePath(name: string): string {
  if (!isTemplateName(name)) {
    throw new TemplateError(`Invalid template name: ${JSON.stringify(name)} (a name may not contain /, \\, .. or NUL)`);
  }
  return join(templatesDir(), `${name}.yaml`);
}

/** The names of the stored templates, sorted. */
export function listTemplateNames(): string[] {
  return readdirSync(templatesDir())
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/**
 * Loads a template: a URL (fetched, bounded in size and time), `prefix:rest` from the
 * plugin template loader registered for `prefix`, else a stored template by name, or a template file by path (`x.yaml` that exists).
 */
export async function loadTemplate(name: string): Promise<Template> {
  if (isTemplateUrl(name)) return parseTemplate(name, await fetchTemplateText(name));
  const prefixed = splitLoaderPrefix(name);
  if (prefixed && !existsSync(name)) return loadFromPlugin(name, ...prefixed);
  // A stored template by name; else, as Python llm does, a YAML file given by its path.
  let path = isTemplateName(name) ? templatePath(name) : undefined;
  let templateName = name;
  if ((path === undefined || !existsSync(path)) && /\.ya?ml$/.test(name) && existsSync(name)) {
    path = name;
    templateName = name.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  }
  if (path === undefined) templatePath(name); // throws, naming the rule
  if (path === undefined || !existsSync(path)) throw new TemplateError(`Invalid template: ${name}${didYouMean(name, savedTemplateNames())}`);
  const template = await parseTemplate(templateName, readFileSync(path, 'utf8'));
  // Read from the user's own files, as Python trusts them: its functions may run. Not a
  // field of the file, so not enumerable (never shown or saved).
  Object.defineProperty(template, 'functionsTrusted', { value: true, enumerable: false });
  return template;
}

async function loadFromPlugin(name: string, prefix: string, rest: string): Promise<Template> {
  const loader = getTemplateLoaders().get(prefix);
  if (!loader) throw new TemplateError(`Unknown template prefix: ${prefix}`);
  let loaded: unknown;
  try {
    loaded = await loader(rest);
  } catch (error) {
    throw new TemplateError(`Could not load template ${name}: ${(error as Error).message ?? error}`);
  }
  return templateFrom(rest, loaded);
}

/** Parses template YAML: a mapping of the known fields, or a bare string (the prompt). */
export async function parseTemplate(name: string, content: string): Promise<Template> {
  const YAML = await importModule<typeof import('yaml')>('yaml');
  let loaded: unknown;
  try {
    // Warnings (an unknown tag…) are ours to print, one line each, not the parser's own.
    const document = YAML.parseDocument(content, { logLevel: 'silent' });
    if (document.errors.length) throw document.errors[0];
    for (const warning of document.warnings) {
      process.stderr.write(`Warning: template ${name}: ${warning.message.split('\n')[0]}\n`);
    }
    loaded = document.toJS();
  } catch (error) {
    // The parser's first line ends with ':' before a quote of the source: the line alone is the message.
    const first = ((error as Error).message ?? '').split('\n')[0]!.replace(/:$/, '');
    throw new TemplateError(`Invalid YAML in template ${name}: ${first}`);
  }
  return templateFrom(name, loaded);
}

/**
 * A template from its parsed form (what a template file or a plugin's template loader
 * gives): a mapping of the known fields, a bare string (the prompt), or nothing.
 */
export function templateFrom(name: string, loaded: unknown): Template {
  if (typeof loaded === 'string') return { name, prompt: loaded };
  if (loaded === null || loaded === undefined) return { name };
  if (typeof loaded !== 'object' || Array.isArray(loaded)) {
    throw new TemplateError(`Template ${name} must be a YAML mapping or a string`);
  }
  const data = loaded as Record<string, unknown>;
  for (const key of Object.keys(data)) {
    if (!FIELDS.has(key)) throw new TemplateError(`Template ${name} has an unknown key: ${key}`);
  }
  const expect = (key: string, ok: (v: unknown) => boolean, what: string) => {
    const value = data[key];
    if (value !== undefined && value !== null && !ok(value)) {
      throw new TemplateError(`Template ${name}: ${key} must be ${what}`);
    }
  };
  const isString = (v: unknown) => typeof v === 'string';
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const isStringList = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  for (const key of ['prompt', 'system', 'model', 'functions']) expect(key, isString, 'a string');
  for (const key of ['defaults', 'options', 'schema_object']) expect(key, isObject, 'a mapping');
  for (const key of ['attachments', 'fragments', 'system_fragments', 'tools']) expect(key, isStringList, 'a list of strings');
  for (const key of ['extract', 'extract_last']) expect(key, (v) => typeof v === 'boolean', 'true or false');
  return { ...(data as Partial<Template>), name };
}

const VARIABLE = /\$(?:(\$)|([_a-z][_a-z0-9]*)|\{([_a-z][_a-z0-9]*)\}|())/gi;

/** The `$name` and `${name}` variables a text uses, in order, without repeats. */
export function templateVariables(text: string | null | undefined): string[] {
  if (!text) return [];
  const names: string[] = [];
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[2] ?? match[3];
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** Python's `string.Template.substitute`: `$$` is a dollar, every variable must be given. */
export function interpolate(text: string | null | undefined, params: Record<string, unknown>): string | undefined {
  if (text === null || text === undefined || text === '') return text ?? undefined;
  const missing = templateVariables(text).filter((name) => !(name in params));
  if (missing.length) throw new MissingVariablesError(missing);
  return text.replace(VARIABLE, (whole, dollar, named, braced) => {
    if (dollar) return '$';
    const name = named ?? braced;
    if (!name) return whole;
    const value = params[name];
    return typeof value === 'string' ? value : String(value);
  });
}

/**
 * Fills a template in: defaults under the given params, `$input` as the user's input.
 * With no template prompt the input is the prompt; otherwise, when the template does not
 * use `$input`, a non-empty input is added after the template's prompt on a new line.
 */
export function evaluateTemplate(
  template: Template,
  input: string | undefined,
  params: Record<string, string> = {},
): { prompt: string | undefined; system: string | undefined } {
  const values: Record<string, unknown> = { ...params, input: input ?? '' };
  for (const [key, value] of Object.entries(template.defaults ?? {})) {
    if (!(key in values)) values[key] = value;
  }
  if (!template.prompt) {
    return { prompt: input, system: interpolate(template.system, values) };
  }
  let prompt = interpolate(template.prompt, values);
  if (input && !templateVariables(template.prompt).includes('input')) prompt = `${prompt}\n${input}`;
  return { prompt, system: interpolate(template.system, values) };
}

/**
 * YAML the way Python llm writes templates, 4-space indent: keys sorted for
 * `templates show` (yaml.dump), in the order given for `--save` (sort_keys=False).
 */
export async function templateYaml(data: Record<string, unknown>, sortKeys = true): Promise<string> {
  const YAML = await importModule<typeof import('yaml')>('yaml');
  return YAML.stringify(data, { indent: 4, indentSeq: false, sortMapEntries: sortKeys, lineWidth: 0 });
}

/** Writes `templates/<name>.yaml`. */
export async function saveTemplate(name: string, data: Record<string, unknown>): Promise<string> {
  if (!isTemplateName(name) || name.startsWith('.')) throw new UsageError(`Invalid template name: ${name}`);
  const path = templatePath(name);
  writeFileSync(path, await templateYaml(data, false), 'utf8');
  return path;
}
