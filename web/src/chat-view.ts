// The chat: pick a model, optionally a system prompt and options, type (or drop files),
// and the answer streams in, rendered as Markdown. Each chat is one logged conversation.
import { type ChatEvent, type ModelInfo, NeedsToken, getJson, streamChat } from './api.js';
import { h, usageText } from './dom.js';
import { renderMarkdown } from './markdown.js';

export interface ShownMessage {
  role: 'user' | 'assistant' | 'system' | 'error';
  text: string;
  meta?: string;
}

export interface ChatState {
  conversationId?: string;
  model?: string;
  system: string;
  options: string;
  messages: ShownMessage[];
}

export const chat: ChatState = { system: '', options: '', messages: [] };

export function newChat(): void {
  chat.conversationId = undefined;
  chat.messages = [];
}

export function messageElement(message: ShownMessage): HTMLElement {
  const body = h('div', { class: message.role === 'assistant' ? 'md' : 'text pre' });
  if (message.role === 'assistant') body.innerHTML = renderMarkdown(message.text);
  else body.textContent = message.text;
  return h(
    'div',
    { class: `msg ${message.role}`, 'data-testid': `msg-${message.role}` },
    h('div', { class: 'role' }, message.role === 'error' ? 'error' : message.role),
    body,
    message.meta ? h('div', { class: 'meta' }, message.meta) : null,
  );
}

export async function renderChat(view: HTMLElement, onNeedsToken: () => void): Promise<void> {
  const models = await getJson<{ data: ModelInfo[] }>('/v1/models');
  const info = await getJson<{ default_model: string }>('/api/info');
  const chatModels = models.data.filter((m) => m.type === 'chat' && !m.alias_for);
  chat.model ??= info.default_model;

  const select = h('select', { id: 'model', 'data-testid': 'model' });
  for (const model of chatModels) select.append(h('option', { value: model.id, selected: model.id === chat.model }, model.id));
  if (!chatModels.some((m) => m.id === chat.model)) select.append(h('option', { value: chat.model!, selected: true }, chat.model!));
  select.addEventListener('change', () => (chat.model = select.value));

  const system = h('textarea', { id: 'system', rows: '2', placeholder: 'System prompt', 'data-testid': 'system' });
  system.value = chat.system;
  system.addEventListener('input', () => (chat.system = system.value));
  const options = h('input', { id: 'options', placeholder: 'Options as JSON, e.g. {"temperature": 0.5}', class: 'grow' });
  options.value = chat.options;
  options.addEventListener('input', () => (chat.options = options.value));

  const list = h('div', { class: 'messages', id: 'messages' });
  for (const message of chat.messages) list.append(messageElement(message));

  const prompt = h('textarea', { id: 'prompt', rows: '3', placeholder: 'Send a message (Enter to send, Shift+Enter for a new line; drop files to attach)', 'data-testid': 'prompt' });
  const chips = h('div', { class: 'chips' });
  const attachments: { name: string; url: string }[] = [];
  const showChips = () => chips.replaceChildren(...attachments.map((a) => h('span', { class: 'chip' }, a.name)));
  const addFiles = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const url = await new Promise<string>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.onerror = () => reject(reader.error);
        reader.readAsDataURL(file);
      });
      attachments.push({ name: file.name, url });
    }
    showChips();
  };
  const fileInput = h('input', { type: 'file', multiple: true, hidden: true });
  fileInput.addEventListener('change', () => void addFiles(fileInput.files));
  const send = h('button', { class: 'primary', 'data-testid': 'send' }, 'Send');
  const composer = h(
    'div',
    { class: 'composer' },
    prompt,
    chips,
    h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => fileInput.click() }, 'Attach'), fileInput, h('span', { class: 'grow' }), send),
  );
  composer.addEventListener('dragover', (e) => {
    e.preventDefault();
    composer.classList.add('dragging');
  });
  composer.addEventListener('dragleave', () => composer.classList.remove('dragging'));
  composer.addEventListener('drop', (e) => {
    e.preventDefault();
    composer.classList.remove('dragging');
    void addFiles(e.dataTransfer?.files ?? null);
  });

  const status = h('span', { class: 'sub', 'data-testid': 'conversation' }, chat.conversationId ? `Continuing conversation ${chat.conversationId}` : 'New conversation');
  view.replaceChildren(
    h(
      'div',
      { class: 'toolbar' },
      h('label', { for: 'model' }, 'Model'),
      select,
      h('span', { class: 'grow' }, status),
      h('button', { onclick: () => (newChat(), void renderChat(view, onNeedsToken)) }, 'New chat'),
    ),
    h('details', { class: 'settings', open: Boolean(chat.system || chat.options) }, h('summary', {}, 'System prompt and options'), system, h('div', { class: 'toolbar' }, options)),
    list,
    composer,
  );

  const submit = async () => {
    const text = prompt.value.trim();
    if (!text && !attachments.length) return;
    let parsedOptions: Record<string, unknown> | undefined;
    if (chat.options.trim()) {
      try {
        parsedOptions = JSON.parse(chat.options);
      } catch {
        list.append(messageElement({ role: 'error', text: 'Options must be a JSON object' }));
        return;
      }
    }
    const user: ShownMessage = { role: 'user', text: text + (attachments.length ? `\n[${attachments.map((a) => a.name).join(', ')}]` : '') };
    chat.messages.push(user);
    list.append(messageElement(user));
    const answer: ShownMessage = { role: 'assistant', text: '' };
    const answerElement = messageElement(answer);
    list.append(answerElement);
    const body = answerElement.querySelector('.md')!;
    prompt.value = '';
    send.disabled = true;
    const sent = attachments.splice(0).map((a) => a.url);
    showChips();
    try {
      await streamChat(
        {
          model: chat.model,
          prompt: text,
          ...(chat.system ? { system: chat.system } : {}),
          ...(chat.conversationId ? { conversation_id: chat.conversationId } : {}),
          ...(parsedOptions ? { options: parsedOptions } : {}),
          ...(sent.length ? { attachments: sent } : {}),
        },
        (event: ChatEvent) => {
          if (event.type === 'text') {
            answer.text += event.text;
            body.innerHTML = renderMarkdown(answer.text);
          } else if (event.type === 'done') {
            chat.conversationId = event.conversation_id ?? undefined;
            answer.meta = [event.model, usageText(event.usage.input, event.usage.output)].filter(Boolean).join(' · ');
            answerElement.append(h('div', { class: 'meta', 'data-testid': 'usage' }, answer.meta));
            status.textContent = `Conversation ${chat.conversationId}`;
          } else {
            answerElement.replaceWith(messageElement({ role: 'error', text: event.message }));
          }
        },
      );
      chat.messages.push(answer);
    } catch (error) {
      answerElement.replaceWith(messageElement({ role: 'error', text: (error as Error).message }));
      if (error instanceof NeedsToken) onNeedsToken();
    } finally {
      send.disabled = false;
      prompt.focus();
    }
  };
  send.addEventListener('click', () => void submit());
  prompt.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void submit();
    }
  });
  prompt.focus();
}
