// The logs: conversations newest first, a page at a time, filtered by model, date and tool
// (on the server, over the whole log), and full-text search over every logged prompt and
// answer with the same filters. The filters live in the address: #/logs?q=&model=&from=&to=&tool=
import { type ConversationPage, type SearchHit, getJson } from './api.js';
import { h, shortDate } from './dom.js';

const FILTERS = ['model', 'from', 'to', 'tool'] as const;
type Filter = (typeof FILTERS)[number];
const PAGE = 100;

export async function renderLogs(view: HTMLElement, params: URLSearchParams): Promise<void> {
  const search = h('input', { type: 'search', id: 'search', class: 'grow', placeholder: 'Search prompts and answers', 'data-testid': 'search', value: params.get('q') ?? '' });
  const filters: Record<Filter, string> = { model: '', from: '', to: '', tool: '' };
  for (const name of FILTERS) filters[name] = params.get(name) ?? '';
  // The filter controls come after the first list is shown: building date inputs costs the
  // first view tens of ms, and until then the filters are those of the address.
  const filterBar = h('div', { class: 'toolbar filters' });
  const results = h('ul', { class: 'list', id: 'results', 'data-testid': 'results' });
  const heading = h('div', { class: 'sub' });
  const more = h('button', { 'data-testid': 'more', hidden: true }, 'More');
  view.replaceChildren(
    h('div', { class: 'toolbar' }, search),
    filterBar,
    heading,
    results,
    more,
  );

  const filterQuery = () => {
    const query = new URLSearchParams();
    for (const name of FILTERS) if (filters[name]) query.set(name, filters[name]);
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
          h('div', { class: 'sub' }, [c.model, `${c.turns} turn${c.turns === 1 ? '' : 's'}`, `cost ${c.cost_text}`, shortDate(c.datetime_utc)].filter(Boolean).join(' · ')),
        ),
      ),
    );
    if (append) results.append(...items);
    else {
      const filtered = FILTERS.some((name) => filters[name]);
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
  more.addEventListener('click', () => void showConversations(true));
  await runSearch();
  search.focus();
  const controls = filterControls(filters, () => void runSearch());
  filterBar.replaceChildren(controls.model, h('label', {}, 'from'), controls.from, h('label', {}, 'to'), controls.to, controls.tool);
  // The filters' choices are secondary too: asked for once the list is shown.
  void fillChoices(controls.model, controls.tool);
}

/** The model and tool choices and the two dates, showing `filters` and changing them. */
function filterControls(filters: Record<Filter, string>, changed: () => void) {
  const choice = (name: Filter, all: string) => {
    const select = h('select', { id: `${name}-filter`, 'data-testid': `${name}-filter`, 'aria-label': name }, h('option', { value: '' }, all));
    if (filters[name]) select.append(h('option', { value: filters[name], selected: true }, filters[name]));
    return select;
  };
  const date = (name: Filter, label: string) =>
    h('input', { type: 'date', id: `${name}-filter`, 'data-testid': `${name}-filter`, 'aria-label': label, title: label, value: filters[name] });
  const controls = { model: choice('model', 'All models'), from: date('from', 'From'), to: date('to', 'To'), tool: choice('tool', 'Any tool') };
  for (const name of FILTERS) {
    controls[name].addEventListener('change', () => {
      filters[name] = controls[name].value;
      changed();
    });
  }
  return controls;
}

async function fillChoices(model: HTMLSelectElement, tool: HTMLSelectElement): Promise<void> {
  const facets = await getJson<{ models: string[]; tools: string[] }>('/api/facets');
  for (const [select, values] of [[model, facets.models], [tool, facets.tools]] as const) {
    const present = new Set([...select.options].map((o) => o.value));
    for (const value of values) if (!present.has(value)) select.append(h('option', { value }, value));
  }
}
