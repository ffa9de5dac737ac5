import type { ModelEvent } from '../../models/events.js';
import type { Message } from '../../models/messages.js';
import { type ExecuteContext, Model } from '../../models/model.js';
import type { OptionsSpec } from '../../models/options.js';
import type { Prompt } from '../../models/prompt.js';

/**
 * A model that needs no key and no network: it answers with what it was sent, as JSON.
 * What a new user tries first, and what tests and plugin authors use.
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
  override readonly optionsSpec: OptionsSpec = {
    example_int: { type: 'integer', description: 'An integer, echoed back' },
    example_bool: { type: 'boolean', description: 'A boolean, echoed back' },
    example_str: { type: 'string', description: 'A string, echoed back' },
  };

  override toString(): string {
    return `Echo: ${this.modelId}`;
  }

  async *execute(prompt: Prompt, context: ExecuteContext): AsyncIterable<ModelEvent> {
    const attachments = await Promise.all(
      prompt.attachments.map(async (a) => ({
        type: await a.resolveType(context.signal),
        ...(a.path ? { path: a.path } : {}),
        ...(a.url ? { url: a.url } : {}),
        ...(a.content ? { content_length: a.content.length } : {}),
      })),
    );
    const previous = prompt.messages.slice(0, -1).map(describeMessage);
    const answer: Record<string, unknown> = {
      prompt: prompt.prompt,
      system: prompt.system ?? '',
      attachments,
      stream: context.stream,
      previous,
    };
    if (Object.keys(prompt.options).length) answer.options = prompt.options;
    if (prompt.schema) answer.schema = prompt.schema;
    const text = JSON.stringify(answer, null, 2);
    if (context.stream) {
      for (const line of text.split(/(?<=\n)/)) yield { type: 'text', text: line };
    } else {
      yield { type: 'text', text };
    }
    const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
    yield { type: 'usage', input: words(prompt.prompt) + words(prompt.system ?? ''), output: words(text) };
  }
}

function describeMessage(message: Message): Record<string, unknown> {
  return {
    role: message.role,
    content: message.parts
      .map((p) => (p.type === 'text' || p.type === 'reasoning' ? p.text : `[${p.type}]`))
      .join(''),
  };
}
