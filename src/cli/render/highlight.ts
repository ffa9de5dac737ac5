// Syntax highlighting of code with Prism: its core and each language's grammar are loaded
// the first time a code block in that language is seen; its tokens are written as terminal
// colours. Prism rather than highlight.js: on the same code it costs a fifth of the CPU
// (docs/architecture.md, "Markdown in the terminal").
import { importModule } from '../../util/import-module.js';

interface Grammar {
  [key: string]: unknown;
}

interface PrismToken {
  type: string;
  content: string | PrismToken | Array<string | PrismToken>;
  alias?: string | string[];
}

interface Prism {
  languages: Record<string, Grammar | undefined>;
  tokenize(text: string, grammar: Grammar): Array<string | PrismToken>;
}

interface Loader {
  prism: Prism;
  /** Prism's language id for a name or alias (`py` is `python`), or undefined. */
  resolve(name: string): string | undefined;
  load(id: string): void;
}

/** Fence names that are neither Prism ids nor Prism aliases. */
const ALIASES: Record<string, string> = {
  mjs: 'javascript', cjs: 'javascript', node: 'javascript', mts: 'typescript', cts: 'typescript',
  python3: 'python', zsh: 'bash', console: 'bash', shellsession: 'bash', rs: 'rust', golang: 'go',
  'c++': 'cpp', cc: 'cpp', hpp: 'cpp', cxx: 'cpp', h: 'c', 'c#': 'csharp', vue: 'markup',
  make: 'makefile', patch: 'diff', jsonc: 'json', ps1: 'powershell', ex: 'elixir', exs: 'elixir',
  pl: 'perl', psql: 'sql', pgsql: 'sql', postgres: 'sql', postgresql: 'sql', mysql: 'sql', sqlite: 'sql',
};

/** The colour of each Prism token type (SGR codes); a type not here takes its alias's. */
const COLOURS: Record<string, string> = {
  keyword: '35', builtin: '36', 'class-name': '33', function: '34', 'function-definition': '34',
  string: '32', char: '32', 'template-string': '32', 'attr-value': '32', 'string-interpolation': '32',
  number: '33', boolean: '35', constant: '35', symbol: '33', entity: '33', regex: '31',
  comment: '90', shebang: '90', prolog: '90', doctype: '90', cdata: '90', decorator: '90', annotation: '90',
  property: '36', 'attr-name': '36', tag: '34', selector: '34', atrule: '35', directive: '35',
  macro: '35', important: '1', bold: '1', italic: '3', url: '4', title: '1;34',
  inserted: '32', deleted: '31', 'inserted-sign': '32', 'deleted-sign': '31',
  interpolation: '', punctuation: '', operator: '', variable: '',
};

let core: Promise<Loader | undefined> | undefined;
const languages = new Map<string, Promise<boolean>>();
const grammars = new Map<string, Grammar>();
const settled = new Set<string>();
let loaded: Prism | undefined;

function loadCore(): Promise<Loader | undefined> {
  return (core ??= (async () => {
    const prism = (await importModule<{ default: Prism }>('prismjs')).default;
    const { default: components } = await importModule<{ default: { languages: Record<string, { alias?: string | string[] }> } }>('prismjs/components.js');
    const { default: loadLanguages } = await importModule<{ default: ((ids: string[]) => void) & { silent: boolean } }>('prismjs/components/index.js');
    loadLanguages.silent = true;
    const ids = new Map<string, string>();
    for (const [id, entry] of Object.entries(components.languages)) {
      if (id === 'meta') continue;
      ids.set(id, id);
      for (const alias of ([] as string[]).concat(entry.alias ?? [])) if (!ids.has(alias)) ids.set(alias, id);
    }
    loaded = prism;
    return { prism, resolve: (name: string) => ids.get(name), load: (id: string) => loadLanguages([id]) };
  })().catch(() => undefined));
}

/** The name of the language of a fence's info string (`Python`, `py`, `ts {1,3}`…), or undefined. */
export function languageName(info: string | undefined): string | undefined {
  const word = info?.trim().split(/[\s{]/)[0]?.toLowerCase();
  if (!word || !/^[a-z0-9+#_-]+$/.test(word)) return undefined;
  return ALIASES[word] ?? word;
}

/** Loads the grammar for `name`; resolves false when Prism has none. */
export function loadLanguage(name: string): Promise<boolean> {
  let pending = languages.get(name);
  if (!pending) {
    pending = loadCore().then((loader) => {
      const id = loader?.resolve(name);
      if (!loader || !id) return false;
      try {
        if (!loader.prism.languages[id]) loader.load(id);
      } catch {
        return false;
      }
      const grammar = loader.prism.languages[id];
      if (grammar) grammars.set(name, grammar);
      return Boolean(grammar);
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
  return grammars.has(name);
}

/** `code` coloured for a terminal, if its language is loaded; otherwise as it is. */
export function highlight(code: string, name: string | undefined): string {
  const grammar = name === undefined ? undefined : grammars.get(name);
  if (!grammar) return code;
  if (!loaded) return code;
  try {
    return new Painter().paint(loaded.tokenize(code, grammar), '').text();
  } catch {
    return code;
  }
}

function colourOf(token: PrismToken): string | undefined {
  const own = COLOURS[token.type];
  if (own !== undefined) return own;
  if (token.alias === undefined) return undefined;
  for (const alias of ([] as string[]).concat(token.alias)) if (COLOURS[alias] !== undefined) return COLOURS[alias];
  return undefined;
}

/**
 * Prism's tokens as text with SGR colours. A token without a colour of its own takes the
 * one around it; neighbours of one colour share one run; each line closes its colour, so
 * a line stands alone.
 */
class Painter {
  private out = '';
  private run = '';
  private runColour = '';

  paint(tokens: ReadonlyArray<string | PrismToken>, around: string): this {
    for (const token of tokens) {
      if (typeof token === 'string') {
        this.add(token, around);
        continue;
      }
      const colour = colourOf(token) || around;
      const content = token.content;
      if (typeof content === 'string') this.add(content, colour);
      else this.paint(Array.isArray(content) ? content : [content], colour);
    }
    return this;
  }

  text(): string {
    this.flush();
    return this.out;
  }

  private add(text: string, colour: string): void {
    if (!text) return;
    if (colour !== this.runColour) this.flush();
    this.runColour = colour;
    this.run += text;
  }

  private flush(): void {
    const { run, runColour: colour } = this;
    this.run = '';
    if (!run) return;
    if (!colour) this.out += run;
    else if (!run.includes('\n')) this.out += `\x1b[${colour}m${run}\x1b[0m`;
    else this.out += run.split('\n').map((piece) => (piece ? `\x1b[${colour}m${piece}\x1b[0m` : '')).join('\n');
  }
}
