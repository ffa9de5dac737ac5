// Gemini's server-side tools, as Python's llm-gemini defines them: Google Search grounding,
// URL context and code execution. Gemini runs them; their calls and results come back as
// parts (`toolCall`/`toolResponse`, `executableCode`/`codeExecutionResult`).
import { ServerSideTool, type ServerSideToolClass } from 'llm-ts';

type Json = Record<string, unknown>;

/** What a request needs of the model to use these tools. */
interface GeminiModelLike {
  geminiModelId: string;
}

/**
 * Gemini 3 (and the -latest aliases) report server tool invocations and can mix them with
 * function tools; Python's `_supports_server_tool_context`.
 */
export function supportsServerToolContext(geminiModelId: string): boolean {
  return geminiModelId.startsWith('gemini-3') || geminiModelId === 'gemini-flash-latest' || geminiModelId === 'gemini-flash-lite-latest';
}

/** Python's `_prepare_server_tool_request`: ask Gemini 3 to report the tools' invocations. */
function prepareServerToolRequest(model: unknown, body: Json): void {
  if (!supportsServerToolContext((model as GeminiModelLike).geminiModelId)) return;
  const toolConfig = (body.toolConfig ??= {}) as Json;
  toolConfig.includeServerSideToolInvocations = true;
  ((toolConfig.functionCallingConfig ??= {}) as Json).mode = 'VALIDATED';
}

/** What Gemini's server-side tools share: no arguments, and the Gemini 3 request settings. */
abstract class GeminiServerSideTool extends ServerSideTool {
  static override readonly plugin: string | null = 'llm-gemini';
  static override readonly defaults = {};
  static override readonly signature = '()';

  override prepareRequest(model: unknown, body: Json): void {
    prepareServerToolRequest(model, body);
  }
}

export class GoogleSearch extends GeminiServerSideTool {
  static override readonly className = 'GoogleSearch';
  static override readonly toolName = 'google_search';
  static override readonly description = 'Ground responses using up-to-date information from Google Search.';

  override toolSpec(): Json {
    return { googleSearch: {} };
  }
}

export class URLContext extends GeminiServerSideTool {
  static override readonly className = 'URLContext';
  static override readonly toolName = 'url_context';
  static override readonly description = 'Fetch and use content from URLs included in the prompt.';

  override toolSpec(): Json {
    return { urlContext: {} };
  }
}

export class CodeExecution extends GeminiServerSideTool {
  static override readonly className = 'CodeExecution';
  static override readonly toolName = 'code_execution';
  static override readonly description = 'Let Gemini write and execute Python code while answering.';

  override toolSpec(): Json {
    return { codeExecution: {} };
  }
}

/** The server-side tools a Gemini model takes (Python's `supported_server_side_tools`). */
export function serverSideToolsFor(geminiModelId: string, caps: { googleSearch: boolean; urlContext: boolean }): ServerSideToolClass[] {
  const tools: ServerSideToolClass[] = [];
  if (caps.googleSearch) tools.push(GoogleSearch);
  if (caps.urlContext) tools.push(URLContext);
  // Python's `_supports_code_execution`.
  if (['gemini-2.5', 'gemini-3', 'gemini-flash'].some((prefix) => geminiModelId.startsWith(prefix))) tools.push(CodeExecution);
  return tools;
}

/** Python's `SERVER_TOOL_NAMES`: Gemini's tool types as logged tool names. */
const SERVER_TOOL_NAMES: Record<string, string> = {
  GOOGLE_SEARCH: 'google_search',
  GOOGLE_SEARCH_WEB: 'google_search',
  URL_CONTEXT: 'url_context',
  CODE_EXECUTION: 'code_execution',
};

export function serverToolName(toolType: unknown): string {
  if (typeof toolType !== 'string' || !toolType) return 'server_side_tool';
  return SERVER_TOOL_NAMES[toolType] ?? toolType.toLowerCase();
}
