// The quick lexer against marked: every block it takes, in the Markdown corpus and in the
// real documents installed with the project (READMEs of node_modules, our docs), renders
// exactly as marked's tokens render; and it takes most of an answer's blocks.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { marked, type Tokens } from 'marked';
import { BlockSplitter } from './blocks.js';
import { renderBlocks, type Layout } from './markdown.js';
import { inlineTokens, quickLex } from './quick-lexer.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CORPUS = join(ROOT, 'test/fixtures/markdown');

/** The blocks a streamed answer is cut into (what the renderer lexes one at a time). */
function blocksOf(text: string): string[] {
  const splitter = new BlockSplitter();
  const blocks: string[] = [];
  const take = (items: ReturnType<BlockSplitter['push']>) => {
    for (const item of items) if (item.kind === 'block') blocks.push(item.text);
  };
  for (const line of text.split('\n')) take(splitter.push(line));
  take(splitter.end());
  return blocks;
}

function markdownFiles(dir: string, out: string[], depth = 0): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const path = join(dir, name);
    if (/\.md$/i.test(name)) out.push(path);
    else if (depth < 4 && !name.startsWith('.') && statSync(path, { throwIfNoEntry: false })?.isDirectory()) markdownFiles(path, out, depth + 1);
  }
  return out;
}

const layouts: Layout[] = [
  { width: 60, colour: true },
  { width: 60, colour: false },
  { width: 24, colour: true },
];

function differences(documents: string[]): { taken: number; total: number; wrong: string[] } {
  let taken = 0;
  let total = 0;
  const wrong: string[] = [];
  for (const text of documents) {
    for (const block of blocksOf(text)) {
      total++;
      const quick = quickLex(block);
      if (!quick) continue;
      taken++;
      const reference = marked.lexer(block, { gfm: true });
      for (const layout of layouts) {
        const ours = renderBlocks(quick, layout).join('\n');
        const theirs = renderBlocks(reference, layout).join('\n');
        if (ours !== theirs) {
          wrong.push(`${JSON.stringify(block)}\n  quick: ${JSON.stringify(ours)}\n  marked: ${JSON.stringify(theirs)}`);
          break;
        }
      }
    }
  }
  return { taken, total, wrong };
}

test('every corpus block the quick lexer takes renders as marked; it takes most of them', () => {
  const documents = readdirSync(CORPUS).filter((n) => n.endsWith('.md')).map((n) => readFileSync(join(CORPUS, n), 'utf8'));
  const { taken, total, wrong } = differences(documents);
  assert.deepEqual(wrong, []);
  assert.ok(taken / total >= 0.75, `took ${taken} of ${total} blocks`);
});

test('every block of hundreds of real documents the quick lexer takes renders as marked', () => {
  const files = [...markdownFiles(join(ROOT, 'docs'), []), join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'node_modules'), [])];
  const documents = files.map((file) => readFileSync(file, 'utf8'));
  assert.ok(documents.length >= 100, `${documents.length} documents`);
  const { taken, total, wrong } = differences(documents);
  assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} of ${taken} blocks taken differ`);
  assert.ok(taken > 1000, `took ${taken} of ${total} blocks`);
});

test('the shapes it takes', () => {
  assert.deepEqual(
    inlineTokens('a **b** *c* `d` [e](https://x.y/z)')?.map((t) => t.type),
    ['text', 'strong', 'text', 'em', 'text', 'codespan', 'text', 'link'],
  );
  assert.equal(quickLex('## A *b*')?.[0]?.type, 'heading');
  assert.equal(quickLex('- a\n  - b\n- [x] c')?.[0]?.type, 'list');
  assert.equal(quickLex('| a | b |\n|:--|--:|\n| 1 | 2 |')?.[0]?.type, 'table');
  assert.equal(quickLex('---')?.[0]?.type, 'hr');
  const loose = quickLex('1. a\n\n   ```sh\n   x\n   ```\n2. b\n   - c') as Tokens.List[] | undefined;
  assert.equal(loose?.[0]?.loose, true);
  assert.deepEqual(loose?.[0]?.items.map((item) => item.tokens.map((t) => t.type)), [['paragraph', 'space', 'code'], ['paragraph', 'list']]);
  assert.equal(quickLex('> a\n>\n> > b')?.[0]?.type, 'blockquote');
  assert.equal(quickLex('Title\n===')?.[0]?.type, 'heading');
  assert.equal(quickLex('<details>\n<summary>More</summary>\n</details>')?.[0]?.type, 'html');
  assert.deepEqual(
    inlineTokens('see https://a.b/c_(d). or www.e.com!')?.map((t) => (t.type === 'link' ? (t as Tokens.Link).href : t.type)),
    ['text', 'https://a.b/c_(d)', 'text', 'http://www.e.com', 'text'],
  );
  assert.deepEqual(inlineTokens('See https://llm.datasette.io/ for more.')?.map((t) => t.type), ['text', 'link', 'text']);
  assert.deepEqual(
    inlineTokens('x  \ny ~~d~~ \\* ***b*** ![i](p.png) <https://a.b> <kbd>C</kbd> snake_case 2 * 3')?.map((t) => t.type),
    ['text', 'br', 'text', 'del', 'text', 'escape', 'text', 'em', 'text', 'image', 'text', 'link', 'text', 'html', 'text', 'html', 'text'],
  );
});

test('what it leaves to marked', () => {
  for (const block of [
    'a\n\nb', // two blocks
    '<span>x</span> y', // HTML that is not a block
    'awww.example.com', // www. inside a word
    'mail me@example.com',
    'snake_case_name and *x', // an unclosed *
    'a*b*c', // a run that could open or close
    'a ~b~', // a single tilde
    'a\\\nb', // a backslash hard break
    '> a\nlazy', // a lazy continuation line
    '[ref]: https://x',
    '- a\n\n  > quote', // a quote in an item
    '- a\n continued',
    '1. a\n- b', // a new list
    '| a |\n|---|---|', // not a table
    '    indented code',
  ]) {
    assert.equal(quickLex(block), undefined, block);
  }
});
