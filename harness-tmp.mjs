// ../../tmp/h/harness.mts
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// src/util/import-module.ts
function importModule(specifier) {
  return import(specifier);
}

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
function closes(line, fence2) {
  const trimmed = line.trim();
  return indentOf(line) <= 3 + fence2.indent && trimmed.length >= fence2.length && trimmed === fence2.char.repeat(trimmed.length);
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
    const fence2 = FENCE.exec(line);
    const opened = fence2 && opensFence(fence2);
    if (opened) {
      this.code = opened;
      out.push({ kind: "code-start", id: this.id, info: fence2[3].trim(), raw: line + "\n" });
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
    const fence2 = NESTED_FENCE.exec(line);
    if (fence2 && this.list) this.nested = opensFence(fence2);
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

// src/cli/render/highlight.ts
var ALIASES = {
  mjs: "javascript",
  cjs: "javascript",
  node: "javascript",
  mts: "typescript",
  cts: "typescript",
  python3: "python",
  zsh: "bash",
  console: "bash",
  shellsession: "bash",
  rs: "rust",
  golang: "go",
  "c++": "cpp",
  cc: "cpp",
  hpp: "cpp",
  cxx: "cpp",
  h: "c",
  "c#": "csharp",
  vue: "markup",
  make: "makefile",
  patch: "diff",
  jsonc: "json",
  ps1: "powershell",
  ex: "elixir",
  exs: "elixir",
  pl: "perl",
  psql: "sql",
  pgsql: "sql",
  postgres: "sql",
  postgresql: "sql",
  mysql: "sql",
  sqlite: "sql"
};
var COLOURS = {
  keyword: "35",
  builtin: "36",
  "class-name": "33",
  function: "34",
  "function-definition": "34",
  string: "32",
  char: "32",
  "template-string": "32",
  "attr-value": "32",
  "string-interpolation": "32",
  number: "33",
  boolean: "35",
  constant: "35",
  symbol: "33",
  entity: "33",
  regex: "31",
  comment: "90",
  shebang: "90",
  prolog: "90",
  doctype: "90",
  cdata: "90",
  decorator: "90",
  annotation: "90",
  property: "36",
  "attr-name": "36",
  tag: "34",
  selector: "34",
  atrule: "35",
  directive: "35",
  macro: "35",
  important: "1",
  bold: "1",
  italic: "3",
  url: "4",
  title: "1;34",
  inserted: "32",
  deleted: "31",
  "inserted-sign": "32",
  "deleted-sign": "31",
  interpolation: "",
  punctuation: "",
  operator: "",
  variable: ""
};
var core;
var languages = /* @__PURE__ */ new Map();
var grammars = /* @__PURE__ */ new Map();
var settled = /* @__PURE__ */ new Set();
var loaded;
function loadCore() {
  return core ??= (async () => {
    const prism = (await importModule("prismjs")).default;
    const { default: components } = await importModule("prismjs/components.js");
    const { default: loadLanguages } = await importModule("prismjs/components/index.js");
    loadLanguages.silent = true;
    const ids = /* @__PURE__ */ new Map();
    for (const [id, entry] of Object.entries(components.languages)) {
      if (id === "meta") continue;
      ids.set(id, id);
      for (const alias of [].concat(entry.alias ?? [])) if (!ids.has(alias)) ids.set(alias, id);
    }
    loaded = prism;
    return { prism, resolve: (name) => ids.get(name), load: (id) => loadLanguages([id]) };
  })().catch(() => void 0);
}
function languageName(info) {
  const word = info?.trim().split(/[\s{]/)[0]?.toLowerCase();
  if (!word || !/^[a-z0-9+#_-]+$/.test(word)) return void 0;
  return ALIASES[word] ?? word;
}
function loadLanguage(name) {
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
function languageSettled(name) {
  return settled.has(name);
}
function languageReady(name) {
  return grammars.has(name);
}
function highlight(code, name) {
  const grammar = name === void 0 ? void 0 : grammars.get(name);
  if (!grammar) return code;
  if (!loaded) return code;
  try {
    return new Painter().paint(loaded.tokenize(code, grammar), "").text();
  } catch {
    return code;
  }
}
function colourOf(token) {
  const own = COLOURS[token.type];
  if (own !== void 0) return own;
  if (token.alias === void 0) return void 0;
  for (const alias of [].concat(token.alias)) if (COLOURS[alias] !== void 0) return COLOURS[alias];
  return void 0;
}
var Painter = class {
  out = "";
  run = "";
  runColour = "";
  paint(tokens, around) {
    for (const token of tokens) {
      if (typeof token === "string") {
        this.add(token, around);
        continue;
      }
      const colour2 = colourOf(token) || around;
      const content = token.content;
      if (typeof content === "string") this.add(content, colour2);
      else this.paint(Array.isArray(content) ? content : [content], colour2);
    }
    return this;
  }
  text() {
    this.flush();
    return this.out;
  }
  add(text2, colour2) {
    if (!text2) return;
    if (colour2 !== this.runColour) this.flush();
    this.runColour = colour2;
    this.run += text2;
  }
  flush() {
    const { run, runColour: colour2 } = this;
    this.run = "";
    if (!run) return;
    if (!colour2) this.out += run;
    else if (!run.includes("\n")) this.out += `\x1B[${colour2}m${run}\x1B[0m`;
    else this.out += run.split("\n").map((piece) => piece ? `\x1B[${colour2}m${piece}\x1B[0m` : "").join("\n");
  }
};

// src/cli/render/width.ts
var WIDE = [
  [4352, 4447],
  [8986, 8987],
  [9001, 9002],
  [9193, 9196],
  [9200, 9200],
  [9203, 9203],
  [9725, 9726],
  [9748, 9749],
  [9800, 9811],
  [9855, 9855],
  [9875, 9875],
  [9889, 9889],
  [9898, 9899],
  [9917, 9918],
  [9924, 9925],
  [9934, 9934],
  [9940, 9940],
  [9962, 9962],
  [9970, 9971],
  [9973, 9973],
  [9978, 9978],
  [9981, 9981],
  [9989, 9989],
  [9994, 9995],
  [10024, 10024],
  [10060, 10060],
  [10062, 10062],
  [10067, 10069],
  [10071, 10071],
  [10133, 10135],
  [10160, 10160],
  [10175, 10175],
  [11035, 11036],
  [11088, 11088],
  [11093, 11093],
  [11904, 12350],
  [12353, 13311],
  [13312, 19903],
  [19968, 40959],
  [40960, 42191],
  [43360, 43391],
  [44032, 55203],
  [63744, 64255],
  [65040, 65049],
  [65072, 65135],
  [65280, 65376],
  [65504, 65510],
  [94176, 94180],
  [94208, 101631],
  [110592, 111359],
  [126980, 126980],
  [127183, 127183],
  [127374, 127374],
  [127377, 127386],
  [127488, 127569],
  [127744, 127776],
  [127789, 127797],
  [127799, 127868],
  [127870, 127891],
  [127904, 127946],
  [127951, 127955],
  [127968, 127984],
  [127988, 127988],
  [127992, 128062],
  [128064, 128064],
  [128066, 128252],
  [128255, 128317],
  [128331, 128334],
  [128336, 128359],
  [128378, 128378],
  [128405, 128406],
  [128420, 128420],
  [128507, 128591],
  [128640, 128709],
  [128716, 128716],
  [128720, 128722],
  [128725, 128727],
  [128732, 128735],
  [128747, 128748],
  [128756, 128764],
  [128992, 129003],
  [129008, 129008],
  [129292, 129338],
  [129340, 129349],
  [129351, 129535],
  [129648, 129791],
  [131072, 196605],
  [196608, 262141]
];
var ZERO = [
  [768, 879],
  [1155, 1161],
  [1425, 1469],
  [1552, 1562],
  [1611, 1631],
  [3633, 3633],
  [3636, 3642],
  [3655, 3662],
  [6832, 6911],
  [7616, 7679],
  [8203, 8207],
  [8232, 8238],
  [8288, 8292],
  [8400, 8447],
  [12330, 12335],
  [12441, 12442],
  [65024, 65039],
  [65056, 65071],
  [65279, 65279],
  [127995, 127999],
  [917504, 921599]
];
function inRanges(code, ranges) {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const mid = low + high >> 1;
    const range = ranges[mid];
    if (code < range[0]) high = mid - 1;
    else if (code > range[1]) low = mid + 1;
    else return true;
  }
  return false;
}
function charWidth(code) {
  if (code < 768) return code < 32 || code >= 127 && code < 160 ? 0 : 1;
  if (inRanges(code, ZERO)) return 0;
  return inRanges(code, WIDE) ? 2 : 1;
}
var ESCAPE = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\))/y;
function stringWidth(text2) {
  let width = 0;
  for (let i = 0; i < text2.length; i++) {
    const code = text2.charCodeAt(i);
    if (code >= 32 && code < 127) {
      width++;
      continue;
    }
    if (code === 27) {
      ESCAPE.lastIndex = i;
      const match = ESCAPE.exec(text2);
      if (match) {
        i += match[0].length - 1;
        continue;
      }
    }
    const point = text2.codePointAt(i);
    if (point > 65535) i++;
    width += charWidth(point);
  }
  return width;
}
function advance(text2, columns, start) {
  let { rows, col } = start;
  for (let i = 0; i < text2.length; i++) {
    const code = text2.charCodeAt(i);
    if (code === 10) {
      rows++;
      col = 0;
      continue;
    }
    if (code === 13) {
      col = 0;
      continue;
    }
    if (code === 9) {
      col = Math.min(columns, (Math.floor(col / 8) + 1) * 8);
      continue;
    }
    if (code === 27) {
      ESCAPE.lastIndex = i;
      const match = ESCAPE.exec(text2);
      if (match) {
        i += match[0].length - 1;
        continue;
      }
    }
    let width;
    if (code >= 32 && code < 127) width = 1;
    else {
      const point = text2.codePointAt(i);
      if (point > 65535) i++;
      width = charWidth(point);
    }
    if (width === 0) continue;
    if (col + width > columns) {
      rows++;
      col = width;
    } else col += width;
  }
  return { rows, col };
}

// src/cli/render/wrap.ts
var HAS_WIDE = /[^\x00-\u10ff]/;
var PARTS = /\n| +|[^ \n]+/g;
var WIDE_OR_RUN = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\ud840-\ud87f][\udc00-\udfff]|[^\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\ud840-\ud87f]+|[\s\S]/g;
function wrap(segments, width) {
  const lines = [];
  let line = "";
  let lineWidth = 0;
  let runOpen = "";
  let runClose = "";
  let runText = "";
  let space;
  let spaceText = "";
  const flushRun = () => {
    if (runText) line += runOpen + runText + runClose;
    runText = "";
  };
  const put = (segment, text2, w) => {
    if (segment.open !== runOpen || segment.close !== runClose) {
      flushRun();
      runOpen = segment.open;
      runClose = segment.close;
    }
    runText += text2;
    lineWidth += w;
  };
  const newline = () => {
    flushRun();
    lines.push(line);
    line = "";
    lineWidth = 0;
    space = void 0;
    spaceText = "";
  };
  const word = (segment, text2) => {
    let w = stringWidth(text2);
    const gap = space ? spaceText.length : 0;
    if (lineWidth > 0 && lineWidth + gap + w > width) newline();
    else if (space && lineWidth > 0) put(space, spaceText, gap);
    space = void 0;
    spaceText = "";
    while (w > width - lineWidth && w > 0) {
      let cut = 0;
      let cutWidth = 0;
      for (const char of text2) {
        const cw = charWidth(char.codePointAt(0));
        if (lineWidth + cutWidth + cw > width) break;
        cut += char.length;
        cutWidth += cw;
      }
      if (cut === 0 && lineWidth === 0) {
        cut = text2.codePointAt(0) > 65535 ? 2 : 1;
        cutWidth = stringWidth(text2.slice(0, cut));
      }
      if (cut > 0) put(segment, text2.slice(0, cut), cutWidth);
      text2 = text2.slice(cut);
      w -= cutWidth;
      if (text2) newline();
    }
    if (text2) put(segment, text2, w);
  };
  for (const segment of segments) {
    for (const [part] of segment.text.matchAll(PARTS)) {
      if (part === "\n") newline();
      else if (part.charCodeAt(0) === 32) {
        if (lineWidth > 0) {
          space = segment;
          spaceText = part;
        }
      } else if (HAS_WIDE.test(part)) {
        for (const [piece] of part.matchAll(WIDE_OR_RUN)) word(segment, piece);
      } else word(segment, part);
    }
  }
  flushRun();
  if (line || lines.length === 0) lines.push(line);
  return lines;
}
function pad(text2, width, align = "left") {
  const gap = Math.max(0, width - stringWidth(text2));
  if (align === "right") return " ".repeat(gap) + text2;
  if (align === "center") return " ".repeat(gap >> 1) + text2 + " ".repeat(gap - (gap >> 1));
  return text2 + " ".repeat(gap);
}

// src/cli/render/markdown.ts
var RESET = "\x1B[0m";
var BULLETS = ["\u2022", "\u25E6", "\u25AA"];
function sgr(codes, layout) {
  return layout.colour && codes ? [`\x1B[${codes}m`, RESET] : ["", ""];
}
function renderBlocks(tokens, layout, tight = false) {
  const out = [];
  for (const token of tokens) {
    const lines = renderBlock(token, layout);
    if (!lines.length) continue;
    if (out.length && !(tight && (token.type === "list" || token.type === "text"))) out.push("");
    out.push(...lines);
  }
  return out;
}
function renderBlock(token, layout) {
  const width = Math.max(layout.width, 8);
  switch (token.type) {
    case "space":
    case "def":
      return [];
    case "paragraph":
      return wrap(inline(token.tokens, layout, ""), width);
    case "text": {
      const text2 = token;
      return wrap(text2.tokens ? inline(text2.tokens, layout, "") : [{ text: text2.text, open: "", close: "" }], width);
    }
    case "heading": {
      const heading2 = token;
      const style = heading2.depth === 1 ? "1;4;35" : heading2.depth === 2 ? "1;35" : "1";
      const marker = layout.colour ? [] : [{ text: "#".repeat(heading2.depth) + " ", open: "", close: "" }];
      return wrap([...marker, ...inline(heading2.tokens, layout, style)], width);
    }
    case "code":
      return renderCode(token, layout);
    case "blockquote": {
      const [open, close] = sgr("90", layout);
      const inner = renderBlocks(token.tokens, { ...layout, width: width - 2 });
      return inner.map((line) => line ? `${open}\u2502${close} ${line}` : `${open}\u2502${close}`);
    }
    case "list":
      return renderList(token, layout, 0);
    case "table":
      return renderTable(token, layout);
    case "hr": {
      const [open, close] = sgr("90", layout);
      return [open + "\u2500".repeat(Math.min(width, 80)) + close];
    }
    case "html":
      return token.text.replace(/\n+$/, "").split("\n");
    default:
      return token.raw.replace(/\n+$/, "").split("\n");
  }
}
function renderCode(code, layout) {
  const body = codeLines(code.text, languageName(code.lang), layout);
  if (code.codeBlockStyle === "indented") return body.map((line) => "    " + line);
  return [fence("```" + (code.lang ?? ""), layout), ...body, fence("```", layout)];
}
function fence(text2, layout) {
  const [open, close] = sgr("90", layout);
  return open + text2 + close;
}
function codeLines(text2, language, layout) {
  return (layout.colour ? highlight(text2, language) : text2).split("\n");
}
function bullet(list2, index, depth, numberWidth) {
  if (!list2.ordered) return BULLETS[depth % BULLETS.length];
  const start = typeof list2.start === "number" ? list2.start : 1;
  return `${start + index}.`.padStart(numberWidth);
}
function renderList(list2, layout, depth) {
  const start = typeof list2.start === "number" ? list2.start : 1;
  const numberWidth = list2.ordered ? `${start + list2.items.length - 1}.`.length : 1;
  const [open, close] = sgr("33", layout);
  const out = [];
  list2.items.forEach((item, index) => {
    const checked = item.tokens.find((child) => child.type === "checkbox");
    const marker = bullet(list2, index, depth, numberWidth);
    const box = checked ? checked.checked ? " [x]" : " [ ]" : "";
    const indent = stringWidth(marker + box) + 1;
    const inner = { ...layout, width: Math.max(layout.width - indent, 8) };
    const lines = [];
    const blocks = item.tokens.filter((child) => child.type !== "checkbox");
    for (const child of blocks) {
      const rendered = child.type === "list" ? renderList(child, inner, depth + 1) : renderBlocks([child], inner);
      if (!rendered.length) continue;
      if (lines.length && (list2.loose || item.loose) && child.type !== "list") lines.push("");
      lines.push(...rendered);
    }
    if (!lines.length) lines.push("");
    if (index > 0 && list2.loose) out.push("");
    out.push(open + marker + close + box + " " + lines[0], ...lines.slice(1).map((line) => line ? " ".repeat(indent) + line : line));
  });
  return out;
}
function renderTable(table2, layout) {
  const columns = table2.header.length;
  const cell = (c2, header2) => inline(c2.tokens, layout, header2 ? "1" : "");
  const header = table2.header.map((c2) => cell(c2, true));
  const rows = table2.rows.map((row) => row.map((c2) => cell(c2, false)));
  const natural = header.map(
    (_, i) => Math.max(3, ...[header[i], ...rows.map((r) => r[i] ?? [])].map((segments) => maxLineWidth(segments)))
  );
  const room = Math.max(layout.width - (3 * columns + 1), columns);
  const words = header.map(
    (_, i) => Math.max(1, ...[header[i], ...rows.map((r) => r[i] ?? [])].map((segments) => longestWord(segments)))
  );
  const widths = [...natural];
  for (const floor of [words, widths.map(() => 1)]) {
    while (widths.reduce((a, b) => a + b, 0) > room) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) {
        if (widths[i] > floor[i] && (widest === -1 || widths[i] > widths[widest])) widest = i;
      }
      if (widest === -1) break;
      widths[widest]--;
    }
  }
  const [open, close] = sgr("90", layout);
  const bar = open + "\u2502" + close;
  const rule = (left, mid, right) => open + left + widths.map((w) => "\u2500".repeat(w + 2)).join(mid) + right + close;
  const line = (cells) => {
    const wrapped = widths.map((w, i) => wrap(cells[i] ?? [], w));
    const height = Math.max(...wrapped.map((w) => w.length));
    const out = [];
    for (let r = 0; r < height; r++) {
      out.push(bar + wrapped.map((w, i) => " " + pad(w[r] ?? "", widths[i], table2.align[i] ?? "left") + " ").join(bar) + bar);
    }
    return out;
  };
  return [rule("\u250C", "\u252C", "\u2510"), ...line(header), rule("\u251C", "\u253C", "\u2524"), ...rows.flatMap((row) => line(row)), rule("\u2514", "\u2534", "\u2518")];
}
function longestWord(segments) {
  let max = 0;
  for (const word of segments.map((s) => s.text).join("").split(/\s+/)) max = Math.max(max, stringWidth(word));
  return max;
}
function maxLineWidth(segments) {
  let max = 0;
  for (const line of segments.map((s) => s.text).join("").split("\n")) max = Math.max(max, stringWidth(line));
  return max;
}
function inline(tokens, layout, style, link = "") {
  const out = [];
  const plain = (text2, codes = style) => {
    const [open, close] = sgr(codes, layout);
    out.push({ text: text2, open: link ? link + open : open, close: link ? close + OSC8_END : close });
  };
  const add = (codes) => style ? `${style};${codes}` : codes;
  for (const token of tokens ?? []) {
    switch (token.type) {
      case "text":
      case "escape": {
        const text2 = token;
        if (text2.tokens?.length) out.push(...inline(text2.tokens, layout, style, link));
        else plain(decodeEntities(text2.text));
        break;
      }
      case "strong":
        out.push(...inline(token.tokens, layout, add("1"), link));
        break;
      case "em":
        out.push(...inline(token.tokens, layout, add("3"), link));
        break;
      case "del":
        out.push(...inline(token.tokens, layout, add("9"), link));
        break;
      case "codespan": {
        const text2 = token.text;
        if (layout.colour) plain(text2, add("36"));
        else plain("`" + text2 + "`");
        break;
      }
      case "br":
        plain("\n");
        break;
      case "link": {
        const { href, tokens: children } = token;
        const text2 = children.map((c2) => c2.raw).join("");
        if (layout.colour && /^(https?|mailto|file):/i.test(href)) {
          out.push(...inline(children, layout, add("4;34"), `\x1B]8;;${href}\x1B\\`));
        } else {
          out.push(...inline(children, layout, add("4;34"), link));
          if (text2 !== href && href) plain(` (${href})`, add("90"));
        }
        break;
      }
      case "image": {
        const image = token;
        plain(`[image: ${image.text || image.href}]`, add("90"));
        if (image.href) plain(` (${image.href})`, add("90"));
        break;
      }
      case "html":
        plain(token.text);
        break;
      case "checkbox":
        plain(token.checked ? "[x] " : "[ ] ");
        break;
      default:
        plain(token.raw);
    }
  }
  return out;
}
var OSC8_END = "\x1B]8;;\x1B\\";
var ENTITY = /&([a-z]+|#\d+|#x[\da-f]+);/gi;
var NAMED = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\xA0",
  copy: "\xA9",
  reg: "\xAE",
  trade: "\u2122",
  mdash: "\u2014",
  ndash: "\u2013",
  hellip: "\u2026",
  laquo: "\xAB",
  raquo: "\xBB",
  times: "\xD7",
  deg: "\xB0",
  middot: "\xB7"
};
function decodeEntities(text2) {
  if (!text2.includes("&")) return text2;
  return text2.replace(ENTITY, (match, name) => {
    const lower = name.toLowerCase();
    if (lower in NAMED) return NAMED[lower];
    const code = lower.startsWith("#x") ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return code > 0 && code <= 1114111 ? String.fromCodePoint(code) : match;
  });
}

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
    const bullet2 = ordered ? marker.slice(-1) : marker;
    while (stack.length && indent < stack[stack.length - 1].indent) stack.pop();
    let open = stack[stack.length - 1];
    if (open && indent === open.indent) {
      if (open.bullet !== bullet2 || open.token.ordered !== ordered) return void 0;
    } else if (!open ? indent === 0 : indent === open.content) {
      const token = { type: "list", raw: "", ordered, start: ordered ? Number(marker.slice(0, -1)) : "", loose: false, items: [] };
      if (ordered && token.start > 999999) return void 0;
      if (open) {
        const parent = open.token.items[open.token.items.length - 1];
        if (parent.tokens.some((child) => child.type === "list")) return void 0;
        parent.tokens.push(token);
      } else if (top) return void 0;
      else top = token;
      open = { token, indent, content: indent + marker.length + 1, bullet: bullet2 };
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
  const inline2 = inlineTokens(body);
  if (!inline2) return void 0;
  const tokens = [];
  if (task) tokens.push({ type: "checkbox", raw: task[0], checked: task[1] !== " " });
  tokens.push({ type: "text", raw: body, text: body, tokens: inline2 });
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
    const c2 = cell(head[i], true, i);
    if (!c2) return void 0;
    header.push(c2);
  }
  const rows = [];
  for (const line of lines.slice(2)) {
    const cells = cellsOf(line);
    if (!cells || cells.length !== head.length) return void 0;
    const row = [];
    for (let i = 0; i < cells.length; i++) {
      const c2 = cell(cells[i], false, i);
      if (!c2) return void 0;
      row.push(c2);
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

// src/cli/render/stream.ts
var lexer;
var lexerLoaded;
var lexerFailed = false;
function loadLexer() {
  return lexer ??= importModule("marked").then(
    (marked) => lexerLoaded = (text2) => marked.lexer(text2, { gfm: true }),
    () => {
      lexerFailed = true;
      return void 0;
    }
  );
}
function renderWhole(text2, layout) {
  const tokens = quickLex(text2) ?? lexerLoaded?.(text2);
  if (!tokens) return text2.endsWith("\n") ? text2 : text2 + "\n";
  const lines = renderBlocks(tokens, layout);
  return lines.length ? lines.join("\n") + "\n" : "";
}
async function preload(text2) {
  await loadLexer();
  const names = [...text2.matchAll(/^\s*(?:```|~~~)\s*([^\s`{]+)/gm)].map((m) => languageName(m[1]));
  await Promise.all(names.filter((n) => Boolean(n)).map((n) => loadLanguage(n)));
}
function eraseRows(rows) {
  if (rows === 0) return "\r\x1B[2K";
  return `\x1B[${rows}A\r` + "\x1B[2K\x1B[B".repeat(rows) + `\x1B[2K\x1B[${rows}A`;
}
var MarkdownStream = class {
  constructor(screen, layout, live2 = true) {
    this.screen = screen;
    this.layout = layout;
    this.live = live2;
  }
  partial = "";
  splitter = new BlockSplitter();
  queue = [];
  /** Plain text on screen below the last rendered output, and where it left the cursor. */
  region = "";
  regionAt = { rows: 0, col: 0 };
  regionColumns = 0;
  /** Something has been rendered: the next block gets a blank line before it. */
  rendered = false;
  /** The block being shown plain to the end (it grew taller than the screen). */
  plainBlock = -1;
  codeLanguage;
  waiting = [];
  /**
   * marked and the grammars load once the first text is on screen (not before: their
   * loading would delay it); until then, the grammars asked for wait here.
   */
  loading = false;
  languagesAsked = [];
  /** Some text has arrived. */
  textArrived = false;
  inCode = false;
  closed = false;
  /** Text written since the last flush(): shown (plain, or rendered) by it. */
  unshown = "";
  /** Output not yet written: written by flush(), once for all the text of one network read. */
  output = "";
  write(text2) {
    if (!text2) return;
    this.partial += text2;
    const newline = this.partial.lastIndexOf("\n");
    if (newline !== -1) {
      for (const line of this.partial.slice(0, newline).split("\n")) this.take(this.splitter.push(line));
      this.partial = this.partial.slice(newline + 1);
    }
    this.unshown += text2;
    this.textArrived = true;
  }
  /**
   * Shows what was written since the last flush and writes it to the screen, in one write.
   * Called once per network read: what completes blocks in it is not shown plain first.
   */
  flush() {
    this.showUnshown();
    if (!this.output) {
      if (!this.live && this.textArrived) this.startLoading();
      return;
    }
    const text2 = this.output;
    this.output = "";
    this.screen.write(text2);
    this.startLoading();
  }
  /** Loads what rendering `text` needs: for text that arrives whole, so it is not shown plain first. */
  async load(text2) {
    this.startLoading();
    await preload(text2);
  }
  /** Starts loading marked and the grammars asked for so far (once). */
  startLoading() {
    if (this.loading) return;
    this.loading = true;
    this.track(loadLexer());
    for (const name of this.languagesAsked) this.track(loadLanguage(name));
    this.languagesAsked = [];
  }
  emit(text2) {
    this.output += text2;
  }
  /** The end of the answer: renders everything (waiting for grammars still loading). */
  async end() {
    this.startLoading();
    if (this.partial) {
      const line = this.partial;
      this.partial = "";
      this.take(this.splitter.push(line));
    }
    this.take(this.splitter.end());
    while (this.waiting.length) {
      const pending = this.waiting;
      this.waiting = [];
      await Promise.all(pending);
    }
    this.showUnshown();
    if (this.live && this.region && !this.region.trim()) {
      this.emit(eraseRows(this.regionAt.rows));
      this.region = "";
    }
    if (this.region && !this.region.endsWith("\n")) this.emit("\n");
    else if (!this.rendered && !this.region) this.emit("\n");
    this.flush();
  }
  track(promise) {
    const settled2 = promise.then(() => this.flush());
    this.waiting.push(settled2);
  }
  take(items) {
    for (const item of items) {
      if (item.kind === "code-start") {
        const name = languageName(item.info);
        if (name && this.layout.colour && !languageReady(name)) {
          if (this.loading) this.track(loadLanguage(name));
          else this.languagesAsked.push(name);
        }
      }
      this.queue.push(item);
    }
  }
  ready(item) {
    if (item.kind === "block") return Boolean(lexerLoaded) || lexerFailed;
    if (item.kind === "code-start") return true;
    if (!this.live && item.kind === "code-line" && this.splitter.isOpen(item.id)) return false;
    if (!this.layout.colour || !this.codeLanguage) return true;
    return languageReady(this.codeLanguage) || languageSettled(this.codeLanguage);
  }
  /** Stops rendering (an error or Ctrl-C): what is on screen stays as it is. */
  abandon() {
    this.flush();
    this.closed = true;
  }
  /** A blank line goes between blocks, not between the lines of a code block. */
  gap() {
    return this.rendered && !this.inCode ? "\n" : "";
  }
  showUnshown() {
    const text2 = this.unshown;
    this.unshown = "";
    this.show(text2);
  }
  /** Writes `text` (which just arrived) plain, or redraws with what is now complete. */
  show(text2) {
    if (this.closed) return;
    const columns = Math.max(this.screen.columns(), 8);
    if (columns !== this.regionColumns) {
      this.regionAt = advance(this.region, columns, { rows: 0, col: 0 });
      this.regionColumns = columns;
    }
    let dropped = false;
    while (this.queue.length && this.queue[0].id <= this.plainBlock) {
      this.queue.shift();
      dropped = true;
    }
    if (dropped && !this.splitter.isOpen(this.plainBlock)) {
      this.emit(text2);
      text2 = "";
      this.plainBlock = -1;
      this.region = this.leftover();
      this.regionAt = advance(this.region, columns, { rows: 0, col: 0 });
    }
    let out = "";
    while (this.queue.length && this.ready(this.queue[0])) {
      if (this.queue[0].kind === "code-line") out += this.renderCode(columns);
      else out += this.render(this.queue.shift(), columns);
    }
    if (out && !this.live) {
      this.emit(out);
      return;
    }
    if (out) {
      const erase = eraseRows(this.regionAt.rows);
      const rest = this.leftover();
      this.region = rest ? this.gap() + rest : "";
      this.regionAt = advance(this.region, columns, { rows: 0, col: 0 });
      this.emit(erase + out + this.region);
      return;
    }
    if (!text2 || !this.live) return;
    if (this.plainBlock !== -1) {
      this.emit(text2);
      return;
    }
    if (!this.region) {
      if (!text2.trim()) return;
      text2 = this.gap() + text2.replace(/^\s*\n/, "");
    }
    this.emit(text2);
    this.region += text2;
    this.regionAt = advance(text2, columns, this.regionAt);
    if (this.regionAt.rows >= Math.max(this.screen.rows() - 2, 2)) {
      this.plainBlock = Math.max(this.splitter.currentId, ...this.queue.map((item) => item.id));
      this.region = "";
      this.regionAt = { rows: 0, col: 0 };
    }
  }
  leftover() {
    return this.queue.map((item) => item.raw).join("") + this.splitter.openText() + this.partial;
  }
  /**
   * The code lines at the head of the queue, highlighted in one go: all of the block when
   * piped, the lines that arrived together when live (highlighting has a cost per call).
   */
  renderCode(columns) {
    const lines = [];
    while (this.queue.length && this.queue[0].kind === "code-line") lines.push(this.queue.shift().text);
    return codeLines(lines.join("\n"), this.codeLanguage, { ...this.layout, width: columns }).join("\n") + "\n";
  }
  render(item, columns) {
    const layout = { ...this.layout, width: columns };
    const gap = this.gap();
    switch (item.kind) {
      case "block": {
        const text2 = renderWhole(item.text, layout);
        if (!text2) return "";
        this.rendered = true;
        return gap + text2;
      }
      case "code-start":
        this.codeLanguage = languageName(item.info);
        this.rendered = true;
        this.inCode = true;
        return gap + fence(item.raw.trim(), layout) + "\n";
      case "code-line":
        return codeLines(item.text, this.codeLanguage, layout).join("\n") + "\n";
      case "code-end":
        this.codeLanguage = void 0;
        this.inCode = false;
        return item.raw ? fence(item.raw.trim(), layout) + "\n" : "";
    }
  }
};

// ../../tmp/h/harness.mts
var CORPUS = "/work/main/test/fixtures/markdown/";
var answers = readdirSync(CORPUS).filter((n) => n.endsWith(".md")).sort().map((n) => readFileSync(join(CORPUS, n), "utf8").trim());
var text = "";
for (let i = 0; text.length < 1 << 20; i++) text += answers[i % answers.length] + "\n\n";
var pieces = [];
for (let i = 0, n = 0; i < text.length; n++) {
  const s = 2 + n % 8;
  pieces.push(text.slice(i, i + s));
  i += s;
}
var mode = process.argv[2];
var colour = process.argv[3] === "colour";
var live = process.argv[4] === "live";
var perRead = 180;
await preload(text);
var t0 = process.cpuUsage();
var w0 = performance.now();
var bytes = 0;
if (mode === "split") {
  const s = new BlockSplitter();
  let partial = "";
  for (const p of pieces) {
    partial += p;
    const nl = partial.lastIndexOf("\n");
    if (nl !== -1) {
      for (const l of partial.slice(0, nl).split("\n")) s.push(l);
      partial = partial.slice(nl + 1);
    }
  }
} else if (mode === "md") {
  const screen = { write: (t) => {
    bytes += t.length;
    return true;
  }, columns: () => 100, rows: () => 50 };
  const m = new MarkdownStream(screen, { colour }, live);
  for (let i = 0; i < pieces.length; i++) {
    m.write(pieces[i]);
    if (i % perRead === perRead - 1) m.flush();
  }
  await m.end();
}
var c = process.cpuUsage(t0);
console.log(mode, colour ? "colour" : "plain", live ? "live" : "piped", "cpu", ((c.user + c.system) / 1e3).toFixed(0), "ms wall", (performance.now() - w0).toFixed(0), "out", bytes);
