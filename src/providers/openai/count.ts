// OpenAI token counts with the published tokenizer (gpt-tokenizer, loaded on first use):
// o200k_base for the GPT-4o, 4.1, 5 and o-series models, cl100k_base for GPT-4 and 3.5.
import { createRequire } from 'node:module';
import type { Prompt } from '../../models/prompt.js';
import { estimateTokens, hasAttachments } from '../../pricing/count.js';
import type { TokenCount } from '../../pricing/types.js';

type Encoder = { countTokens(text: string): number };
const require = createRequire(import.meta.url);

/** The encoding an OpenAI model uses. */
export function encodingFor(model: string): 'cl100k_base' | 'o200k_base' {
  return /^(gpt-4(-|$)|gpt-4-turbo|gpt-3\.5|text-embedding-(ada|3))/.test(model) && !/^gpt-4o/.test(model) ? 'cl100k_base' : 'o200k_base';
}

/**
 * Counts as the Chat Completions API does: each message's text plus 3 tokens of framing,
 * and 3 for the reply's start. Attachments and tool definitions are estimated, which
 * makes the count an estimate.
 */
export function countOpenAITokens(model: string, prompt: Prompt): TokenCount {
  const encoding = encodingFor(model);
  const encoder = require(`gpt-tokenizer/encoding/${encoding}`) as Encoder;
  let tokens = 3;
  // The system prompt is the first message when there is one; counted once.
  if (prompt.system && !prompt.messages.some((m) => m.role === 'system')) tokens += 3 + encoder.countTokens(prompt.system);
  for (const message of prompt.messages) {
    tokens += 3;
    for (const part of message.parts) {
      if (part.type === 'text') tokens += encoder.countTokens(part.text);
      else if (part.type === 'tool_result') tokens += encoder.countTokens(String(part.output ?? ''));
      else if (part.type === 'tool_call') tokens += encoder.countTokens(`${part.name}${JSON.stringify(part.arguments ?? {})}`);
    }
  }
  const extras: string[] = [];
  if (prompt.tools.length) {
    tokens += estimateTokens(JSON.stringify(prompt.tools.map((t) => [t.name, t.description, t.inputSchema])));
    extras.push('tool definitions estimated');
  }
  if (hasAttachments(prompt)) extras.push('attachments not counted');
  return { tokens, exact: extras.length === 0, method: `tokenizer ${encoding} (gpt-tokenizer)${extras.length ? `, ${extras.join(', ')}` : ''}` };
}
