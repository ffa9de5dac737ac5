// Markdown rendered as it streams. Text shows at once, plain; when a block is complete
// (see blocks.ts) the plain lines that showed it are erased and the rendered block is
// written in their place. What is not yet complete stays plain below it.
import type { Token } from 'marked';
import { importModule } from '../../util/import-module.js';
import { BlockSplitter, type Item } from './blocks.js';
import { languageName, languageReady, languageSettled, loadLanguage } from './highlight.js';
import { codeLines, fence, renderBlocks, type Layout } from './markdown.js';
import { quickLex } from './quick-lexer.js';
import { advance } from './width.js';

/** Where rendered text goes: a terminal's write, and its size when asked. */
export interface Screen {
  write(text: string): boolean;
  columns(): number;
  rows(): number;
}

type Lexer = (markdown: string) => Token[];

let lexer: Promise<Lexer | undefined> | undefined;
let lexerLoaded: Lexer | undefined;
let lexerFailed = false;

/** marked's lexer, loaded once (and only when something is rendered). */
export function loadLexer(): Promise<Lexer | undefined> {
  return (lexer ??= importModule<{ lexer: (text: string, options: { gfm: boolean }) => Token[] }>('marked').then(
    (marked) => (lexerLoaded = (text) => marked.lexer(text, { gfm: true })),
    () => {
      lexerFailed = true;
      return undefined;
    },
  ));
}

/** Renders one whole Markdown text (all of it known): the lines, each ended by '\n'. */
export function renderWhole(text: string, layout: Layout, quick: Token[] | undefined = quickLex(text)): string {
  const tokens = quick ?? lexerLoaded?.(text);
  if (!tokens) return text.endsWith('\n') ? text : text + '\n';
  const lines = renderBlocks(tokens, layout);
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** Loads marked and the grammars of the code blocks in `text`. */
export async function preload(text: string): Promise<void> {
  await loadLexer();
  const names = [...text.matchAll(/^\s*(?:```|~~~)\s*([^\s`{]+)/gm)].map((m) => languageName(m[1]));
  await Promise.all(names.filter((n): n is string => Boolean(n)).map((n) => loadLanguage(n)));
}

/**
 * Erases the cursor's row and the `rows` above it, leaving the cursor at the start of the
 * top one. Line by line (EL), not "erase below" (ED): tmux and some terminals copy a
 * screen cleared from its top into the scrollback.
 */
export function eraseRows(rows: number): string {
  if (rows === 0) return '\r\x1b[2K';
  return `\x1b[${rows}A\r` + '\x1b[2K\x1b[B'.repeat(rows) + `\x1b[2K\x1b[${rows}A`;
}

export class MarkdownStream {
  private partial = '';
  private readonly splitter = new BlockSplitter();
  private queue: Item[] = [];
  /** Plain text on screen below the last rendered output, and where it left the cursor. */
  private region = '';
  private regionAt = { rows: 0, col: 0 };
  private regionColumns = 0;
  /** Something has been rendered: the next block gets a blank line before it. */
  private rendered = false;
  /** The block being shown plain to the end (it grew taller than the screen). */
  private plainBlock = -1;
  private codeLanguage: string | undefined;
  private waiting: Promise<unknown>[] = [];
  /**
   * marked and the grammars load once the first text is on screen (not before: their
   * loading would delay it); until then, the grammars asked for wait here.
   */
  private loading = false;
  private languagesAsked: string[] = [];
  private quickTokens = new WeakMap<Item, Token[] | null>();
  private lexerAsked = false;
  /** Some text has arrived. */
  private textArrived = false;
  /** Something was written or loaded since the last flush(). */
  private changed = false;
  private inCode = false;
  private closed = false;
  /** Text written since the last flush(): shown (plain, or rendered) by it. */
  private unshown = '';
  /** Output not yet written: written by flush(), once for all the text of one network read. */
  private output = '';

  constructor(
    private readonly screen: Screen,
    private readonly layout: Omit<Layout, 'width'>,
    /** Shows text plain until it is rendered (a terminal); false writes rendered blocks only (a pipe). */
    private readonly live = true,
  ) {
  }

  write(text: string): void {
    if (!text) return;
    // Only the new text is searched: `partial` is a rope that searching would flatten.
    const newline = text.lastIndexOf('\n');
    if (newline === -1) this.partial += text;
    else {
      const lines = (this.partial + text.slice(0, newline)).split('\n');
      for (let i = 0; i < lines.length; i++) this.take(this.splitter.push(lines[i]!));
      this.partial = text.slice(newline + 1);
    }
    // Piped, nothing is shown plain.
    if (this.live) this.unshown += text;
    this.textArrived = true;
    this.changed = true;
  }

  /**
   * Shows what was written since the last flush and writes it to the screen, in one write.
   * Called once per network read: what completes blocks in it is not shown plain first.
   */
  flush(): void {
    // Called for every event, most of them after the first of their read has shown them all.
    if (!this.changed && !this.output) return;
    this.changed = false;
    this.showUnshown();
    if (!this.output) {
      // Piped, nothing shows before it is rendered: no reason to wait.
      if (!this.live && this.textArrived) this.startLoading();
      return;
    }
    const text = this.output;
    this.output = '';
    this.screen.write(text);
    this.startLoading();
  }

  /** Loads what rendering `text` needs: for text that arrives whole, so it is not shown plain first. */
  async load(text: string): Promise<void> {
    this.startLoading();
    await preload(text);
  }

  /** Starts loading the grammars asked for so far, and marked if a block needs it (once). */
  private startLoading(): void {
    if (this.loading) return;
    this.loading = true;
    if (this.lexerAsked) this.track(loadLexer());
    for (const name of this.languagesAsked) this.track(loadLanguage(name));
    this.languagesAsked = [];
  }

  private emit(text: string): void {
    this.output += text;
  }

  /** The end of the answer: renders everything (waiting for grammars still loading). */
  async end(): Promise<void> {
    this.startLoading();
    if (this.partial) {
      const line = this.partial;
      this.partial = '';
      this.take(this.splitter.push(line));
    }
    this.take(this.splitter.end());
    if (this.queue.some((item) => item.kind === 'block' && !this.tokensOf(item))) this.askLexer();
    while (this.waiting.length) {
      const pending = this.waiting;
      this.waiting = [];
      await Promise.all(pending);
    }
    this.showUnshown();
    if (this.live && this.region && !this.region.trim()) {
      // Only blank lines are left below the last block: they go.
      this.emit(eraseRows(this.regionAt.rows));
      this.region = '';
    }
    if (this.region && !this.region.endsWith('\n')) this.emit('\n');
    else if (!this.rendered && !this.region) this.emit('\n');
    this.flush();
  }

  private track(promise: Promise<unknown>): void {
    const settled = promise.then(() => {
      this.changed = true;
      this.flush();
    });
    this.waiting.push(settled);
  }

  private take(items: Item[]): void {
    for (const item of items) {
      if (item.kind === 'code-start') {
        const name = languageName(item.info);
        if (name && this.layout.colour && !languageReady(name)) {
          if (this.loading) this.track(loadLanguage(name));
          else this.languagesAsked.push(name);
        }
      }
      this.queue.push(item);
    }
  }

  /** The quick lexer's tokens for a block (null: marked must read it), read once. */
  private tokensOf(item: Item): Token[] | null {
    let tokens = this.quickTokens.get(item);
    if (tokens === undefined) this.quickTokens.set(item, (tokens = quickLex((item as { text: string }).text) ?? null));
    return tokens;
  }

  /** marked is loaded the first time a block needs it: most answers never do. */
  private askLexer(): void {
    if (this.lexerAsked) return;
    this.lexerAsked = true;
    if (this.loading) this.track(loadLexer());
  }

  private ready(item: Item): boolean {
    if (item.kind === 'block') {
      if (this.tokensOf(item) || lexerLoaded || lexerFailed) return true;
      this.askLexer();
      return false;
    }
    if (item.kind === 'code-start') return true;
    // Piped, a code block is highlighted whole, once it is complete.
    if (!this.live && item.kind === 'code-line' && this.splitter.isOpen(item.id)) return false;
    if (!this.layout.colour || !this.codeLanguage) return true;
    return languageReady(this.codeLanguage) || languageSettled(this.codeLanguage);
  }

  /** Stops rendering (an error or Ctrl-C): what is on screen stays as it is. */
  abandon(): void {
    this.flush();
    this.closed = true;
  }

  /** A blank line goes between blocks, not between the lines of a code block. */
  private gap(): string {
    return this.rendered && !this.inCode ? '\n' : '';
  }

  private showUnshown(): void {
    const text = this.unshown;
    this.unshown = '';
    this.show(text);
  }

  /** Writes `text` (which just arrived) plain, or redraws with what is now complete. */
  private show(text: string): void {
    if (this.closed) return;
    const columns = Math.max(this.screen.columns(), 8);
    if (columns !== this.regionColumns) {
      // The terminal was resized: the plain text on screen now wraps differently.
      this.regionAt = advance(this.region, columns, { rows: 0, col: 0 });
      this.regionColumns = columns;
    }
    let dropped = false;
    while (this.queue.length && this.queue[0]!.id <= this.plainBlock) {
      this.queue.shift();
      dropped = true;
    }
    if (dropped && !this.splitter.isOpen(this.plainBlock)) {
      // The block shown plain is complete: what is below it is the new plain region.
      this.emit(text);
      text = '';
      this.plainBlock = -1;
      this.region = this.leftover();
      this.regionAt = advance(this.region, columns, { rows: 0, col: 0 });
    }
    let out = '';
    while (this.queue.length && this.ready(this.queue[0]!)) {
      if (this.queue[0]!.kind === 'code-line') out += this.renderCode(columns);
      else out += this.render(this.queue.shift()!, columns);
    }
    if (out && !this.live) {
      this.emit(out);
      return;
    }
    if (out) {
      const erase = eraseRows(this.regionAt.rows);
      const rest = this.leftover();
      this.region = rest ? this.gap() + rest : '';
      this.regionAt = advance(this.region, columns, { rows: 0, col: 0 });
      this.emit(erase + out + this.region);
      return;
    }
    if (!text || !this.live) return;
    if (this.plainBlock !== -1) {
      this.emit(text);
      return;
    }
    if (!this.region) {
      // Blank lines between blocks are not shown: the rendered gap replaces them.
      if (!text.trim()) return;
      text = this.gap() + text.replace(/^\s*\n/, '');
    }
    this.emit(text);
    this.region += text;
    this.regionAt = advance(text, columns, this.regionAt);
    if (this.regionAt.rows >= Math.max(this.screen.rows() - 2, 2)) {
      // Too tall to erase: what is open stays plain to its end.
      this.plainBlock = Math.max(this.splitter.currentId, ...this.queue.map((item) => item.id));
      this.region = '';
      this.regionAt = { rows: 0, col: 0 };
    }
  }

  private leftover(): string {
    return this.queue.map((item) => item.raw).join('') + this.splitter.openText() + this.partial;
  }

  /**
   * The code lines at the head of the queue, highlighted in one go: all of the block when
   * piped, the lines that arrived together when live (highlighting has a cost per call).
   */
  private renderCode(columns: number): string {
    const lines: string[] = [];
    while (this.queue.length && this.queue[0]!.kind === 'code-line') lines.push((this.queue.shift() as { text: string }).text);
    const code = lines.join('\n');
    if (!this.layout.colour) return code + '\n';
    return codeLines(code, this.codeLanguage, this.layoutFor(columns)).join('\n') + '\n';
  }

  private layouts = new Map<number, Layout>();

  private layoutFor(columns: number): Layout {
    let layout = this.layouts.get(columns);
    if (!layout) this.layouts.set(columns, (layout = { ...this.layout, width: columns }));
    return layout;
  }

  private render(item: Item, columns: number): string {
    const layout = this.layoutFor(columns);
    const gap = this.gap();
    switch (item.kind) {
      case 'block': {
        const text = renderWhole(item.text, layout, this.tokensOf(item) ?? undefined);
        if (!text) return '';
        this.rendered = true;
        return gap + text;
      }
      case 'code-start':
        this.codeLanguage = languageName(item.info);
        this.rendered = true;
        this.inCode = true;
        return gap + fence(item.raw.trim(), layout) + '\n';
      case 'code-line':
        return codeLines(item.text, this.codeLanguage, layout).join('\n') + '\n';
      case 'code-end':
        this.codeLanguage = undefined;
        this.inCode = false;
        return item.raw ? fence(item.raw.trim(), layout) + '\n' : '';
    }
  }
}
