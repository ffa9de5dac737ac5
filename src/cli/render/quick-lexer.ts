// A fast path past marked's lexer for the blocks answers are made of: paragraphs,
// headings, quotes, rules, lists (with code and nested lists in their items), simple
// tables and HTML blocks, with emphasis, code spans, links, bare URLs, escapes and hard
// breaks. It gives the tokens marked would give (the shapes markdown.ts reads), and gives
// up (undefined) on anything else or anything unsure: marked stays the parser of record,
// and a test checks on hundreds of real documents that every block taken here renders as
// marked's tokens do. Why: on a long answer, marked's lexer costs more than the whole
// rendering budget, most of it V8 compiling marked's large functions and expressions.
import type { Token, Tokens } from 'marked';

/** marked's tokens for one complete block, or undefined when it is not a shape taken here. */
export function quickLex(block: string): Token[] | undefined {
  if (block.includes('\t') || block.includes('\r')) return undefined;
  const first = block.charCodeAt(0);
  if (first === 0x23 /* # */) return heading(block);
  const lines = block.split('\n');
  if (first === 0x3e /* > */) return blockquote(block, lines);
  if (first === 0x3c /* < */) return HTML_BLOCK.test(lines[0]!) ? [{ type: 'html', block: true, pre: false, raw: block, text: block }] : undefined;
  if (lines.length >= 2 && lines[1]!.includes('-') && lines[0]!.includes('|')) return block.includes('\\') ? undefined : table(block, lines);
  if (RULE.test(block)) return [{ type: 'hr', raw: block }];
  if (LIST_LINE.test(lines[0]!)) return list(block, lines);
  if (lines.length === 2 && SETEXT.test(lines[1]!)) return setext(block, lines);
  return paragraph(block, lines);
}

/**
 * The start of an HTML block that runs to the next blank line (CommonMark's sixth kind:
 * block-level tag names), which marked keeps as it is.
 */
const HTML_BLOCK = new RegExp(
  '^</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|meta|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:\\s|/?>|$)',
  'i',
);

/** Blocks apart by blank lines, each taken here, or undefined. */
function blocks(text: string): Token[] | undefined {
  const out: Token[] = [];
  for (const part of text.split(/\n(?: *\n)+/)) {
    if (!part.trim()) continue;
    const tokens = quickLex(part);
    if (!tokens) return undefined;
    out.push(...tokens);
  }
  return out;
}

function blockquote(block: string, lines: string[]): Token[] | undefined {
  const inner: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('>')) return undefined;
    inner.push(line.startsWith('> ') ? line.slice(2) : line.slice(1));
  }
  const text = inner.join('\n');
  if (/^ /m.test(text)) return undefined;
  const tokens = blocks(text);
  return tokens && [{ type: 'blockquote', raw: block, text, tokens }];
}

const SETEXT = /^(?:=+|-+)$/;

function setext(block: string, lines: string[]): Token[] | undefined {
  const text = lines[0]!;
  if (!paragraph(text, [text])) return undefined;
  const tokens = inlineTokens(text);
  return tokens && [{ type: 'heading', raw: block, depth: lines[1]![0] === '=' ? 1 : 2, text, tokens }];
}

const RULE = /^(?:\*{3,}|-{3,}|_{3,})$/;
const LIST_LINE = /^( *)([-*+]|\d{1,9}[.)]) (\S.*)$/;
/** A line that would start or end a block, or change one, when not first. */
const BLOCKISH = /^ *(?:[#>|<=]|\[[^\]]*\]:|[-*+_]( |$)|\d{1,9}[.)]( |$)|`{3}|~{3}|-{2,} *$|\*{3,}|_{3,})/;

function paragraph(block: string, lines: string[]): Token[] | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line || line.startsWith(' ') || BLOCKISH.test(line)) return undefined;
    // A hard break (two spaces or more) may end a line, but not the last.
    if (line.endsWith(' ') && (i === lines.length - 1 || !line.endsWith('  ') || !line.trim())) return undefined;
  }
  const tokens = inlineTokens(block);
  if (!tokens) return undefined;
  return [{ type: 'paragraph', raw: block, text: block, tokens }];
}

function heading(line: string): Token[] | undefined {
  const match = /^(#{1,6}) (\S(?:.*\S)?)$/.exec(line);
  if (!match || line.includes('\n') || match[2]!.endsWith('#')) return undefined;
  const tokens = inlineTokens(match[2]!);
  if (!tokens) return undefined;
  return [{ type: 'heading', raw: line, depth: match[1]!.length, text: match[2]!, tokens }];
}

/**
 * A list at column 0: its items, each its first line's text and the lines indented under
 * it (blank lines too); read the way marked reads them, with what each item holds read by
 * itemBlocks.
 */
function list(block: string, lines: string[]): Token[] | undefined {
  const first = LIST_LINE.exec(lines[0]!);
  if (!first || first[1]) return undefined;
  const ordered = isOrdered(first[2]!);
  const bullet = ordered ? first[2]!.slice(-1) : first[2]!;
  const drafts: Array<{ lines: string[]; width: number }> = [];
  let loose = false;
  for (const line of lines) {
    const current = drafts[drafts.length - 1];
    if (!line.trim()) {
      current!.lines.push('');
      continue;
    }
    const item = line[0] !== ' ' ? LIST_LINE.exec(line) : null;
    if (item) {
      const marker = item[2]!;
      if (isOrdered(marker) !== ordered || (ordered ? marker.slice(-1) : marker) !== bullet) return undefined;
      if (current && current.lines[current.lines.length - 1] === '') loose = true;
      drafts.push({ lines: [item[3]!], width: marker.length + 1 });
      continue;
    }
    if (!current || indentOf(line) < current.width) return undefined;
    current.lines.push(line.slice(current.width));
  }
  const items: Tokens.ListItem[] = [];
  for (const draft of drafts) {
    while (draft.lines[draft.lines.length - 1] === '') draft.lines.pop();
    const item = listItem(draft.lines);
    if (!item) return undefined;
    if (item.loose) loose = true;
    items.push(item);
  }
  if (loose) {
    for (const item of items) {
      item.loose = true;
      item.tokens = item.tokens.map((token) => (token.type === 'text' ? { ...token, type: 'paragraph' } : token)) as Token[];
    }
  }
  const start = ordered ? Number(first[2]!.slice(0, -1)) : '';
  return [{ type: 'list', raw: block, ordered, start, loose, items }];
}

function isOrdered(marker: string): boolean {
  return marker.length > 1 || !'-*+'.includes(marker);
}

function indentOf(line: string): number {
  let i = 0;
  while (line[i] === ' ') i++;
  return i;
}

/** One item, from its lines (the first one's text, then the lines under it, unindented). */
function listItem(lines: string[]): Tokens.ListItem | undefined {
  const text = lines.join('\n');
  const task = /^\[([ xX])\] (?=\S)/.exec(lines[0]!);
  if (task) lines = [lines[0]!.slice(task[0].length), ...lines.slice(1)];
  if (BLOCKISH.test(lines[0]!) || /^\d{1,9}[.)]$|^[-*+]$/.test(lines[0]!)) return undefined;
  const content = itemBlocks(lines);
  if (!content) return undefined;
  const tokens: Token[] = [];
  if (task) tokens.push({ type: 'checkbox', raw: task[0], checked: task[1] !== ' ' });
  tokens.push(...content.tokens);
  return { type: 'list_item', raw: text, task: Boolean(task), checked: task ? task[1] !== ' ' : undefined, loose: content.loose, text, tokens };
}

const FENCE_OPEN = /^(`{3,}|~{3,})([^`]*)$/;
const BACKTICK_FENCE = /^`+ *$/;
const TILDE_FENCE = /^~+ *$/;

/** What an item holds: text, fenced code and a nested list, apart or not by blank lines. */
function itemBlocks(lines: string[]): { tokens: Token[]; loose: boolean } | undefined {
  const tokens: Token[] = [];
  let loose = false;
  let blank = false;
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    if (!line) {
      blank = tokens.length > 0;
      i++;
      continue;
    }
    if (blank) {
      tokens.push({ type: 'space', raw: '\n\n' });
      loose = true;
      blank = false;
    }
    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      const marks = fence[1]!;
      let end = i + 1;
      const closing = marks[0] === '`' ? BACKTICK_FENCE : TILDE_FENCE;
      while (end < lines.length && !(lines[end]!.startsWith(marks) && closing.test(lines[end]!))) end++;
      if (end === lines.length) return undefined;
      const body = lines.slice(i + 1, end);
      tokens.push({ type: 'code', raw: lines.slice(i, end + 1).join('\n'), lang: fence[2]!.trim(), text: body.join('\n') });
      i = end + 1;
      continue;
    }
    if (LIST_LINE.test(line)) {
      // A nested list runs to the end of the item (a paragraph after it is marked's to read).
      const rest = lines.slice(i);
      while (rest[rest.length - 1] === '') rest.pop();
      const nested = list(rest.join('\n'), rest);
      if (!nested) return undefined;
      tokens.push(...nested);
      break;
    }
    let end = i;
    while (end < lines.length && lines[end] && !FENCE_OPEN.test(lines[end]!) && !(end > i && LIST_LINE.test(lines[end]!))) end++;
    const chunk = lines.slice(i, end);
    const paragraphTokens = paragraph(chunk.join('\n'), chunk);
    if (!paragraphTokens) return undefined;
    const [para] = paragraphTokens as [Tokens.Paragraph];
    tokens.push({ type: 'text', raw: para.raw, text: para.text, tokens: para.tokens });
    i = end;
  }
  return { tokens, loose };
}

const DELIMITER_CELL = /^ *(:?)-+(:?) *$/;

function table(block: string, lines: string[]): Token[] | undefined {
  if (lines.length < 2) return undefined;
  const cellsOf = (line: string) => {
    if (!line.startsWith('|') || !line.endsWith('|') || line.length < 2) return undefined;
    return line.slice(1, -1).split('|');
  };
  const head = cellsOf(lines[0]!);
  const delimiter = cellsOf(lines[1]!);
  if (!head || !delimiter || head.length !== delimiter.length) return undefined;
  const align: Array<'left' | 'right' | 'center' | null> = [];
  for (const cell of delimiter) {
    const match = DELIMITER_CELL.exec(cell);
    if (!match) return undefined;
    align.push(match[1] && match[2] ? 'center' : match[1] ? 'left' : match[2] ? 'right' : null);
  }
  const cell = (text: string, header: boolean, index: number): Tokens.TableCell | undefined => {
    const trimmed = text.trim();
    const tokens = trimmed ? inlineTokens(trimmed) : [];
    return tokens && { text: trimmed, tokens, header, align: align[index]! };
  };
  const header: Tokens.TableCell[] = [];
  for (let i = 0; i < head.length; i++) {
    const c = cell(head[i]!, true, i);
    if (!c) return undefined;
    header.push(c);
  }
  const rows: Tokens.TableCell[][] = [];
  for (const line of lines.slice(2)) {
    const cells = cellsOf(line);
    if (!cells || cells.length !== head.length) return undefined;
    const row: Tokens.TableCell[] = [];
    for (let i = 0; i < cells.length; i++) {
      const c = cell(cells[i]!, false, i);
      if (!c) return undefined;
      row.push(c);
    }
    rows.push(row);
  }
  return [{ type: 'table', raw: block, header, align, rows }];
}

const SPECIAL = /[\\*_`[!<~]| {2,}\n/;
/** The next character that may start something other than text (searched from lastIndex). */
const NEXT_SPECIAL = /[\\*_`[!<~]| {2,}\n|(?:https?|ftp):\/\/|www\./gi;
/** A bare URL, as GFM reads one: a scheme or www., a domain, then anything but spaces and <. */
const BARE_URL = /^(?:(?:https?|ftp):\/\/|www\.)(?:[a-zA-Z0-9-]+\.?)+[^\s<]*/i;
/** What a bare URL keeps: trailing punctuation and an unmatched ) go back to the text. */
const URL_KEEPS = /(?:[^?!.,:;*_'"~()&]+|\([^)]*\)|&(?![a-zA-Z0-9]+;$)|[?!.,:;*_'"~)]+(?!$))+/;
const PUNCTUATION = /[!-/:-@[-`{-~\p{P}\p{S}]/u;
const SPACE = /\s/;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
/** Text marked would read as a link of its own (GFM's bare URLs and e-mail addresses). */
const AUTOLINK = /:\/\/|www\.|@/;
const LINK = /^\[([^[\]\n`*_~\\<]+)\]\(([^\s()<>"'`*_~\\]+)\)/;
const IMAGE = /^!\[([^[\]\n`*_~\\<]*)\]\(([^\s()<>"'`*_~\\]+)\)/;
const ANGLE_LINK = /^<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>\\`*_~]*)>/;
const TAG = /^<\/?[a-zA-Z][a-zA-Z0-9-]*>/;

/**
 * Inline tokens for `text`: plain text, **strong**, *em* (and the `_` forms), ~~del~~,
 * `code`, [plain](links), ![images](x), <https://links>, simple tags, escapes and hard
 * breaks. Undefined for anything else, or anything unsure.
 */
export function inlineTokens(text: string): Token[] | undefined {
  if (!SPECIAL.test(text) && !AUTOLINK.test(text)) return [textToken(text)];
  const out: Token[] = [];
  let plain = 0;
  let i = 0;
  let unsure = false;
  const pushText = (end: number) => {
    if (end <= plain) return;
    const piece = text.slice(plain, end);
    if (AUTOLINK.test(piece)) unsure = true;
    out.push(textToken(piece));
  };
  const push = (token: Token, end: number) => {
    pushText(i);
    out.push(token);
    i = plain = end;
  };
  while (!unsure) {
    NEXT_SPECIAL.lastIndex = i;
    const next = NEXT_SPECIAL.exec(text);
    if (!next) break;
    i = next.index;
    const char = text[i]!;
    switch (char) {
      case '\\': {
        const next = text[i + 1];
        if (next === '\n') return undefined;
        if (next !== undefined && ASCII_PUNCTUATION.test(next)) push({ type: 'escape', raw: '\\' + next, text: next }, i + 2);
        else i++;
        continue;
      }
      case 'h':
      case 'H':
      case 'f':
      case 'F':
      case 'w':
      case 'W': {
        const url = bareUrl(text, i);
        if (!url) return undefined;
        const href = /^www\./i.test(url) ? 'http://' + url : url;
        push({ type: 'link', raw: url, text: url, href, tokens: [{ type: 'text', raw: url, text: url }] }, i + url.length);
        continue;
      }
      case ' ':
        // Two spaces or more before a line break: a hard break.
        push({ type: 'br', raw: next[0] }, i + next[0].length);
        continue;
      case '`': {
        const run = runLength(text, i, '`');
        if (run > 2) return undefined;
        const close = findRun(text, i + run, '`', run);
        if (close === -1) return undefined;
        const content = text.slice(i + run, close);
        if (content.includes('\n') || !content.trim()) return undefined;
        const code = content.length > 2 && content.startsWith(' ') && content.endsWith(' ') ? content.slice(1, -1) : content;
        push({ type: 'codespan', raw: text.slice(i, close + run), text: code }, close + run);
        continue;
      }
      case '*':
      case '_':
      case '~': {
        const run = runLength(text, i, char);
        const can = delimiter(text, i, run, char);
        if (!can.open && !can.close && char !== '~') {
          i += run;
          continue;
        }
        if (!can.open || can.close || run > (char === '~' ? 2 : 3) || (char === '~' && run !== 2)) return undefined;
        const close = closer(text, i + run, char, run);
        if (close === -1) return undefined;
        const content = text.slice(i + run, close);
        const inner = inlineTokens(content);
        if (!inner) return undefined;
        const raw = text.slice(i, close + run);
        push(emphasis(char, run, raw, content, inner), close + run);
        continue;
      }
      case '[': {
        const link = LINK.exec(text.slice(i));
        if (!link || !/^[a-z][a-z0-9+.-]*:|^[/#.]/i.test(link[2]!) || link[2]!.includes('&') || AUTOLINK.test(link[1]!)) return undefined;
        push({ type: 'link', raw: link[0], href: link[2]!, title: null, text: link[1]!, tokens: [textToken(link[1]!)] }, i + link[0].length);
        continue;
      }
      case '!': {
        if (text[i + 1] !== '[') {
          i++;
          continue;
        }
        const image = IMAGE.exec(text.slice(i));
        if (!image || image[2]!.includes('&') || AUTOLINK.test(image[1]!)) return undefined;
        push({ type: 'image', raw: image[0], href: image[2]!, title: null, text: image[1]!, tokens: image[1] ? [textToken(image[1])] : [] }, i + image[0].length);
        continue;
      }
      case '<': {
        const rest = text.slice(i, i + 300);
        const link = ANGLE_LINK.exec(rest);
        if (link) {
          push({ type: 'link', raw: link[0], text: link[1]!, href: link[1]!, tokens: [{ type: 'text', raw: link[1]!, text: link[1]! }] }, i + link[0].length);
          continue;
        }
        const tag = TAG.exec(rest);
        if (!tag) return undefined;
        push({ type: 'html', raw: tag[0], inLink: false, inRawBlock: false, block: false, text: tag[0] }, i + tag[0].length);
        continue;
      }
    }
  }
  pushText(text.length);
  return unsure ? undefined : out;
}

/** The bare URL at `at`, trailing punctuation left out; undefined when unsure. */
function bareUrl(text: string, at: number): string | undefined {
  const before = text[at - 1];
  // www. starts a link after a space, an opening bracket or emphasis only.
  if (/^www\./i.test(text.slice(at, at + 4)) && before !== undefined && !/[\s*_~(]/.test(before)) return undefined;
  let url = BARE_URL.exec(text.slice(at))?.[0];
  if (!url) return undefined;
  for (let previous = ''; previous !== url; ) {
    previous = url;
    url = URL_KEEPS.exec(url)?.[0] ?? '';
  }
  return url || undefined;
}

function textToken(text: string): Token {
  return { type: 'text', raw: text, text, escaped: false };
}

function emphasis(char: string, run: number, raw: string, text: string, tokens: Token[]): Token {
  if (char === '~') return { type: 'del', raw, text, tokens };
  if (run === 1) return { type: 'em', raw, text, tokens };
  if (run === 2) return { type: 'strong', raw, text, tokens };
  // ***x*** is an em around a strong, as marked reads it.
  const strong: Token = { type: 'strong', raw: raw.slice(1, -1), text, tokens };
  return { type: 'em', raw, text: raw.slice(1, -1), tokens: [strong] };
}

function runLength(text: string, at: number, char: string): number {
  let end = at;
  while (text[end] === char) end++;
  return end - at;
}

/** The next run of exactly `length` `char`s from `from`, or -1. */
function findRun(text: string, from: number, char: string, length: number): number {
  for (let i = text.indexOf(char, from); i !== -1; i = text.indexOf(char, i + length)) {
    const run = runLength(text, i, char);
    if (run === length) return i;
    i += run - length;
  }
  return -1;
}

const isSpace = (char: string | undefined) => char === undefined || SPACE.test(char);
const isPunctuation = (char: string | undefined) => char !== undefined && PUNCTUATION.test(char);

/** Whether a delimiter run can open and close emphasis (CommonMark's flanking rules). */
function delimiter(text: string, at: number, run: number, char: string): { open: boolean; close: boolean } {
  const before = text[at - 1];
  const after = text[at + run];
  const left = !isSpace(after) && (!isPunctuation(after) || isSpace(before) || isPunctuation(before));
  const right = !isSpace(before) && (!isPunctuation(before) || isSpace(after) || isPunctuation(after));
  if (char !== '_') return { open: left, close: right };
  return { open: left && (!right || isPunctuation(before)), close: right && (!left || isPunctuation(after)) };
}

/**
 * Where the run opened before `from` closes: the first run of `char` exactly as long that
 * can only close. Runs of other lengths between are nested emphasis (checked when the
 * inside is read); code spans and escapes are stepped over. -1 when unsure.
 */
function closer(text: string, from: number, char: string, run: number): number {
  for (let i = from; i < text.length; ) {
    const c = text[i]!;
    if (c === '\\') {
      i += 2;
    } else if (c === '`') {
      const ticks = runLength(text, i, '`');
      const end = findRun(text, i + ticks, '`', ticks);
      if (end === -1) return -1;
      i = end + ticks;
    } else if (c === char) {
      const length = runLength(text, i, char);
      const can = delimiter(text, i, length, char);
      if (length === run && i > from) {
        if (can.close && !can.open) return i;
        if (can.open) return -1;
      }
      i += length;
    } else i++;
  }
  return -1;
}
