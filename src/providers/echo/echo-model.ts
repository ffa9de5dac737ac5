import { pythonDumps } from '../../logs/json.js';
import type { ModelEvent } from '../../models/events.js';
import type { Message } from '../../models/messages.js';
import { type ExecuteContext, Model } from '../../models/model.js';
import type { OptionsSpec } from '../../models/options.js';
import type { Prompt } from '../../models/prompt.js';

/**
 * A model that needs no key and no network: it answers with what it was sent, as JSON, as
 * Python's llm-echo plugin does. A prompt that is a JSON object is read as llm-echo reads
 * it: `prompt` is the text, `raw` is answered as is, and `tool_calls`
 * (`[{"name": "llm_version", "arguments": {...}}]`) are called, so the tool loop can be
 * tried offline.
 */
export class Echo extends Model {
  readonly modelId = 'echo';
  override attachmentTypes: ReadonlySet<string> = new Set([
    'image/png',
    'image/jpeg',
    'image/gif',
    'image/webp',
    'application/pdf',
    'audio/wav',
    'audio/mpeg',
    'text/plain',
  ]);
  override supportsSchema = true;
  override supportsTools = true;
  override readonly optionsSpec: OptionsSpec = {
    example_int: { type: 'integer', description: 'An integer, echoed back' },
    example_bool: { type: 'boolean', description: 'Example boolean option' },
    example_str: { type: 'string', description: 'A string, echoed back' },
  };

  override toString(): string {
    return `Echo: ${this.modelId}`;
  }

  async *execute(prompt: Prompt, context: ExecuteContext): AsyncIterable<ModelEvent> {
    let promptText = prompt.prompt;
    let raw: unknown;
    const calls: ModelEvent[] = [];
    if (promptText.trim().startsWith('{')) {
      const parsed = parseObject(promptText);
      if (parsed) {
        raw = parsed.raw ?? undefined;
        promptText = typeof parsed.prompt === 'string' ? parsed.prompt : '';
        const toolCalls = Array.isArray(parsed.tool_calls) ? parsed.tool_calls : [];
        for (const call of toolCalls as { name: string; arguments?: Record<string, unknown> }[]) {
          calls.push({ type: 'tool_call', name: call.name, arguments: call.arguments || {} });
        }
      }
    }
    let text: string;
    if (raw !== undefined) {
      text = typeof raw === 'string' ? raw : pythonDumps(raw);
    } else {
      const answer: Record<string, unknown> = {
        prompt: promptText,
        system: prompt.system ?? '',
        attachments: await Promise.all(
          prompt.attachments.map(async (a) => ({
            type: await a.resolveType(context.signal),
            path: a.path ?? null,
            url: a.url ?? null,
            id: await a.id(),
          })),
        ),
        stream: context.stream,
        previous: previousPrompts(prompt.messages).map((p) => ({ prompt: p })),
      };
      if (Object.keys(prompt.options).length) answer.options = prompt.options;
      if (prompt.toolResults.length) {
        answer.tool_results = prompt.toolResults.map((r) => ({ name: r.name, output: r.output, tool_call_id: r.toolCallId ?? null }));
      }
      if (prompt.schema) answer.schema = prompt.schema;
      text = pythonDumps(answer, 2);
    }
    if (context.stream) {
      for (const line of text.split(/(?<=\n)/)) yield { type: 'text', text: line };
    } else {
      yield { type: 'text', text };
    }
    yield* calls;
    const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
    yield { type: 'usage', input: words(prompt.prompt) + words(prompt.system ?? ''), output: words(text) };
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The prompt text of each earlier turn, as llm-echo lists the earlier responses of the
 * conversation: a turn is what was sent before each assistant message (system messages
 * are not turns; a turn of tool results only has an empty prompt).
 */
function previousPrompts(messages: readonly Message[]): string[] {
  const prompts: string[] = [];
  let turn: string[] | undefined;
  for (const message of messages) {
    if (message.role === 'assistant') {
      if (turn) prompts.push(turn.join('\n'));
      turn = undefined;
    } else if (message.role === 'user' || message.role === 'tool') {
      turn ??= [];
      if (message.role === 'user') {
        for (const part of message.parts) if (part.type === 'text') turn.push(part.text);
      }
    }
  }
  return prompts;
}
