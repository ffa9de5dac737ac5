// Syntax highlighting of code with highlight.js: its core and each language's grammar are
// loaded the first time a code block in that language is seen, then its HTML-like output
// is turned into terminal colours.
import { importModule } from '../../util/import-module.js';

interface HighlightJs {
  registerLanguage(name: string, language: unknown): void;
  getLanguage(name: string): unknown;
  highlight(code: string, options: { language: string; ignoreIllegals: boolean }): { value: string };
}

/** Fence names that are not highlight.js file names. */
const ALIASES: Record<string, string> = {
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript', node: 'javascript',
  ts: 'typescript', tsx: 'typescript', mts: 'typescript', py: 'python', python3: 'python',
  sh: 'bash', shell: 'bash', zsh: 'bash', console: 'bash', shellsession: 'bash', yml: 'yaml',
  rs: 'rust', golang: 'go', 'c++': 'cpp', cc: 'cpp', hpp: 'cpp', cxx: 'cpp', h: 'c',
  cs: 'csharp', 'c#': 'csharp', rb: 'ruby', html: 'xml', svg: 'xml', xhtml: 'xml',
  kt: 'kotlin', md: 'markdown', patch: 'diff', docker: 'dockerfile', toml: 'ini', make: 'makefile',
  jsonc: 'json', json5: 'json', ps1: 'powershell', ex: 'elixir', exs: 'elixir', hs: 'haskell',
  pl: 'perl', psql: 'pgsql', postgres: 'pgsql', tex: 'latex', vue: 'xml', objc: 'objectivec',
};

/** The colour of each highlight.js class (SGR codes). */
const COLOURS: Record<string, string> = {
  keyword: '35', built_in: '36', type: '36', literal: '35', number: '33', operator: '',
  string: '32', regexp: '31', symbol: '33', comment: '90', doc: '90', meta: '90',
  title: '34', 'title.function': '34', 'title.class': '33', function: '34', params: '',
  attr: '36', attribute: '36', property: '36', variable: '', 'variable.language': '35',
  tag: '34', name: '34', selector: '34', 'selector-tag': '34', 'selector-class': '33',
  'selector-id': '33', section: '1;34', bullet: '33', link: '4', emphasis: '3', strong: '1',
  addition: '32', deletion: '31', subst: '', 'template-variable': '33', quote: '90',
  'meta keyword': '35', 'meta string': '32',
};

let core: Promise<HighlightJs | undefined> | undefined;
const languages = new Map<string, Promise<boolean>>();
const settled = new Set<string>();
let loaded: HighlightJs | undefined;

function loadCore(): Promise<HighlightJs | undefined> {
  return (core ??= importModule<{ default: HighlightJs }>('highlight.js/lib/core').then(
    (module) => (loaded = module.default),
    () => undefined,
  ));
}

/** The highlight.js name for a fence's info string (`Python`, `py`, `ts {1,3}`…), or undefined. */
export function languageName(info: string | undefined): string | undefined {
  const word = info?.trim().split(/[\s{]/)[0]?.toLowerCase();
  if (!word || !/^[a-z0-9+#_-]+$/.test(word)) return undefined;
  return ALIASES[word] ?? word;
}

/** Loads the grammar for `name`; resolves false when highlight.js has none. */
export function loadLanguage(name: string): Promise<boolean> {
  let pending = languages.get(name);
  if (!pending) {
    pending = loadCore().then(async (hljs) => {
      if (!hljs || !/^[a-z0-9-]+$/.test(name)) return false;
      try {
        const grammar = await importModule<{ default: unknown }>(`highlight.js/lib/languages/${name}`);
        hljs.registerLanguage(name, grammar.default);
        return true;
      } catch {
        return false;
      }
    });
    languages.set(name, pending);
    void pending.then(() => settled.add(name));
  }
  return pending;
}

/** True once loading `name` is over, whether or not a grammar was found. */
export function languageSettled(name: string): boolean {
  return settled.has(name);
}

/** True once `name` can be highlighted without waiting. */
export function languageReady(name: string): boolean {
  return Boolean(loaded?.getLanguage(name));
}

/** `code` coloured for a terminal, if its language is loaded; otherwise as it is. */
export function highlight(code: string, name: string | undefined): string {
  if (!name || !loaded?.getLanguage(name)) return code;
  let html: string;
  try {
    html = loaded.highlight(code, { language: name, ignoreIllegals: true }).value;
  } catch {
    return code;
  }
  return htmlToAnsi(html);
}

const TAG = /<span class="([^"]*)">|<\/span>|[^<]+/g;
const ENTITY = /&(amp|lt|gt|quot|#x27|#39);/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'", '#39': "'" };

/** highlight.js output (text and nested `<span class="hljs-…">`) as text with SGR colours. */
export function htmlToAnsi(html: string): string {
  const stack: string[] = [];
  let out = '';
  for (const [part, classes] of html.matchAll(TAG)) {
    if (classes !== undefined) {
      const name = classes.replace(/hljs-/g, '').replace(/_+$/, '').trim();
      const colour = COLOURS[name] ?? COLOURS[name.split(' ')[0]!] ?? COLOURS[name.split('.')[0]!];
      stack.push(colour || stack[stack.length - 1] || '');
    } else if (part === '</span>') stack.pop();
    else {
      const text = part.includes('&') ? part.replace(ENTITY, (_m, e: string) => ENTITIES[e]!) : part;
      const colour = stack[stack.length - 1];
      // Each line closes its colour, so a line stands alone (a comment over two lines).
      if (!colour) out += text;
      else out += text.split('\n').map((piece) => (piece ? `\x1b[${colour}m${piece}\x1b[0m` : '')).join('\n');
    }
  }
  return out;
}
