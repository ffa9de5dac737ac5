import { LlmError, isLlmError } from '../errors.js';
import { Tool } from '../models/tools.js';
import type { ResolvedTool } from './resolve.js';
import { type ServerSideTool, isServerSideTool } from './server-side/server-side-tool.js';
import type { Toolbox } from './toolbox.js';

/** Tools ready to offer, and the way to release what preparing them started. */
export interface PreparedTools {
  tools: Tool[];
  /** The server-side tools named: nothing to prepare, sent with the request as they are. */
  serverSideTools: ServerSideTool[];
  /** Both, in the order given (a toolbox's tools in its place): the order they are sent in. */
  offered: (Tool | ServerSideTool)[];
  close(): Promise<void>;
}

/**
 * Prepares every toolbox (once; an MCP toolbox starts or connects to its server) and lists
 * the tools of all of them, in order. When one fails, the others are closed and the error
 * names the toolbox in one line.
 */
export async function prepareResolved(resolved: readonly ResolvedTool[]): Promise<PreparedTools> {
  const serverSideTools = resolved.filter(isServerSideTool);
  const toolboxes = resolved.filter((item): item is Toolbox => !(item instanceof Tool) && !isServerSideTool(item));
  const close = () => closeToolboxes(toolboxes);
  const outcomes = await Promise.allSettled(toolboxes.map((toolbox) => toolbox.ensurePrepared()));
  const failed = outcomes.findIndex((outcome) => outcome.status === 'rejected');
  if (failed !== -1) {
    await close();
    const error = (outcomes[failed] as PromiseRejectedResult).reason;
    if (isLlmError(error)) throw error;
    throw new LlmError(`${toolboxes[failed]!.toolboxName}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const offered = resolved.flatMap((item) => (item instanceof Tool || isServerSideTool(item) ? [item] : item.tools()));
  const tools = offered.filter((item): item is Tool => item instanceof Tool);
  await Promise.all(tools.map((tool) => tool.resolveSchema()));
  return { tools, serverSideTools, offered, close };
}

/** Closes each toolbox; a failure to close one is not an error of the run. */
export async function closeToolboxes(toolboxes: readonly Toolbox[]): Promise<void> {
  await Promise.allSettled(toolboxes.map((toolbox) => toolbox.close()));
}
