import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderMarkdown } from './markdown.js';

describe('the page\'s Markdown', () => {
  test('blocks and inline marks', () => {
    assert.equal(
      renderMarkdown('# Title\n\nSome **bold**, *em* and `code`.\nNext line\n\n- one\n- two\n\n1. first\n\n> quoted\n\n---'),
      '<h1>Title</h1>\n<p>Some <strong>bold</strong>, <em>em</em> and <code>code</code>.<br>Next line</p>\n<ul><li>one</li><li>two</li></ul>\n<ol><li>first</li></ol>\n<blockquote><p>quoted</p></blockquote>\n<hr>',
    );
  });

  test('fenced code is escaped and kept as is, even unterminated while streaming', () => {
    assert.equal(renderMarkdown('```js\nif (a < b && **c**) {}\n```'), '<pre><code class="language-js">if (a &lt; b &amp;&amp; **c**) {}</code></pre>');
    assert.equal(renderMarkdown('```\npartial'), '<pre><code>partial</code></pre>');
  });

  test('no markup gets through: HTML is escaped, only http(s) links are made', () => {
    assert.equal(renderMarkdown('<img src=x onerror=alert(1)>'), '<p>&lt;img src=x onerror=alert(1)&gt;</p>');
    assert.equal(renderMarkdown('[x](javascript:alert(1))'), '<p>[x](javascript:alert(1))</p>');
    assert.equal(
      renderMarkdown('[site](https://example.com/a?b=1&c=2)'),
      '<p><a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer" target="_blank">site</a></p>',
    );
    assert.equal(renderMarkdown('`<b>` and **`x`**'), '<p><code>&lt;b&gt;</code> and <strong><code>x</code></strong></p>');
    assert.equal(renderMarkdown('snake_case_name and 2*3*4'), '<p>snake_case_name and 2*3*4</p>');
  });
});
