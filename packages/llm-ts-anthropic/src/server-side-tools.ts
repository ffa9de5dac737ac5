// Anthropic's server-side tools: web search (`web_search_20250305`) and code execution
// (`code_execution_20250522`, behind its beta header). Claude runs them; their calls come
// back as `server_tool_use` blocks and their results as `*_tool_result` blocks.
import { ServerSideTool, type ServerSideToolClass, UsageError } from 'llm-ts';

type Json = Record<string, unknown>;

function fail(cls: string, problem: string): never {
  throw new UsageError(`${cls}: ${problem}`);
}

function checkDomains(key: string, value: unknown): void {
  if (value === null) return;
  if (!Array.isArray(value) || !value.every((domain) => typeof domain === 'string' && domain)) fail('WebSearch', `${key} must be a list of domain names`);
}

/** Claude searches the web (and cites what it found); `max_uses` caps the searches per request. */
export class WebSearch extends ServerSideTool {
  static override readonly className = 'WebSearch';
  static override readonly toolName = 'web_search';
  static override readonly plugin: string | null = 'llm-anthropic';
  static override readonly defaults = { max_uses: null, allowed_domains: null, blocked_domains: null, user_location: null };
  static override readonly signature =
    '(max_uses: int | None = None, allowed_domains: list[str] | None = None, blocked_domains: list[str] | None = None, user_location: dict | None = None)';
  static override readonly description =
    "Search the web using Anthropic's server-side web search tool.\n\nLimit the number of searches with ``max_uses``, restrict or exclude\nsites with ``allowed_domains`` or ``blocked_domains`` (not both), and\nlocalize results with an approximate ``user_location`` such as\n``{\"city\": \"London\", \"country\": \"GB\"}``.";

  constructor(config: Json = {}) {
    super(config);
    const c = this.config;
    if (c.max_uses !== null && !(Number.isInteger(c.max_uses) && (c.max_uses as number) >= 1)) fail('WebSearch', 'max_uses must be a positive integer');
    checkDomains('allowed_domains', c.allowed_domains);
    checkDomains('blocked_domains', c.blocked_domains);
    if (c.allowed_domains !== null && c.blocked_domains !== null) fail('WebSearch', 'use allowed_domains or blocked_domains, not both');
    if (c.user_location !== null) {
      const location = c.user_location;
      if (typeof location !== 'object' || Array.isArray(location)) fail('WebSearch', 'user_location must be a dictionary');
      if (((location as Json).type ?? 'approximate') !== 'approximate') fail('WebSearch', 'user_location type must be approximate');
    }
  }

  override toolSpec(): Json {
    const c = this.config;
    const spec: Json = { type: 'web_search_20250305', name: 'web_search' };
    if (c.max_uses !== null) spec.max_uses = c.max_uses;
    if (c.allowed_domains !== null) spec.allowed_domains = [...(c.allowed_domains as string[])];
    if (c.blocked_domains !== null) spec.blocked_domains = [...(c.blocked_domains as string[])];
    if (c.user_location !== null) spec.user_location = { ...(c.user_location as Json), type: 'approximate' };
    return spec;
  }
}

export const CODE_EXECUTION_BETA = 'code-execution-2025-05-22';

/** Claude runs Python in Anthropic's sandbox. */
export class CodeExecution extends ServerSideTool {
  static override readonly className = 'CodeExecution';
  static override readonly toolName = 'code_execution';
  static override readonly plugin: string | null = 'llm-anthropic';
  static override readonly defaults = {};
  static override readonly signature = '()';
  static override readonly description = "Let Claude write and run Python code in Anthropic's sandboxed container.";

  override toolSpec(): Json {
    return { type: 'code_execution_20250522', name: 'code_execution' };
  }

  /** The tool needs its beta header: `betas` here become the request's `anthropic-beta`. */
  override prepareRequest(_model: unknown, request: Json): void {
    const betas = (request.betas ??= []) as string[];
    if (!betas.includes(CODE_EXECUTION_BETA)) betas.push(CODE_EXECUTION_BETA);
  }
}

/** Claude 3 (bar 3.5 Haiku and 3.7 Sonnet) predates code execution; the first Claude 3 models predate web search too. */
const NO_WEB_SEARCH = /^claude-3-(opus|sonnet|haiku)-|^claude-3-opus-latest$|^claude-3-5-sonnet-20240620$/;
const CODE_EXECUTION = /^claude-(3-5-haiku|3-7-sonnet|opus-4|sonnet-4|haiku-4|opus-[5-9]|sonnet-[5-9]|haiku-[5-9]|fable)/;

/** The server-side tools a Claude model takes. */
export function serverSideToolsFor(claudeModelId: string): ServerSideToolClass[] {
  const tools: ServerSideToolClass[] = [];
  if (!NO_WEB_SEARCH.test(claudeModelId)) tools.push(WebSearch);
  if (CODE_EXECUTION.test(claudeModelId)) tools.push(CodeExecution);
  return tools;
}
