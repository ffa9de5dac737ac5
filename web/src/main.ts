// The page's router: #/chat, #/logs (?q=search), #/c/<conversation id>.
import { NeedsToken, saveToken } from './api.js';
import { renderChat } from './chat-view.js';
import { renderConversation } from './conversation-view.js';
import { h } from './dom.js';
import { renderLogs } from './logs-view.js';

performance.mark('llm:script-start');
const view = document.getElementById('view')!;

async function route(): Promise<void> {
  const hash = location.hash || '#/chat';
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a')) {
    link.classList.toggle('active', hash.startsWith(`#/${link.dataset.nav}`) || (link.dataset.nav === 'logs' && hash.startsWith('#/c/')));
  }
  try {
    if (hash.startsWith('#/c/')) await renderConversation(view, decodeURIComponent(hash.slice(4)));
    else if (hash.startsWith('#/logs')) await renderLogs(view, new URLSearchParams(hash.split('?')[1] ?? ''));
    else await renderChat(view, askForToken);
  } catch (error) {
    if (error instanceof NeedsToken) askForToken();
    else view.replaceChildren(h('div', { class: 'msg error' }, (error as Error).message));
  }
}

/** Asks once for the server's token (it is shown when `llm serve` starts), then reloads the view. */
function askForToken(): void {
  if (document.querySelector('.overlay')) return;
  const input = h('input', { type: 'password', placeholder: 'Token', 'data-testid': 'token', autocomplete: 'off' });
  const form = h(
    'form',
    {},
    h('strong', {}, 'This server needs a token'),
    h('span', { class: 'sub' }, 'llm serve printed it when it started (or it was given with --token).'),
    input,
    h('button', { class: 'primary', type: 'submit' }, 'Save'),
  );
  const overlay = h('div', { class: 'overlay' }, form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    saveToken(input.value.trim());
    overlay.remove();
    void route();
  });
  document.body.append(overlay);
  input.focus();
}

window.addEventListener('hashchange', () => void route());
void route();
