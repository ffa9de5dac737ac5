// One complete Markdown block (as marked's lexer reads it) laid out for a terminal:
// styled lines no wider than the given width.
import type { Token, Tokens } from 'marked';
import { highlight, languageName } from './highlight.js';
import { stringWidth } from './width.js';
import { pad, wrap, type Segment } from './wrap.js';

export interface Layout {
  /** Columns available. */
  width: number;
  /** Colour and other SGR styles; without, the layout is the same and markers stay readable. */
  colour: boolean;
}

const RESET = '\x1b[0m';
const BULLETS = ['•', '◦', '▪'];

const NO_STYLE: readonly [string, string] = ['', ''];
const styles = new Map<string, readonly [string, string]>();

/** The escape sequences that open and close a style (made once per style, as this is hot). */
function sgr(codes: string, layout: Layout): readonly [string, string] {
  if (!layout.colour || !codes) return NO_STYLE;
  let style = styles.get(codes);
  if (!style) styles.set(codes, (style = [`\x1b[${codes}m`, RESET]));
  return style;
}

/** Lines for a list of block tokens, blocks apart by one blank line. */
export function renderBlocks(tokens: readonly Token[], layout: Layout, tight = false): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const lines = renderBlock(token, layout);
    if (!lines.length) continue;
    if (out.length && !(tight && (token.type === 'list' || token.type === 'text'))) out.push('');
    out.push(...lines);
  }
  return out;
}

function renderBlock(token: Token, layout: Layout): string[] {
  const width = Math.max(layout.width, 8);
  switch (token.type) {
    case 'space':
    case 'def':
      return [];
    case 'paragraph':
      return wrap(inline((token as Tokens.Paragraph).tokens, layout, ''), width);
    case 'text': {
      const text = token as Tokens.Text;
      return wrap(text.tokens ? inline(text.tokens, layout, '') : [{ text: text.text, open: '', close: '' }], width);
    }
    case 'heading': {
      const heading = token as Tokens.Heading;
      const style = heading.depth === 1 ? '1;4;35' : heading.depth === 2 ? '1;35' : '1';
      const marker = layout.colour ? [] : [{ text: '#'.repeat(heading.depth) + ' ', open: '', close: '' }];
      return wrap([...marker, ...inline(heading.tokens, layout, style)], width);
    }
    case 'code':
      return renderCode(token as Tokens.Code, layout);
    case 'blockquote': {
      const [open, close] = sgr('90', layout);
      const inner = renderBlocks((token as Tokens.Blockquote).tokens, { ...layout, width: width - 2 });
      return inner.map((line) => (line ? `${open}│${close} ${line}` : `${open}│${close}`));
    }
    case 'list':
      return renderList(token as Tokens.List, layout, 0);
    case 'table':
      return renderTable(token as Tokens.Table, layout);
    case 'hr': {
      const [open, close] = sgr('90', layout);
      return [open + '─'.repeat(Math.min(width, 80)) + close];
    }
    case 'html':
      return (token as Tokens.HTML).text.replace(/\n+$/, '').split('\n');
    default:
      return token.raw.replace(/\n+$/, '').split('\n');
  }
}

/** A fenced block: its fences dim, its lines highlighted, never wrapped (code is copied). */
function renderCode(code: Tokens.Code, layout: Layout): string[] {
  const body = codeLines(code.text, languageName(code.lang), layout);
  if (code.codeBlockStyle === 'indented') return body.map((line) => '    ' + line);
  return [fence('```' + (code.lang ?? ''), layout), ...body, fence('```', layout)];
}

export function fence(text: string, layout: Layout): string {
  const [open, close] = sgr('90', layout);
  return open + text + close;
}

/** Lines of code, coloured when colour is on and the language's grammar is loaded. */
export function codeLines(text: string, language: string | undefined, layout: Layout): string[] {
  return (layout.colour ? highlight(text, language) : text).split('\n');
}

function bullet(list: Tokens.List, index: number, depth: number, numberWidth: number): string {
  if (!list.ordered) return BULLETS[depth % BULLETS.length]!;
  const start = typeof list.start === 'number' ? list.start : 1;
  return `${start + index}.`.padStart(numberWidth);
}

function renderList(list: Tokens.List, layout: Layout, depth: number): string[] {
  const start = typeof list.start === 'number' ? list.start : 1;
  const numberWidth = list.ordered ? `${start + list.items.length - 1}.`.length : 1;
  const [open, close] = sgr('33', layout);
  const out: string[] = [];
  list.items.forEach((item, index) => {
    const checked = item.tokens.find((child) => child.type === 'checkbox') as Tokens.Checkbox | undefined;
    const marker = bullet(list, index, depth, numberWidth);
    const box = checked ? (checked.checked ? ' [x]' : ' [ ]') : '';
    const indent = stringWidth(marker + box) + 1;
    const inner = { ...layout, width: Math.max(layout.width - indent, 8) };
    const lines: string[] = [];
    const blocks = item.tokens.filter((child) => child.type !== 'checkbox');
    for (const child of blocks) {
      const rendered =
        child.type === 'list' ? renderList(child as Tokens.List, inner, depth + 1) : renderBlocks([child], inner);
      if (!rendered.length) continue;
      if (lines.length && (list.loose || item.loose) && child.type !== 'list') lines.push('');
      lines.push(...rendered);
    }
    if (!lines.length) lines.push('');
    if (index > 0 && list.loose) out.push('');
    out.push(open + marker + close + box + ' ' + lines[0], ...lines.slice(1).map((line) => (line ? ' '.repeat(indent) + line : line)));
  });
  return out;
}

// Tables are laid out with plain loops and no closures made per table: they are hot on
// long answers, and closures made per call kept V8 deoptimizing this code.
function renderTable(table: Tokens.Table, layout: Layout): string[] {
  const columns = table.header.length;
  const header = cellSegments(table.header, layout, '1');
  const rows: Segment[][][] = [];
  for (const row of table.rows) rows.push(cellSegments(row, layout, ''));
  const natural: number[] = [];
  const words: number[] = [];
  for (let i = 0; i < columns; i++) {
    let width = Math.max(3, maxLineWidth(header[i]!));
    // Words are not cut while the columns can shrink to their longest word; then they are.
    let word = Math.max(1, longestWord(header[i]!));
    for (const row of rows) {
      const cell = row[i] ?? [];
      width = Math.max(width, maxLineWidth(cell));
      word = Math.max(word, longestWord(cell));
    }
    natural.push(width);
    words.push(word);
  }
  // Shrink the widest columns until the table fits (three columns of rule per cell, plus one).
  const room = Math.max(layout.width - (3 * columns + 1), columns);
  const widths = natural.slice();
  shrink(widths, words, room);
  shrink(widths, new Array<number>(columns).fill(1), room);
  const [open, close] = sgr('90', layout);
  const bar = open + '│' + close;
  const out = [tableRule(widths, '┌', '┬', '┐', open, close)];
  tableRow(out, header, widths, table.align, bar);
  out.push(tableRule(widths, '├', '┼', '┤', open, close));
  for (const row of rows) tableRow(out, row, widths, table.align, bar);
  out.push(tableRule(widths, '└', '┴', '┘', open, close));
  return out;
}

function cellSegments(cells: readonly Tokens.TableCell[], layout: Layout, style: string): Segment[][] {
  const out: Segment[][] = [];
  for (const cell of cells) out.push(inline(cell.tokens, layout, style));
  return out;
}

/** Narrows the widest column, one column at a time, until the widths fit `room` or reach `floor`. */
function shrink(widths: number[], floor: readonly number[], room: number): void {
  let total = 0;
  for (const width of widths) total += width;
  while (total > room) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (widths[i]! > floor[i]! && (widest === -1 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest === -1) return;
    widths[widest]!--;
    total--;
  }
}

function tableRule(widths: readonly number[], left: string, mid: string, right: string, open: string, close: string): string {
  let line = open + left;
  for (let i = 0; i < widths.length; i++) line += (i ? mid : '') + '─'.repeat(widths[i]! + 2);
  return line + right + close;
}

/** The lines of one row: each cell wrapped to its column, the row as tall as its tallest cell. */
function tableRow(out: string[], cells: readonly Segment[][], widths: readonly number[], align: Tokens.Table['align'], bar: string): void {
  const wrapped: string[][] = [];
  let height = 0;
  for (let i = 0; i < widths.length; i++) {
    const lines = wrap(cells[i] ?? [], widths[i]!);
    wrapped.push(lines);
    height = Math.max(height, lines.length);
  }
  for (let r = 0; r < height; r++) {
    let line = bar;
    for (let i = 0; i < widths.length; i++) line += ' ' + pad(wrapped[i]![r] ?? '', widths[i]!, align[i] ?? 'left') + ' ' + bar;
    out.push(line);
  }
}

function textOf(segments: readonly Segment[]): string {
  let text = '';
  for (const segment of segments) text += segment.text;
  return text;
}

function longestWord(segments: readonly Segment[]): number {
  let max = 0;
  for (const word of textOf(segments).split(/\s+/)) max = Math.max(max, stringWidth(word));
  return max;
}

function maxLineWidth(segments: readonly Segment[]): number {
  let max = 0;
  for (const line of textOf(segments).split('\n')) max = Math.max(max, stringWidth(line));
  return max;
}

/** Inline tokens as styled segments; `style` is the SGR codes of the enclosing element. */
export function inline(tokens: readonly Token[] | undefined, layout: Layout, style: string, link = ''): Segment[] {
  const out: Segment[] = [];
  addInline(out, tokens, layout, style, link);
  return out;
}

/** Adds the segments of `tokens` to `out` (one array for all the nesting: this is hot). */
function addInline(out: Segment[], tokens: readonly Token[] | undefined, layout: Layout, style: string, link: string): void {
  if (!tokens) return;
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
      case 'escape': {
        const text = token as Tokens.Text;
        if (text.tokens?.length) addInline(out, text.tokens, layout, style, link);
        else plain(out, decodeEntities(text.text), style, layout, link);
        break;
      }
      case 'strong':
        addInline(out, (token as Tokens.Strong).tokens, layout, within(style, '1'), link);
        break;
      case 'em':
        addInline(out, (token as Tokens.Em).tokens, layout, within(style, '3'), link);
        break;
      case 'del':
        addInline(out, (token as Tokens.Del).tokens, layout, within(style, '9'), link);
        break;
      case 'codespan': {
        const text = (token as Tokens.Codespan).text;
        if (layout.colour) plain(out, text, within(style, '36'), layout, link);
        else plain(out, '`' + text + '`', style, layout, link);
        break;
      }
      case 'br':
        plain(out, '\n', style, layout, link);
        break;
      case 'link': {
        const { href, tokens: children } = token as Tokens.Link;
        let text = '';
        for (const child of children) text += child.raw;
        if (layout.colour && /^(https?|mailto|file):/i.test(href)) {
          addInline(out, children, layout, within(style, '4;34'), `\x1b]8;;${href}\x1b\\`);
        } else {
          addInline(out, children, layout, within(style, '4;34'), link);
          if (text !== href && href) plain(out, ` (${href})`, within(style, '90'), layout, link);
        }
        break;
      }
      case 'image': {
        const image = token as Tokens.Image;
        plain(out, `[image: ${image.text || image.href}]`, within(style, '90'), layout, link);
        if (image.href) plain(out, ` (${image.href})`, within(style, '90'), layout, link);
        break;
      }
      case 'html':
        plain(out, (token as Tokens.HTML).text, style, layout, link);
        break;
      case 'checkbox':
        plain(out, (token as Tokens.Checkbox).checked ? '[x] ' : '[ ] ', style, layout, link);
        break;
      default:
        plain(out, token.raw, style, layout, link);
    }
  }
}

/** The SGR codes of a style inside another. */
function within(style: string, codes: string): string {
  return style ? `${style};${codes}` : codes;
}

function plain(out: Segment[], text: string, codes: string, layout: Layout, link: string): void {
  const [open, close] = sgr(codes, layout);
  out.push({ text, open: link ? link + open : open, close: link ? close + OSC8_END : close });
}

const OSC8_END = '\x1b]8;;\x1b\\';
const ENTITY = /&([a-z]+|#\d+|#x[\da-f]+);/gi;
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', reg: '®', trade: '™',
  mdash: '—', ndash: '–', hellip: '…', laquo: '«', raquo: '»', times: '×', deg: '°', middot: '·',
};

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (match, name: string) => {
    const lower = name.toLowerCase();
    if (lower in NAMED) return NAMED[lower]!;
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
  });
}
