import { pythonDumps } from '../logs/json.js';
import type { Attachment } from './attachment.js';
import { CancelToolCall, PauseChain, type Tool, type ToolCall, ToolOutput, type ToolResult } from './tools.js';

/** Called before each call with the tool (undefined when there is none by that name). May throw CancelToolCall. */
export type BeforeCall = (tool: Tool | undefined, toolCall: ToolCall) => unknown;
/** Called after each executed call with its result. */
export type AfterCall = (tool: Tool, toolCall: ToolCall, toolResult: ToolResult) => unknown;

export interface ToolCallbacks {
  beforeCall?: BeforeCall;
  afterCall?: AfterCall;
}

/**
 * Runs tool calls one after another, as Python's `Response.execute_tool_calls` does: an
 * unknown tool, a thrown error or a cancellation becomes an `Error: ...`/`Cancelled: ...`
 * result for the model to see; a PauseChain stops everything.
 */
export async function executeToolCalls(tools: readonly Tool[], calls: readonly ToolCall[], callbacks: ToolCallbacks = {}): Promise<ToolResult[]> {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const results: ToolResult[] = [];
  for (const call of calls) {
    const tool = byName.get(call.name);
    if (callbacks.beforeCall) {
      try {
        await callbacks.beforeCall(tool, call);
      } catch (error) {
        if (!(error instanceof CancelToolCall)) throw error;
        results.push({ name: call.name, output: `Cancelled: ${error.message}`, toolCallId: call.toolCallId, exception: error });
        continue;
      }
    }
    if (!tool) {
      const message = `tool "${call.name}" does not exist`;
      const exception = new Error(message);
      exception.name = 'KeyError';
      results.push({ name: call.name, output: `Error: ${message}`, toolCallId: call.toolCallId, exception });
      continue;
    }
    if (!tool.implementation) throw new TypeError(`No implementation available for tool: ${call.name}`);
    let output: string;
    let attachments: Attachment[] = [];
    let exception: Error | undefined;
    try {
      let value = await tool.implementation({ ...call.arguments }, call);
      if (value instanceof ToolOutput) {
        attachments = value.attachments;
        value = value.output;
      }
      output = typeof value === 'string' ? value : jsonOf(value);
    } catch (error) {
      if (error instanceof PauseChain) {
        error.toolCall = call;
        error.toolResults = [...results];
        throw error;
      }
      exception = error instanceof Error ? error : new Error(String(error));
      output = `Error: ${exception.message}`;
    }
    const result: ToolResult = { name: call.name, output, attachments, toolCallId: call.toolCallId, exception, instance: tool.instance };
    if (callbacks.afterCall) await callbacks.afterCall(tool, call, result);
    results.push(result);
  }
  return results;
}

/** Python's `json.dumps(value, default=repr)` for what a tool returned. */
function jsonOf(value: unknown): string {
  if (value === undefined) return 'null';
  let plain: unknown;
  try {
    plain = JSON.parse(JSON.stringify(value));
  } catch {
    return JSON.stringify(String(value));
  }
  return pythonDumps(plain ?? null);
}
