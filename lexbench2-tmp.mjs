// ../../tmp/h/lexbench2.mts
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// src/cli/render/blocks.ts
var FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
var NESTED_FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
var HEADING = /^ {0,3}#{1,6}(\s|$)/;
var RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
var LIST_ITEM = /^ {0,3}([-*+]|\d{1,9}[.)])(\s|$)/;
var BLANK = /^\s*$/;
function indentOf(line) {
  return line.length - line.trimStart().length;
}
function opensFence(match) {
  const [, indent, marks, info] = match;
  if (marks[0] === "`" && info.includes("`")) return void 0;
  return { char: marks[0], length: marks.length, indent: indent.length };
}
function closes(line, fence) {
  const trimmed = line.trim();
  return indentOf(line) <= 3 + fence.indent && trimmed.length >= fence.length && trimmed === fence.char.repeat(trimmed.length);
}
var BlockSplitter = class {
  lines = [];
  id = 0;
  list = false;
  blankSeen = false;
  code;
  nested;
  /** The id of the block being read, or of the last one. */
  get currentId() {
    return this.id;
  }
  /** True while block `id` is still being read (its end has not arrived). */
  isOpen(id) {
    return this.id === id && (this.lines.length > 0 || this.code !== void 0);
  }
  /** The raw text of the block still being read (complete lines only). */
  openText() {
    return this.lines.length ? this.lines.join("\n") + "\n" : "";
  }
  /** Takes one complete line (without its newline); returns what it completed. */
  push(line) {
    const out = [];
    if (this.code) {
      if (closes(line, this.code)) {
        out.push({ kind: "code-end", id: this.id, raw: line + "\n" });
        this.code = void 0;
      } else {
        const text2 = line.slice(Math.min(this.code.indent, indentOf(line)));
        out.push({ kind: "code-line", id: this.id, text: text2, raw: line + "\n" });
      }
      return out;
    }
    if (this.lines.length && this.nested) {
      this.lines.push(line);
      if (closes(line, this.nested)) this.nested = void 0;
      return out;
    }
    const blank = BLANK.test(line);
    if (!this.lines.length) {
      if (!blank) this.start(line, out);
      return out;
    }
    if (blank) {
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
    const interrupts = indent <= 3 && (FENCE.test(line) || HEADING.test(line)) && !(this.list && indent >= 2);
    if (interrupts) {
      this.finish(out);
      this.start(line, out);
    } else this.add(line);
    return out;
  }
  /** The end of the text: whatever is open is complete. */
  end() {
    const out = [];
    if (this.code) {
      out.push({ kind: "code-end", id: this.id, raw: "" });
      this.code = void 0;
    }
    if (this.lines.length) this.finish(out);
    return out;
  }
  start(line, out) {
    this.id++;
    const fence = FENCE.exec(line);
    const opened = fence && opensFence(fence);
    if (opened) {
      this.code = opened;
      out.push({ kind: "code-start", id: this.id, info: fence[3].trim(), raw: line + "\n" });
      return;
    }
    if (HEADING.test(line) || RULE.test(line)) {
      out.push({ kind: "block", id: this.id, text: line, raw: line + "\n" });
      return;
    }
    this.list = LIST_ITEM.test(line);
    this.add(line);
  }
  add(line) {
    this.lines.push(line);
    const fence = NESTED_FENCE.exec(line);
    if (fence && this.list) this.nested = opensFence(fence);
  }
  finish(out) {
    const raw = this.openText();
    let end = this.lines.length;
    while (end > 0 && BLANK.test(this.lines[end - 1])) end--;
    out.push({ kind: "block", id: this.id, text: this.lines.slice(0, end).join("\n"), raw });
    this.lines = [];
    this.list = false;
    this.blankSeen = false;
    this.nested = void 0;
  }
};

// src/cli/render/quick-lexer.ts
function quickLex(block) {
  if (block.includes("	") || block.includes("\\") || block.includes("\r")) return void 0;
  const first = block.charCodeAt(0);
  if (first === 35) return heading(block);
  const lines = block.split("\n");
  if (lines.length >= 2 && lines[1].includes("-") && lines[0].includes("|")) return table(block, lines);
  if (RULE2.test(block)) return [{ type: "hr", raw: block }];
  if (LIST_LINE.test(lines[0])) return list(block, lines);
  return paragraph(block, lines);
}
var RULE2 = /^(?:\*{3,}|-{3,}|_{3,})$/;
var LIST_LINE = /^( *)([-*+]|\d{1,9}[.)]) (\S.*)$/;
var BLOCKISH = /^ *(?:[#>|[<=]|[-*+_]( |$)|\d{1,9}[.)]( |$)|`{3}|~{3}|-{2,} *$|\*{3,}|_{3,})/;
var AUTOLINK = /:\/\/|www\.|@|<|~|\]/;
function paragraph(block, lines) {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line || line.startsWith(" ") || line.endsWith(" ")) return void 0;
    if (BLOCKISH.test(line)) return void 0;
  }
  const tokens = inlineTokens(block);
  if (!tokens) return void 0;
  return [{ type: "paragraph", raw: block, text: block, tokens }];
}
function heading(line) {
  const match = /^(#{1,6}) (\S(?:.*\S)?)$/.exec(line);
  if (!match || line.includes("\n") || match[2].endsWith("#")) return void 0;
  const tokens = inlineTokens(match[2]);
  if (!tokens) return void 0;
  return [{ type: "heading", raw: line, depth: match[1].length, text: match[2], tokens }];
}
function list(block, lines) {
  const stack = [];
  let top;
  for (const line of lines) {
    const match = LIST_LINE.exec(line);
    if (!match || line.endsWith(" ")) return void 0;
    const indent = match[1].length;
    const marker = match[2];
    const ordered = marker.length > 1 || !"-*+".includes(marker);
    const bullet = ordered ? marker.slice(-1) : marker;
    while (stack.length && indent < stack[stack.length - 1].indent) stack.pop();
    let open = stack[stack.length - 1];
    if (open && indent === open.indent) {
      if (open.bullet !== bullet || open.token.ordered !== ordered) return void 0;
    } else if (!open ? indent === 0 : indent === open.content) {
      const token = { type: "list", raw: "", ordered, start: ordered ? Number(marker.slice(0, -1)) : "", loose: false, items: [] };
      if (ordered && token.start > 999999) return void 0;
      if (open) {
        const parent = open.token.items[open.token.items.length - 1];
        if (parent.tokens.some((child) => child.type === "list")) return void 0;
        parent.tokens.push(token);
      } else if (top) return void 0;
      else top = token;
      open = { token, indent, content: indent + marker.length + 1, bullet };
      stack.push(open);
    } else return void 0;
    const item = listItem(match[3]);
    if (!item) return void 0;
    open.token.items.push(item);
  }
  if (!top) return void 0;
  top.raw = block;
  return [top];
}
function listItem(text2) {
  const task = /^\[([ xX])\] (?=\S)/.exec(text2);
  const body = task ? text2.slice(task[0].length) : text2;
  if (BLOCKISH.test(body) || /^\d{1,9}[.)]$|^[-*+]$/.test(body)) return void 0;
  const inline = inlineTokens(body);
  if (!inline) return void 0;
  const tokens = [];
  if (task) tokens.push({ type: "checkbox", raw: task[0], checked: task[1] !== " " });
  tokens.push({ type: "text", raw: body, text: body, tokens: inline });
  return { type: "list_item", raw: text2, task: Boolean(task), checked: task ? task[1] !== " " : void 0, loose: false, text: text2, tokens };
}
var DELIMITER_CELL = /^ *(:?)-+(:?) *$/;
function table(block, lines) {
  if (lines.length < 2) return void 0;
  const cellsOf = (line) => {
    if (!line.startsWith("|") || !line.endsWith("|") || line.length < 2) return void 0;
    return line.slice(1, -1).split("|");
  };
  const head = cellsOf(lines[0]);
  const delimiter = cellsOf(lines[1]);
  if (!head || !delimiter || head.length !== delimiter.length) return void 0;
  const align = [];
  for (const cell2 of delimiter) {
    const match = DELIMITER_CELL.exec(cell2);
    if (!match) return void 0;
    align.push(match[1] && match[2] ? "center" : match[1] ? "left" : match[2] ? "right" : null);
  }
  const cell = (text2, header2, index) => {
    const trimmed = text2.trim();
    const tokens = trimmed ? inlineTokens(trimmed) : [];
    return tokens && { text: trimmed, tokens, header: header2, align: align[index] };
  };
  const header = [];
  for (let i = 0; i < head.length; i++) {
    const c = cell(head[i], true, i);
    if (!c) return void 0;
    header.push(c);
  }
  const rows = [];
  for (const line of lines.slice(2)) {
    const cells = cellsOf(line);
    if (!cells || cells.length !== head.length) return void 0;
    const row = [];
    for (let i = 0; i < cells.length; i++) {
      const c = cell(cells[i], false, i);
      if (!c) return void 0;
      row.push(c);
    }
    rows.push(row);
  }
  return [{ type: "table", raw: block, header, align, rows }];
}
var SPECIAL = /[*_`[!]/;
var PUNCTUATION = /[!-/:-@[-`{-~\p{P}\p{S}]/u;
var SPACE = /\s/;
function inlineTokens(text2) {
  if (!SPECIAL.test(text2)) return AUTOLINK.test(text2) ? void 0 : textTokens(text2);
  const out = [];
  let plain = 0;
  let i = 0;
  const pushText = (end) => {
    if (end > plain) out.push(...textTokens(text2.slice(plain, end)) ?? [UNSURE]);
  };
  while (i < text2.length) {
    const char = text2[i];
    if (char === "`") {
      const run = runLength(text2, i, "`");
      if (run > 2) return void 0;
      const close = findRun(text2, i + run, "`", run);
      if (close === -1) return void 0;
      const content = text2.slice(i + run, close);
      if (content.includes("\n") || !content.trim()) return void 0;
      pushText(i);
      const code = content.length > 2 && content.startsWith(" ") && content.endsWith(" ") ? content.slice(1, -1) : content;
      out.push({ type: "codespan", raw: text2.slice(i, close + run), text: code });
      i = plain = close + run;
      continue;
    }
    if (char === "*" || char === "_") {
      const run = runLength(text2, i, char);
      if (run > 2 || !opens(text2, i, run)) return void 0;
      const close = closingRun(text2, i + run, char, run);
      if (close === -1) return void 0;
      const inner = inlineTokens(text2.slice(i + run, close));
      if (!inner) return void 0;
      pushText(i);
      const raw = text2.slice(i, close + run);
      const content = text2.slice(i + run, close);
      out.push(run === 2 ? { type: "strong", raw, text: content, tokens: inner } : { type: "em", raw, text: content, tokens: inner });
      i = plain = close + run;
      continue;
    }
    if (char === "[") {
      const link = /^\[([^\[\]\n`*_]+)\]\(([^\s()<>"'`*_]+)\)/.exec(text2.slice(i));
      if (!link || i > 0 && text2[i - 1] === "!") return void 0;
      const children = textTokens(link[1]);
      if (!children || !/^[a-z][a-z0-9+.-]*:|^[/#.]/i.test(link[2]) || link[2].includes("&")) return void 0;
      pushText(i);
      out.push({ type: "link", raw: link[0], href: link[2], title: null, text: link[1], tokens: children });
      i = plain = i + link[0].length;
      continue;
    }
    if (char === "!" && text2[i + 1] === "[") return void 0;
    i++;
  }
  pushText(text2.length);
  return out.includes(UNSURE) ? void 0 : out;
}
var UNSURE = { type: "text", raw: "", text: "" };
function textTokens(text2) {
  if (AUTOLINK.test(text2) || /[*_`[\]]/.test(text2) || / {2}\n/.test(text2)) return void 0;
  return [{ type: "text", raw: text2, text: text2, escaped: false }];
}
function runLength(text2, at, char) {
  let end = at;
  while (text2[end] === char) end++;
  return end - at;
}
function findRun(text2, from, char, length) {
  for (let i = text2.indexOf(char, from); i !== -1; i = text2.indexOf(char, i + length)) {
    const run = runLength(text2, i, char);
    if (run === length) return i;
    i += run - length;
  }
  return -1;
}
var isSpace = (char) => char === void 0 || SPACE.test(char);
var isPunctuation = (char) => char !== void 0 && PUNCTUATION.test(char);
function flanking(text2, at, run) {
  const before = text2[at - 1];
  const after = text2[at + run];
  return {
    left: !isSpace(after) && (!isPunctuation(after) || isSpace(before) || isPunctuation(before)),
    right: !isSpace(before) && (!isPunctuation(before) || isSpace(after) || isPunctuation(after))
  };
}
function opens(text2, at, run) {
  const { left, right } = flanking(text2, at, run);
  return left && !right;
}
function closingRun(text2, from, char, run) {
  const at = text2.indexOf(char, from);
  if (at === -1 || at === from || runLength(text2, at, char) !== run) return -1;
  const { left, right } = flanking(text2, at, run);
  return right && !left ? at : -1;
}

// ../../tmp/h/lexbench2.mts
import { marked } from "marked";
var CORPUS = "/work/main/test/fixtures/markdown/";
var answers = readdirSync(CORPUS).filter((n) => n.endsWith(".md")).sort().map((n) => readFileSync(join(CORPUS, n), "utf8").trim());
var text = "";
for (let i = 0; text.length < 1 << 20; i++) text += answers[i % answers.length] + "\n\n";
var s = new BlockSplitter();
var blocks = [];
for (const l of text.split("\n")) for (const it of s.push(l)) if (it.kind === "block") blocks.push(it.text);
var mode = process.argv[2];
for (let round = 0; round < 2; round++) {
  const t0 = process.cpuUsage();
  const w0 = performance.now();
  let q = 0, m = 0;
  for (const b of blocks) {
    if (mode !== "marked") {
      const r = quickLex(b);
      if (r) {
        q++;
        continue;
      }
    }
    if (mode !== "quick") {
      marked.lexer(b, { gfm: true });
      m++;
    }
  }
  const c = process.cpuUsage(t0);
  console.log(mode, "quick", q, "marked", m, "cpu", (c.user + c.system) / 1e3 | 0, "wall", performance.now() - w0 | 0);
}
