// Syntax highlighting of code with highlight.js: its core and each language's grammar are
// loaded the first time a code block in that language is seen, then its HTML-like output
// is written as terminal colours (an emitter of ours in place of its HTML one).
import { importModule } from '../../util/import-module.js';

interface HighlightJs {
  registerLanguage(name: string, language: unknown): void;
  getLanguage(name: string): unknown;
  highlight(code: string, options: { language: string; ignoreIllegals: boolean }): HighlightResult;
  configure(options: { __emitter: unknown }): void;
}

interface HighlightResult {
  value: string;
  illegal?: boolean;
  errorRaised?: unknown;
  _emitter?: unknown;
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
    (module) => {
      module.default.configure({ __emitter: AnsiEmitter });
      return (loaded = module.default);
    },
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
  try {
    const result = loaded.highlight(code, { language: name, ignoreIllegals: true });
    // A grammar that gave up (illegal input, an error) leaves the code as it is.
    return result._emitter instanceof AnsiEmitter && !result.illegal && !result.errorRaised ? result.value : code;
  } catch {
    return code;
  }
}

const colourOfScope = new Map<string, string>();

/**
 * The colour of a highlight.js scope (`keyword`, `title.function`…), looked up as its CSS
 * class would be: `title.function` is `hljs-title function_`, coloured as `title`.
 */
function colourOf(scope: string): string | undefined {
  let colour = colourOfScope.get(scope);
  if (colour === undefined) {
    const pieces = scope.split('.');
    const name = scope.startsWith('language:') ? scope.replace('language:', 'language-') : [pieces[0], ...pieces.slice(1).map((p, i) => p + '_'.repeat(i + 1))].join(' ').replace(/_+$/, '');
    colour = COLOURS[name] ?? COLOURS[name.split(' ')[0]!] ?? COLOURS[name.split('.')[0]!] ?? '';
    colourOfScope.set(scope, colour);
  }
  return colour;
}

/**
 * Receives highlight.js's tokens (its `__emitter` option) and writes them as text with SGR
 * colours at once: no HTML to build, escape and read back. A scope without a colour of its
 * own takes the one around it; each line closes its colour, so a line stands alone.
 */
class AnsiEmitter {
  /** Text, and its colour ('' for none yet: an embedded language takes its host's). */
  private readonly parts: Array<[string, string]> = [];
  private readonly stack: string[] = [''];
  /** The last part may grow: no scope began or ended since (HTML would hold one text run). */
  private joinable = false;

  addText(text: string): void {
    if (!text) return;
    if (this.joinable) this.parts[this.parts.length - 1]![0] += text;
    else this.parts.push([text, this.stack[this.stack.length - 1]!]);
    this.joinable = true;
  }

  startScope(scope: string): void {
    this.stack.push(colourOf(scope) || this.stack[this.stack.length - 1]!);
    this.joinable = false;
  }

  endScope(): void {
    if (this.stack.length > 1) this.stack.pop();
    this.joinable = false;
  }

  openNode(scope: string): void {
    this.startScope(scope);
  }

  closeNode(): void {
    this.endScope();
  }

  __addSublanguage(emitter: AnsiEmitter, _name: string): void {
    const around = this.stack[this.stack.length - 1]!;
    for (const [text, colour] of emitter.parts) this.parts.push([text, colour || around]);
    this.joinable = false;
  }

  finalize(): void {}

  toHTML(): string {
    let out = '';
    for (const [text, colour] of this.parts) {
      if (!colour) out += text;
      else if (!text.includes('\n')) out += `\x1b[${colour}m${text}\x1b[0m`;
      else out += text.split('\n').map((piece) => (piece ? `\x1b[${colour}m${piece}\x1b[0m` : '')).join('\n');
    }
    return out;
  }
}
