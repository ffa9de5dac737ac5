// One conversation from the logs: every turn with its system prompt, tool calls and
// results, answer and usage; copy it as Markdown, or continue it in the chat.
import { type ConversationView, type TurnView, getJson } from './api.js';
import { type ShownMessage, chat } from './chat-view.js';
import { h, shortDate, usageText } from './dom.js';
import { renderMarkdown } from './markdown.js';

export async function renderConversation(view: HTMLElement, id: string): Promise<void> {
  const conversation = await getJson<ConversationView>(`/api/conversations/${encodeURIComponent(id)}`);
  const copy = h('button', { 'data-testid': 'copy' }, 'Copy as Markdown');
  copy.addEventListener('click', () => {
    void navigator.clipboard?.writeText(asMarkdown(conversation)).then(() => (copy.textContent = 'Copied'));
  });
  const continueButton = h('button', { class: 'primary', 'data-testid': 'continue' }, 'Continue this conversation');
  continueButton.addEventListener('click', () => {
    chat.conversationId = conversation.id;
    chat.model = conversation.model ?? undefined;
    chat.messages = conversation.turns.flatMap((turn): ShownMessage[] => [
      ...(turn.prompt ? [{ role: 'user' as const, text: turn.prompt }] : []),
      ...(turn.response ? [{ role: 'assistant' as const, text: turn.response }] : []),
    ]);
    location.hash = '#/chat';
  });
  const input = conversation.turns.reduce((n, t) => n + (t.input_tokens ?? 0), 0);
  const output = conversation.turns.reduce((n, t) => n + (t.output_tokens ?? 0), 0);
  const turns = h('div', { class: 'messages' });
  let system: string | null = null;
  for (const turn of conversation.turns) {
    if (turn.system && turn.system !== system) {
      turns.append(block('system', h('div', { class: 'text' }, turn.system)));
      system = turn.system;
    }
    for (const result of turn.tool_results) {
      turns.append(block('tool', h('div', { class: 'call' }, `${result.name} → ${result.output}${result.exception ? `\n${result.exception}` : ''}`), 'tool-result'));
    }
    if (turn.prompt) turns.append(block('user', h('div', { class: 'text pre' }, turn.prompt)));
    const answer = h('div', { class: 'md' });
    answer.innerHTML = renderMarkdown(turn.response ?? '');
    const calls = turn.tool_calls.map((call) => h('div', { class: 'call', 'data-testid': 'tool-call' }, `${call.name}(${JSON.stringify(call.arguments)})`));
    turns.append(
      block(
        'assistant',
        h('div', {}, answer, ...calls),
        'assistant',
        [turn.model, usageText(turn.input_tokens, turn.output_tokens), costText(turn), turn.duration_ms !== null ? `${turn.duration_ms} ms` : '', shortDate(turn.datetime_utc)].filter(Boolean).join(' · '),
      ),
    );
  }
  view.replaceChildren(
    h('h2', { 'data-testid': 'conversation-name' }, conversation.name || '(untitled)'),
    h(
      'div',
      { class: 'sub', 'data-testid': 'conversation-summary' },
      [conversation.model, `${conversation.turns.length} turns`, usageText(input, output), costText(conversation), conversation.id].filter(Boolean).join(' · '),
    ),
    h('div', { class: 'toolbar spaced' }, continueButton, copy),
    turns,
  );
}

/** `cost $0.000123`; `cost unknown` when it cannot be priced (a model with no known prices). */
function costText(item: { cost_text: string }): string {
  return `cost ${item.cost_text}`;
}

function block(role: string, content: HTMLElement, testid = role, meta = ''): HTMLElement {
  return h(
    'div',
    { class: `msg ${role}`, 'data-testid': `turn-${testid}` },
    h('div', { class: 'role' }, role),
    content,
    meta ? h('div', { class: 'meta' }, meta) : null,
  );
}

export function asMarkdown(conversation: ConversationView): string {
  const parts = [`# ${conversation.name || 'Conversation'}`, ''];
  conversation.turns.forEach((turn: TurnView) => {
    if (turn.system) parts.push('## System', '', turn.system, '');
    for (const result of turn.tool_results) parts.push(`## Tool result: ${result.name}`, '', '```', result.output, '```', '');
    if (turn.prompt) parts.push('## Prompt', '', turn.prompt, '');
    parts.push(`## Response (${turn.model ?? ''})`, '', turn.response ?? '', '');
    for (const call of turn.tool_calls) parts.push(`Tool call: \`${call.name}(${JSON.stringify(call.arguments)})\``, '');
  });
  return parts.join('\n');
}
