// The logs: conversations newest first, a page at a time, filtered by model, date and tool
// (on the server, over the whole log), and full-text search over every logged prompt and
// answer with the same filters. The filters live in the address: #/logs?q=&model=&from=&to=&tool=
import { type ConversationPage, type SearchHit, getJson } from './api.js';
import { h, shortDate } from './dom.js';

const FILTERS = ['model', 'from', 'to', 'tool'] as const;
const PAGE = 100;

export async function renderLogs(view: HTMLElement, params: URLSearchParams): Promise<void> {
  const search = h('input', { type: 'search', id: 'search', class: 'grow', placeholder: 'Search prompts and answers', 'data-testid': 'search', value: params.get('q') ?? '' });
  const choice = (name: string, all: string) => {
    const select = h('select', { id: `${name}-filter`, 'data-testid': `${name}-filter`, 'aria-label': name }, h('option', { value: '' }, all));
    const current = params.get(name);
    if (current) select.append(h('option', { value: current, selected: true }, current));
    return select;
  };
  const date = (name: string, label: string) =>
    h('input', { type: 'date', id: `${name}-filter`, 'data-testid': `${name}-filter`, 'aria-label': label, title: label, value: params.get(name) ?? '' });
  const controls = { model: choice('model', 'All models'), from: date('from', 'From'), to: date('to', 'To'), tool: choice('tool', 'Any tool') };
  const results = h('ul', { class: 'list', id: 'results', 'data-testid': 'results' });
  const heading = h('div', { class: 'sub' });
  const more = h('button', { 'data-testid': 'more', hidden: true }, 'More');
  view.replaceChildren(
    h('div', { class: 'toolbar' }, search),
    h('div', { class: 'toolbar filters' }, controls.model, h('label', {}, 'from'), controls.from, h('label', {}, 'to'), controls.to, controls.tool),
    heading,
    results,
    more,
  );

  const filterQuery = () => {
    const query = new URLSearchParams();
    for (const name of FILTERS) if (controls[name].value) query.set(name, controls[name].value);
    return query;
  };
  const remember = (q: string) => {
    const query = filterQuery();
    if (q) query.set('q', q);
    const text = query.toString();
    history.replaceState(null, '', text ? `#/logs?${text}` : '#/logs');
  };

  let generation = 0;
  let next: string | null = null;
  const showConversations = async (append: boolean) => {
    const mine = append ? generation : ++generation;
    const query = filterQuery();
    query.set('limit', String(PAGE));
    if (append && next) query.set('before', next);
    const page = await getJson<ConversationPage>(`/api/conversations?${query}`);
    if (mine !== generation) return;
    next = page.next;
    more.hidden = !next;
    const items = page.conversations.map((c) =>
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
    );
    if (append) results.append(...items);
    else {
      const filtered = FILTERS.some((name) => controls[name].value);
      heading.textContent = items.length ? 'Conversations, most recent first' : '';
      results.replaceChildren(...(items.length ? items : [h('li', { class: 'empty' }, filtered ? 'No conversation matches these filters.' : 'Nothing logged yet.')]));
    }
    performance.mark('llm:conversations-shown');
  };

  const runSearch = async () => {
    const q = search.value.trim();
    remember(q);
    if (!q) return showConversations(false);
    const mine = ++generation;
    const query = filterQuery();
    query.set('q', q);
    const { results: hits } = await getJson<{ results: SearchHit[] }>(`/api/search?${query}`);
    if (mine !== generation) return;
    more.hidden = true;
    heading.textContent = `${hits.length} result${hits.length === 1 ? '' : 's'} for “${q}”`;
    results.replaceChildren(
      ...hits.map((hit) =>
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
  for (const name of FILTERS) controls[name].addEventListener('change', () => void runSearch());
  more.addEventListener('click', () => void showConversations(true));
  await runSearch();
  search.focus();
  // The filters' choices are secondary: asked for once the list is shown.
  void fillChoices(controls.model, controls.tool);
}

async function fillChoices(model: HTMLSelectElement, tool: HTMLSelectElement): Promise<void> {
  const facets = await getJson<{ models: string[]; tools: string[] }>('/api/facets');
  for (const [select, values] of [[model, facets.models], [tool, facets.tools]] as const) {
    const present = new Set([...select.options].map((o) => o.value));
    for (const value of values) if (!present.has(value)) select.append(h('option', { value }, value));
  }
}
