// Token counts before sending: the estimate every model falls back on.
import type { Prompt } from '../models/prompt.js';
import type { TokenCount } from './types.js';

/** About four characters a token (OpenAI's rule of thumb for English text). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Every character a prompt sends: system, history, prompt, tool calls and results. */
export function promptText(prompt: Prompt): string {
  const pieces: string[] = prompt.messages.some((m) => m.role === 'system') ? [] : [prompt.system ?? ''];
  for (const message of prompt.messages) {
    for (const part of message.parts) {
      if (part.type === 'text') pieces.push(part.text);
      else if (part.type === 'tool_result') pieces.push(String(part.output ?? ''));
      else if (part.type === 'tool_call') pieces.push(JSON.stringify(part.arguments ?? {}));
    }
  }
  for (const tool of prompt.tools) pieces.push(tool.name, tool.description ?? '', JSON.stringify(tool.inputSchema ?? {}));
  return pieces.filter(Boolean).join('\n');
}

/** Does the prompt carry attachments (images, audio, PDFs), which a text estimate cannot see? */
export function hasAttachments(prompt: Prompt): boolean {
  return prompt.messages.some((message) => message.parts.some((part) => part.type === 'attachment'));
}

export function estimatePromptTokens(prompt: Prompt): TokenCount {
  const attachments = hasAttachments(prompt) ? ', attachments not counted' : '';
  return { tokens: estimateTokens(promptText(prompt)), exact: false, method: `estimate: about 4 characters a token${attachments}` };
}
