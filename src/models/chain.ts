import { LlmError } from '../errors.js';
import type { Attachment } from './attachment.js';
import type { Message } from './messages.js';
import type { Response } from './response.js';
import type { StreamEvent } from './stream-events.js';
import type { AfterCall, BeforeCall } from './tool-execution.js';
import type { ToolCall } from './tools.js';
import type { Cost } from '../pricing/types.js';

export const DEFAULT_CHAIN_LIMIT = 5;

export interface ChainOptions {
  /** Most responses in the chain (default 5); 0 or null for no limit. */
  chainLimit?: number | null;
  /** Stop before a request that would take the chain's cost past this many USD (see src/pricing/max-cost.ts). */
  maxCost?: number;
  beforeCall?: BeforeCall;
  afterCall?: AfterCall;
}

/**
 * The tool loop: a response, then its tool calls run and their results sent back as a new
 * response, until a response asks for no tools. Lazy, like a Response: nothing is sent
 * until it is iterated.
 */
export class ChainResponse implements AsyncIterable<string> {
  /** The responses made so far, in order. */
  readonly responsesSoFar: Response[] = [];
  readonly chainLimit: number | null;
  readonly maxCost: number | undefined;
  private readonly first: () => Promise<Response>;
  private readonly callbacks: { beforeCall?: BeforeCall; afterCall?: AfterCall };
  private started = false;

  /** `first` makes the first response (after running calls a resumed history left pending). */
  constructor(first: Response | (() => Promise<Response>), options: ChainOptions = {}) {
    this.first = typeof first === 'function' ? first : async () => first;
    this.chainLimit = options.chainLimit === undefined ? DEFAULT_CHAIN_LIMIT : options.chainLimit;
    this.maxCost = options.maxCost;
    this.callbacks = { beforeCall: options.beforeCall, afterCall: options.afterCall };
  }

  /** Yields each response as it is made; read one before asking for the next. */
  async *responses(): AsyncGenerator<Response> {
    if (this.started) {
      yield* this.responsesSoFar;
      return;
    }
    this.started = true;
    let current: Response | undefined = await this.first();
    const maxCost = this.maxCost;
    const checkCost = async (first: Response | undefined): Promise<void> => {
      if (maxCost !== undefined) await (await import('../pricing/max-cost.js')).checkMaxCost(first, this.responsesSoFar, maxCost);
    };
    await checkCost(current);
    while (current) {
      this.responsesSoFar.push(current);
      yield current;
      const calls = await current.toolCalls();
      if (!calls.length) return;
      if (this.chainLimit && this.responsesSoFar.length >= this.chainLimit) {
        throw new LlmError(`Chain limit of ${this.chainLimit} exceeded.`);
      }
      // Before the tools run: their results would only be sent in a request over the limit.
      await checkCost(undefined);
      const results = await current.executeToolCalls({ toolCalls: calls, ...this.callbacks });
      current = followUp(current, results);
    }
  }

  /**
   * The text of every response. Between two responses whose text would run together
   * (no whitespace on either side) one space is yielded: display only, never recorded.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    let lastChar = '';
    for await (const response of this.responses()) {
      let first = true;
      for await (const chunk of response) {
        if (!chunk) continue;
        if (first && lastChar && !/\s/.test(lastChar) && !/\s/.test(chunk[0]!)) yield ' ';
        first = false;
        yield chunk;
        lastChar = chunk[chunk.length - 1]!;
      }
    }
  }

  /**
   * Python's `stream_events()` on a chain: every response's typed events in turn, with the
   * same display-only space between responses whose text would run together (given the
   * part index of the text it precedes).
   */
  async *streamEvents(): AsyncGenerator<StreamEvent> {
    let lastChar = '';
    for await (const response of this.responses()) {
      let first = true;
      for await (const event of response.streamEvents()) {
        if (event.type === 'text' && event.chunk) {
          if (first && lastChar && !/\s/.test(lastChar) && !/\s/.test(event.chunk[0]!)) {
            yield { type: 'text', chunk: ' ', partIndex: event.partIndex, messageIndex: event.messageIndex };
          }
          first = false;
          lastChar = event.chunk[event.chunk.length - 1]!;
        }
        yield event;
      }
    }
  }

  /** The sum of every response's cost (runs the chain if it has not run), or null if any is unknown. */
  async cost(): Promise<Cost | null> {
    for await (const _ of this.responses()) {
      // Runs the chain to its end.
    }
    const { sumCosts } = await import('../pricing/cost.js');
    return sumCosts(await Promise.all(this.responsesSoFar.map((r) => r.cost())));
  }

  async text(): Promise<string> {
    const pieces: string[] = [];
    for await (const piece of this) pieces.push(piece);
    return pieces.join('');
  }
}

/** The next request of a chain: everything so far, then a `tool` message with the results. */
function followUp(previous: Response, results: Awaited<ReturnType<Response['executeToolCalls']>>): Response {
  const attachments: Attachment[] = results.flatMap((result) => result.attachments ?? []);
  // Attachments a tool returned go in a user message after the results, as Python sends them.
  const toolResults = results.map(({ attachments: _attachments, ...rest }) => rest);
  const prompt = previous.prompt;
  const { key, signal, stream, timeout } = previous.requestInit;
  return previous.model.buildResponse(
    '',
    {
      system: prompt.system,
      attachments,
      options: { ...prompt.options },
      key,
      signal,
      stream,
      timeout,
      hideReasoning: prompt.hideReasoning,
      tools: [...prompt.offeredTools],
      toolResults,
    },
    previous.conversation,
    [...prompt.messages, ...previous.messagesSoFar],
  );
}

/**
 * The tool calls a history ends with that have no result yet, as Python's
 * `_trailing_pending_tool_calls` finds them: the last assistant message's calls (not those
 * the provider ran), less those a following `tool` message answers, matched by id, or by
 * name for calls without one. Empty when anything else follows the calls.
 */
export function pendingToolCalls(messages: readonly Message[]): ToolCall[] {
  let at = messages.length - 1;
  while (at >= 0 && messages[at]!.role === 'tool') at--;
  const assistant = messages[at];
  if (!assistant || assistant.role !== 'assistant') return [];
  const answered = messages.slice(at + 1).flatMap((m) => m.parts.filter((p) => p.type === 'tool_result'));
  const answeredIds = new Set(answered.map((r) => r.toolCallId).filter((id) => id !== undefined));
  const answeredNames = answered.filter((r) => r.toolCallId === undefined).map((r) => r.name);
  const pending: ToolCall[] = [];
  for (const part of assistant.parts) {
    if (part.type !== 'tool_call' || part.serverExecuted) continue;
    if (part.toolCallId !== undefined ? answeredIds.has(part.toolCallId) : answeredNames.includes(part.name)) continue;
    pending.push({ name: part.name, arguments: part.arguments, toolCallId: part.toolCallId });
  }
  return pending;
}
