// Splits streamed Markdown, line by line, into blocks that are complete: a paragraph at
// the blank line after it, a heading at once, a list when something else follows it, and a
// top-level fenced code block line by line (so long code shows as it arrives).

export type Item =
  | { kind: 'block'; id: number; text: string; raw: string }
  | { kind: 'code-start'; id: number; info: string; raw: string }
  | { kind: 'code-line'; id: number; text: string; raw: string }
  | { kind: 'code-end'; id: number; raw: string };

interface Fence {
  char: string;
  length: number;
  indent: number;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const NESTED_FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}#{1,6}(\s|$)/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const LIST_ITEM = /^ {0,3}([-*+]|\d{1,9}[.)])(\s|$)/;
const BLANK = /^\s*$/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function opensFence(match: RegExpExecArray): Fence | undefined {
  const [, indent, marks, info] = match;
  // A backtick fence's info string cannot hold a backtick.
  if (marks![0] === '`' && info!.includes('`')) return undefined;
  return { char: marks![0]!, length: marks!.length, indent: indent!.length };
}

function closes(line: string, fence: Fence): boolean {
  // Most code lines are not fences: a look at the first character after the indent says so.
  let first = 0;
  while (line.charCodeAt(first) === 0x20) first++;
  if (line[first] !== fence.char) return false;
  const trimmed = line.trim();
  return indentOf(line) <= 3 + fence.indent && trimmed.length >= fence.length && trimmed === fence.char.repeat(trimmed.length);
}

export class BlockSplitter {
  private lines: string[] = [];
  private id = 0;
  private list = false;
  private blankSeen = false;
  private code: Fence | undefined;
  private nested: Fence | undefined;

  /** The id of the block being read, or of the last one. */
  get currentId(): number {
    return this.id;
  }

  /** True while block `id` is still being read (its end has not arrived). */
  isOpen(id: number): boolean {
    return this.id === id && (this.lines.length > 0 || this.code !== undefined);
  }

  /** The raw text of the block still being read (complete lines only). */
  openText(): string {
    return this.lines.length ? this.lines.join('\n') + '\n' : '';
  }

  /** Takes one complete line (without its newline); returns what it completed. */
  push(line: string): Item[] {
    const out: Item[] = [];
    if (this.code) {
      if (closes(line, this.code)) {
        out.push({ kind: 'code-end', id: this.id, raw: line + '\n' });
        this.code = undefined;
      } else {
        const text = this.code.indent ? line.slice(Math.min(this.code.indent, indentOf(line))) : line;
        out.push({ kind: 'code-line', id: this.id, text, raw: line + '\n' });
      }
      return out;
    }
    if (this.lines.length && this.nested) {
      this.lines.push(line);
      if (closes(line, this.nested)) this.nested = undefined;
      return out;
    }
    const blank = BLANK.test(line);
    if (!this.lines.length) {
      if (!blank) this.start(line, out);
      return out;
    }
    if (blank) {
      // A paragraph (or table, quote…) ends at a blank line; a list may go on after one.
      if (this.list) {
        this.blankSeen = true;
        this.lines.push(line);
      } else this.finish(out);
      return out;
    }
    const indent = indentOf(line);
    if (this.blankSeen) {
      if (this.list && (indent >= 2 || LIST_ITEM.test(line))) {
        this.blankSeen = false;
        this.add(line);
      } else {
        this.finish(out);
        this.start(line, out);
      }
      return out;
    }
    // A fence or a heading interrupts the block before it (unless indented into a list item).
    const interrupts = indent <= 3 && (FENCE.test(line) || HEADING.test(line)) && !(this.list && indent >= 2);
    if (interrupts) {
      this.finish(out);
      this.start(line, out);
    } else this.add(line);
    return out;
  }

  /** The end of the text: whatever is open is complete. */
  end(): Item[] {
    const out: Item[] = [];
    if (this.code) {
      out.push({ kind: 'code-end', id: this.id, raw: '' });
      this.code = undefined;
    }
    if (this.lines.length) this.finish(out);
    return out;
  }

  private start(line: string, out: Item[]): void {
    this.id++;
    const fence = FENCE.exec(line);
    const opened = fence && opensFence(fence);
    if (opened) {
      this.code = opened;
      out.push({ kind: 'code-start', id: this.id, info: fence![3]!.trim(), raw: line + '\n' });
      return;
    }
    if (HEADING.test(line) || RULE.test(line)) {
      out.push({ kind: 'block', id: this.id, text: line, raw: line + '\n' });
      return;
    }
    this.list = LIST_ITEM.test(line);
    this.add(line);
  }

  private add(line: string): void {
    this.lines.push(line);
    if (!this.list) return;
    const fence = NESTED_FENCE.exec(line);
    if (fence) this.nested = opensFence(fence);
  }

  private finish(out: Item[]): void {
    const raw = this.openText();
    let end = this.lines.length;
    while (end > 0 && BLANK.test(this.lines[end - 1]!)) end--;
    out.push({ kind: 'block', id: this.id, text: this.lines.slice(0, end).join('\n'), raw });
    this.lines = [];
    this.list = false;
    this.blankSeen = false;
    this.nested = undefined;
  }
}
