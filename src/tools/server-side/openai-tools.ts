// OpenAI's own server-side tools for Responses models, as Python's openai_models.py defines
// them: the options are checked here (one line each when wrong) and mapped to the request.
import { UsageError } from '../../errors.js';
import { ServerSideTool } from './server-side-tool.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function fail(cls: string, problem: string): never {
  throw new UsageError(`${cls}: ${problem}`);
}

/** Adds `value` to the request's `include` list once. */
export function addInclude(body: Json, value: string): void {
  const include = (body.include ??= []) as string[];
  if (!include.includes(value)) include.push(value);
}

const SEARCH_CONTEXT_SIZES = ['low', 'medium', 'high'];
const RETURN_TOKEN_BUDGETS = ['default', 'unlimited'];
const SEARCH_CONTENT_TYPES = ['text', 'image'];

/** OpenAI's hosted web search: `{"type": "web_search", ...}`. */
export class WebSearch extends ServerSideTool {
  static override readonly className = 'WebSearch';
  static override readonly toolName = 'web_search';
  static override readonly defaults = {
    allowed_domains: null,
    blocked_domains: null,
    user_location: null,
    search_context_size: null,
    external_web_access: null,
    return_token_budget: null,
    search_content_types: null,
    image_settings: null,
    include_sources: false,
    include_results: false,
  };
  static override readonly signature =
    "(allowed_domains: list[str] | None = None, blocked_domains: list[str] | None = None, user_location: dict | None = None, search_context_size: Optional[Literal['low', 'medium', 'high']] = None, external_web_access: bool | None = None, return_token_budget: Optional[Literal['default', 'unlimited']] = None, search_content_types: list[typing.Literal['text', 'image']] | None = None, image_settings: dict | None = None, include_sources: bool = False, include_results: bool = False)";
  static override readonly description =
    "Search the web using OpenAI's hosted search tool.\n\nConfigure domain filters, approximate location, result context, live web\naccess and image search through constructor arguments. Set\n``include_sources`` to retain every consulted URL or ``include_results``\nto retain raw results such as image search results.";

  constructor(config: Json = {}) {
    super(config);
    const c = this.config;
    const name = 'WebSearch';
    for (const key of ['allowed_domains', 'blocked_domains']) checkDomains(name, key, c[key]);
    if (c.search_context_size !== null && !SEARCH_CONTEXT_SIZES.includes(c.search_context_size as string)) {
      fail(name, 'search_context_size must be one of: low, medium or high');
    }
    if (c.external_web_access !== null && typeof c.external_web_access !== 'boolean') fail(name, 'external_web_access must be a boolean');
    if (c.return_token_budget !== null && !RETURN_TOKEN_BUDGETS.includes(c.return_token_budget as string)) {
      fail(name, 'return_token_budget must be default or unlimited');
    }
    if (c.search_content_types !== null) {
      if (!Array.isArray(c.search_content_types)) fail(name, 'search_content_types must be a list');
      if (c.search_content_types.some((type) => !SEARCH_CONTENT_TYPES.includes(type))) fail(name, 'search_content_types must contain text and/or image');
    }
    if (c.user_location !== null) {
      if (!isObject(c.user_location)) fail(name, 'user_location must be a dictionary');
      if ((c.user_location.type ?? 'approximate') !== 'approximate') fail(name, 'user_location type must be approximate');
    }
    if (c.image_settings !== null) {
      if (!isObject(c.image_settings)) fail(name, 'image_settings must be a dictionary');
      const { max_results: maxResults, caption } = c.image_settings;
      if (maxResults !== undefined && maxResults !== null && !(Number.isInteger(maxResults) && (maxResults as number) >= 1)) {
        fail(name, 'image_settings max_results must be a positive integer');
      }
      if (caption !== undefined && caption !== null && typeof caption !== 'boolean') fail(name, 'image_settings caption must be a boolean');
    }
    if (typeof c.include_sources !== 'boolean') fail(name, 'include_sources must be a boolean');
    if (typeof c.include_results !== 'boolean') fail(name, 'include_results must be a boolean');
  }

  override toolSpec(): Json {
    const c = this.config;
    const spec: Json = { type: 'web_search' };
    if (c.allowed_domains !== null || c.blocked_domains !== null) {
      const filters: Json = {};
      if (c.allowed_domains !== null) filters.allowed_domains = [...(c.allowed_domains as string[])];
      if (c.blocked_domains !== null) filters.blocked_domains = [...(c.blocked_domains as string[])];
      spec.filters = filters;
    }
    for (const key of ['user_location', 'search_context_size', 'external_web_access', 'return_token_budget', 'search_content_types', 'image_settings']) {
      const value = c[key];
      if (value === null) continue;
      // Python fills in the location's type (after the keys given).
      spec[key] = key === 'user_location' ? { ...(value as Json), type: (value as Json).type ?? 'approximate' } : structuredClone(value);
    }
    return spec;
  }

  override prepareRequest(_model: unknown, body: Json): void {
    if (this.config.include_sources) addInclude(body, 'web_search_call.action.sources');
    if (this.config.include_results) addInclude(body, 'web_search_call.results');
  }
}

function checkDomains(cls: string, key: string, domains: unknown): void {
  if (domains === null) return;
  if (!Array.isArray(domains)) fail(cls, `${key} must be a list`);
  if (domains.length > 100) fail(cls, `${key} cannot contain more than 100 domains`);
  for (const domain of domains) {
    if (typeof domain !== 'string' || !domain) fail(cls, `${key} entries must be non-empty strings`);
    if (/^https?:\/\//i.test(domain)) fail(cls, `${key} entries must omit the URL scheme`);
  }
}

const MEMORY_LIMITS = ['1g', '4g', '16g', '64g'];

/** Python in an OpenAI-managed container: `{"type": "code_interpreter", "container": ...}`. */
export class CodeInterpreter extends ServerSideTool {
  static override readonly className = 'CodeInterpreter';
  static override readonly toolName = 'code_interpreter';
  static override readonly defaults = { container: null, memory_limit: null, file_ids: null };
  static override readonly signature =
    "(container: str | None = None, memory_limit: Optional[Literal['1g', '4g', '16g', '64g']] = None, file_ids: list[str] | None = None)";
  static override readonly description =
    'Run Python in an OpenAI-managed container.\n\nWith no ``container`` argument OpenAI creates or reuses an automatic\ncontainer. ``memory_limit`` and ``file_ids`` configure that automatic\ncontainer. Pass an existing ``cntr_`` ID as ``container`` to use it\nexplicitly instead.';

  constructor(config: Json = {}) {
    super(config);
    const { container, memory_limit: memoryLimit, file_ids: fileIds } = this.config;
    const name = 'CodeInterpreter';
    if (container !== null && typeof container !== 'string') fail(name, 'container must be a string container ID');
    if (memoryLimit !== null && !MEMORY_LIMITS.includes(memoryLimit as string)) fail(name, 'memory_limit must be one of: 1g, 4g, 16g or 64g');
    if (container !== null && (memoryLimit !== null || fileIds !== null)) fail(name, 'container cannot be combined with memory_limit or file_ids');
    if (fileIds !== null && !(Array.isArray(fileIds) && fileIds.every((id) => typeof id === 'string'))) fail(name, 'file_ids must be a list of file IDs');
  }

  override toolSpec(): Json {
    const { container, memory_limit: memoryLimit, file_ids: fileIds } = this.config;
    if (container !== null) return { type: 'code_interpreter', container };
    const auto: Json = { type: 'auto' };
    if (memoryLimit !== null) auto.memory_limit = memoryLimit;
    if (fileIds !== null) auto.file_ids = [...(fileIds as string[])];
    return { type: 'code_interpreter', container: auto };
  }

  override prepareRequest(_model: unknown, body: Json): void {
    addInclude(body, 'code_interpreter_call.outputs');
  }
}
