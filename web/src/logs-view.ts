// The logs: conversations newest first (filtered by model), and full-text search over
// every logged prompt and answer.
import { type ConversationSummary, type SearchHit, getJson } from './api.js';
import { h, shortDate } from './dom.js';

export async function renderLogs(view: HTMLElement, query = ''): Promise<void> {
  const search = h('input', { type: 'search', id: 'search', class: 'grow', placeholder: 'Search prompts and answers', 'data-testid': 'search', value: query });
  const model = h('select', { id: 'model-filter', 'data-testid': 'model-filter' }, h('option', { value: '' }, 'All models'));
  const results = h('ul', { class: 'list', id: 'results', 'data-testid': 'results' });
  const heading = h('div', { class: 'sub' });
  view.replaceChildren(h('div', { class: 'toolbar' }, search, model), heading, results);

  const { conversations } = await getJson<{ conversations: ConversationSummary[] }>('/api/conversations?limit=200');
  for (const name of [...new Set(conversations.map((c) => c.model).filter(Boolean))].sort()) model.append(h('option', { value: name! }, name!));

  const showConversations = () => {
    const shown = conversations.filter((c) => !model.value || c.model === model.value);
    heading.textContent = shown.length ? 'Conversations, most recent first' : '';
    results.replaceChildren(
      ...(shown.length
        ? shown.map((c) =>
            h(
              'li',
              { 'data-testid': 'conversation-item' },
              h(
                'a',
                { href: `#/c/${encodeURIComponent(c.id)}` },
                h('div', { class: 'title' }, c.name || '(untitled)'),
                h('div', { class: 'sub' }, [c.model, `${c.turns} turn${c.turns === 1 ? '' : 's'}`, shortDate(c.datetime_utc)].filter(Boolean).join(' · ')),
              ),
            ),
          )
        : [h('li', { class: 'empty' }, 'Nothing logged yet.')]),
    );
    performance.mark('llm:conversations-shown');
  };

  let generation = 0;
  const runSearch = async () => {
    const q = search.value.trim();
    history.replaceState(null, '', q ? `#/logs?q=${encodeURIComponent(q)}` : '#/logs');
    if (!q) return showConversations();
    const mine = ++generation;
    const { results: hits } = await getJson<{ results: SearchHit[] }>(`/api/search?q=${encodeURIComponent(q)}`);
    if (mine !== generation) return;
    const shown = hits.filter((hit) => !model.value || hit.model === model.value);
    heading.textContent = `${shown.length} result${shown.length === 1 ? '' : 's'} for “${q}”`;
    results.replaceChildren(
      ...shown.map((hit) =>
        h(
          'li',
          { 'data-testid': 'search-hit' },
          h(
            'a',
            { href: `#/c/${encodeURIComponent(hit.conversation_id ?? '')}` },
            h('div', { class: 'title' }, hit.conversation_name || '(untitled)'),
            h('div', { class: 'snippet' }, hit.prompt),
            h('div', { class: 'snippet sub' }, hit.response),
            h('div', { class: 'sub' }, [hit.model, shortDate(hit.datetime_utc)].filter(Boolean).join(' · ')),
          ),
        ),
      ),
    );
    performance.mark('llm:search-shown');
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void runSearch(), 150);
  });
  model.addEventListener('change', () => void runSearch());
  await runSearch();
  search.focus();
}
