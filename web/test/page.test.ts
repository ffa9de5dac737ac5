// The page in a real headless Chromium (Debian's chromium, driven by playwright-core)
// against the built `llm serve`: chat streams from echo, Markdown renders, search finds a
// logged turn, a conversation opens with its tool calls, continuing it from the page
// logs into the same conversation, and the token prompt. Screenshots of each view go
// to web/test/screenshots/.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startFakeServer, type FakeServer } from '../../src/testing/provider-server.js';
import { writeChatCompletion } from '../../test/helpers/openai-replies.js';

const BIN = fileURLToPath(new URL('../../bin/llm.cjs', import.meta.url));
const CHROMIUM = process.env.LLM_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Serving {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** The built `llm serve` on a free port, over `userDir`, with OpenAI pointed at the fake upstream. */
async function llmServe(userDir: string, upstream: string, args: string[] = []): Promise<Serving> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    env: { PATH: process.env.PATH, HOME: userDir, LLM_USER_PATH: userDir, OPENAI_BASE_URL: upstream, OPENAI_API_KEY: 'sk-fake', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const found = /Serving on (http:\/\/\S+?)\/ /.exec(stdout);
      if (found) resolve(found[1]!);
    });
    child.on('close', () => reject(new Error('llm serve exited')));
  });
  return { url, child, output: () => stdout };
}

async function post(url: string, path: string, body: unknown): Promise<any> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

/** A Chat Completions stream with a pause before each piece. */
async function slowStream(res: import('node:http').ServerResponse, pieces: string[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const base = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini' };
  for (const piece of pieces) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
  }
  res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 4, completion_tokens: 9, total_tokens: 13 } })}\n\n`);
  res.end('data: [DONE]\n\n');
}

let browser: Browser;
let upstream: FakeServer;
let server: Serving;
let userDir: string;
const consoleErrors: string[] = [];

async function openPage(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(`${server.url}${path}`);
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

before(async () => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.LLM_SKIP_BROWSER_TESTS === '1') return;
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set LLM_CHROMIUM; LLM_SKIP_BROWSER_TESTS=1 skips these tests)`);
  }
  mkdirSync(SHOTS, { recursive: true });
  upstream = await startFakeServer((req, res) => {
    const last = req.json.messages.at(-1);
    if (req.json.tools && last.role === 'user') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4o-mini',
        choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_w', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] } }],
        usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
      }));
      return;
    }
    if (last.role === 'tool') return writeChatCompletion(res, 'It is **sunny** in Paris, 21°C.');
    if (req.json.stream) return slowStream(res, ['Here is **bold** text', ' and `inline code`:\n\n', '- one\n', '- two\n']);
    return writeChatCompletion(res, 'plain');
  });
  userDir = mkdtempSync(join(tmpdir(), 'llm-page-test-'));
  server = await llmServe(userDir, upstream.url);
  // Logs to browse: an echo exchange, and a tools round trip through the API.
  await post(server.url, '/v1/chat/completions', { model: 'echo', messages: [{ role: 'user', content: 'Tell me about pelicans' }] });
  const tools = [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
  const messages: any[] = [{ role: 'user', content: 'Weather in Paris?' }];
  const first = await post(server.url, '/v1/chat/completions', { model: 'gpt-4o-mini', messages, tools });
  messages.push(first.choices[0].message, { role: 'tool', tool_call_id: 'call_w', content: '{"temp": 21, "sky": "sunny"}' });
  await post(server.url, '/v1/chat/completions', { model: 'gpt-4o-mini', messages, tools });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
});

after(async () => {
  await browser?.close();
  if (server) {
    server.child.kill('SIGINT');
    await new Promise((resolve) => server.child.once('close', resolve));
  }
  await upstream?.close();
  if (userDir) rmSync(userDir, { recursive: true, force: true });
});

const skip = !existsSync(CHROMIUM) && process.env.LLM_SKIP_BROWSER_TESTS === '1';

describe('the llm serve page in Chromium', { skip }, () => {
  test('chat streams an answer from echo', async () => {
    const page = await openPage('/');
    await page.selectOption('[data-testid=model]', 'echo');
    await page.click('details.settings summary');
    await page.fill('[data-testid=system]', 'You are a pelican');
    await page.fill('[data-testid=prompt]', 'Hello from the browser');
    // Count the updates of the answer as it arrives: a stream, not one block.
    await page.evaluate(() => {
      (window as any).__updates = 0;
      new MutationObserver((records) => ((window as any).__updates += records.length)).observe(document.getElementById('messages')!, { childList: true, subtree: true, characterData: true });
    });
    await page.press('[data-testid=prompt]', 'Enter');
    await page.waitForSelector('[data-testid=usage]');
    const answer = await page.textContent('.msg.assistant .md');
    assert.match(answer!, /"prompt": "Hello from the browser"/);
    assert.match(answer!, /"system": "You are a pelican"/);
    assert.ok((await page.evaluate(() => (window as any).__updates)) > 4, 'the answer arrived in pieces, each shown');
    assert.match((await page.textContent('[data-testid=usage]'))!, /^echo · \d+ input, \d+ output tokens$/);
    await shot(page, 'chat');
    await page.close();
  });

  test('answers are rendered as Markdown', async () => {
    const page = await openPage('/#/chat');
    await page.selectOption('[data-testid=model]', 'gpt-4o-mini');
    await page.fill('[data-testid=prompt]', 'Show me some Markdown');
    await page.evaluate(() => {
      const seen: string[] = ((window as any).__seen = []);
      new MutationObserver(() => seen.push(document.querySelector('.msg.assistant .md')?.textContent ?? '')).observe(document.getElementById('messages')!, { childList: true, subtree: true });
    });
    await page.click('[data-testid=send]');
    await page.waitForSelector('[data-testid=usage]');
    const seen: string[] = await page.evaluate(() => (window as any).__seen);
    assert.ok(seen.some((text) => text.includes('bold') && !text.includes('two')), 'shown while it streams, before the end arrived');
    assert.equal(await page.textContent('.msg.assistant .md strong'), 'bold');
    assert.equal(await page.textContent('.msg.assistant .md code'), 'inline code');
    assert.equal(await page.locator('.msg.assistant .md li').count(), 2);
    await shot(page, 'chat-markdown');
    await page.close();
  });

  test('a file dropped on the composer goes with the prompt', async () => {
    const page = await openPage('/#/chat');
    await page.selectOption('[data-testid=model]', 'echo');
    const png = '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5e0d2b50000000049454e44ae426082';
    const dataTransfer = await page.evaluateHandle((hex) => {
      const bytes = new Uint8Array(hex.match(/../g)!.map((b) => parseInt(b, 16)));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'dot.png', { type: 'image/png' }));
      return transfer;
    }, png);
    await page.dispatchEvent('.composer', 'drop', { dataTransfer });
    await page.waitForSelector('.chip');
    assert.equal(await page.textContent('.chip'), 'dot.png');
    await page.fill('[data-testid=prompt]', 'What is in this image?');
    await page.press('[data-testid=prompt]', 'Enter');
    await page.waitForSelector('[data-testid=usage]');
    const answer = JSON.parse((await page.textContent('.msg.assistant .md'))!);
    assert.equal(answer.attachments.length, 1);
    assert.equal(answer.attachments[0].type, 'image/png');
    assert.equal(answer.attachments[0].id, createHash('sha256').update(Buffer.from(png, 'hex')).digest('hex'), 'the very bytes dropped');
    await page.close();
  });

  test('the logs list conversations newest first, and search finds a logged turn', async () => {
    const page = await openPage('/#/logs');
    await page.waitForSelector('[data-testid=conversation-item]');
    const titles = await page.locator('[data-testid=conversation-item] .title').allTextContents();
    assert.deepEqual(titles.slice(-2), ['Weather in Paris?', 'Tell me about pelicans']);
    assert.equal(titles[0], 'What is in this image?', 'the newest first');
    // Each conversation's cost, as its view totals it (gpt-4o-mini priced; echo has no price).
    const subs = await page.locator('[data-testid=conversation-item] .sub').allTextContents();
    assert.match(subs.at(-2)!, /^gpt-4o-mini · 2 turns · cost \$0\.000008 · \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    assert.match(subs.at(-1)!, /^echo · 1 turn · cost unknown · /);
    await shot(page, 'logs');
    await page.fill('[data-testid=search]', 'pelicans');
    await page.waitForSelector('[data-testid=search-hit]');
    const hits = await page.locator('[data-testid=search-hit]').allTextContents();
    assert.equal(hits.length, 1);
    assert.match(hits[0]!, /Tell me about pelicans/);
    await shot(page, 'search');
    await page.close();
  });

  test('the logs filter by tool and by date, kept in the address', async () => {
    const page = await openPage('/#/logs');
    await page.waitForSelector('[data-testid=conversation-item]');
    await page.waitForSelector('[data-testid=tool-filter] option[value=weather]', { state: 'attached' });
    await page.selectOption('[data-testid=tool-filter]', 'weather');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=conversation-item]').length === 1);
    assert.equal(await page.textContent('[data-testid=conversation-item] .title'), 'Weather in Paris?');
    assert.match(page.url(), /#\/logs\?tool=weather$/);
    await shot(page, 'logs-filtered');
    const today = new Date().toISOString().slice(0, 10);
    await page.fill('[data-testid=from-filter]', today);
    await page.fill('[data-testid=to-filter]', today);
    await page.waitForFunction(() => document.getElementById('results')!.textContent!.includes('Weather in Paris?') && document.querySelectorAll('[data-testid=conversation-item]').length === 1);
    await page.fill('[data-testid=to-filter]', '2020-01-01');
    await page.waitForSelector('text=No conversation matches these filters.');
    await page.fill('[data-testid=from-filter]', '');
    await page.fill('[data-testid=to-filter]', '');
    await page.selectOption('[data-testid=tool-filter]', '');
    await page.selectOption('[data-testid=model-filter]', 'echo');
    await page.waitForFunction(() => !document.getElementById('results')!.textContent!.includes('Weather in Paris?'));
    assert.ok((await page.locator('[data-testid=conversation-item] .sub').allTextContents()).every((text) => text.startsWith('echo · ')));
    // Reloaded with the filters in the address: the same list.
    await page.goto(`${server.url}/#/logs?tool=weather`);
    await page.reload();
    await page.waitForSelector('[data-testid=conversation-item]');
    assert.deepEqual(await page.locator('[data-testid=conversation-item] .title').allTextContents(), ['Weather in Paris?']);
    await page.close();
  });

  test('a conversation opens with its tool call, result and usage', async () => {
    const page = await openPage('/#/logs');
    await page.click('text=Weather in Paris?');
    await page.waitForSelector('[data-testid=tool-call]');
    assert.equal(await page.textContent('[data-testid=conversation-name]'), 'Weather in Paris?');
    assert.equal(await page.textContent('[data-testid=tool-call]'), 'weather({"city":"Paris"})');
    assert.match((await page.textContent('[data-testid=turn-tool-result]'))!, /weather → \{"temp": 21, "sky": "sunny"\}/);
    assert.equal(await page.textContent('[data-testid=turn-assistant] strong'), 'sunny');
    // Each turn's cost, and the conversation's total (gpt-4o-mini: $0.15 and $0.60 per million tokens).
    assert.match((await page.locator('[data-testid=turn-assistant] .meta').first().textContent())!, /^gpt-4o-mini · 12 input, 7 output tokens · cost \$0\.000006 · /);
    assert.match((await page.textContent('[data-testid=conversation-summary]'))!, / · 17 input, 9 output tokens · cost \$0\.000008 · /);
    await shot(page, 'conversation');
    await page.close();
  });

  test('a conversation continued from the page is logged into it', async () => {
    const page = await openPage('/#/logs');
    await page.click('text=Tell me about pelicans');
    await page.click('[data-testid=continue]');
    await page.waitForSelector('[data-testid=prompt]');
    assert.match((await page.textContent('[data-testid=conversation]'))!, /Continuing conversation/);
    assert.equal(await page.locator('[data-testid=msg-user]').count(), 1, 'the history is shown');
    await page.fill('[data-testid=prompt]', 'And their wingspan?');
    await page.press('[data-testid=prompt]', 'Enter');
    await page.waitForSelector('[data-testid=usage]');
    const answer = JSON.parse((await page.locator('.msg.assistant .md').last().textContent())!);
    assert.equal(answer.prompt, 'And their wingspan?');
    assert.deepEqual(answer.previous, [{ prompt: 'Tell me about pelicans' }]);
    await shot(page, 'continue');
    const id = (await page.textContent('[data-testid=conversation]'))!.split(' ').at(-1)!;
    const view = await (await fetch(`${server.url}/api/conversations/${id}`)).json();
    assert.deepEqual(view.turns.map((t: any) => t.prompt), ['Tell me about pelicans', 'And their wingspan?']);
    await page.close();
  });

  test('no errors in the console (the CSP blocks nothing the page needs)', () => {
    assert.deepEqual(consoleErrors, []);
  });

  test('a server with a token asks for it once, then works', async () => {
    const guarded = await llmServe(userDir, upstream.url, ['--token', 'let-me-in']);
    try {
      const page = await browser.newPage();
      await page.goto(`${guarded.url}/#/logs`);
      await page.fill('[data-testid=token]', 'let-me-in');
      await page.press('[data-testid=token]', 'Enter');
      await page.waitForSelector('[data-testid=conversation-item]');
      await page.reload();
      await page.waitForSelector('[data-testid=conversation-item]');
      assert.equal(await page.locator('.overlay').count(), 0, 'asked once: the token is kept');
      await page.close();
    } finally {
      guarded.child.kill('SIGINT');
      await new Promise((resolve) => guarded.child.once('close', resolve));
    }
  });
});
