// The page on a large log (100,000 turns in 25,000 conversations) in headless Chromium:
// how long the first view and a search take. The figures are printed (and written to
// web/test/screenshots/large-log.json), not asserted: tests never assert on time.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { seedLargeLog } from './large-log.js';

const BIN = fileURLToPath(new URL('../../bin/llm.cjs', import.meta.url));
const CHROMIUM = process.env.LLM_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TURNS = 100_000;

let browser: Browser;
let child: ChildProcess;
let url: string;
let userDir: string;

before(async () => {
  if (!existsSync(CHROMIUM) && process.env.LLM_SKIP_BROWSER_TESTS !== '1') {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set LLM_CHROMIUM; LLM_SKIP_BROWSER_TESTS=1 skips these tests)`);
  }
  if (!existsSync(CHROMIUM)) return;
  mkdirSync(SHOTS, { recursive: true });
  userDir = mkdtempSync(join(tmpdir(), 'llm-large-log-'));
  seedLargeLog(join(userDir, 'logs.db'), TURNS, 54_321, 'xylophone');
  child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    env: { PATH: process.env.PATH, HOME: userDir, LLM_USER_PATH: userDir, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const found = /Serving on (http:\/\/\S+?)\/ /.exec(stdout);
      if (found) resolve(found[1]!);
    });
    child.on('close', () => reject(new Error('llm serve exited')));
  });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
});

after(async () => {
  await browser?.close();
  if (child) {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('close', resolve));
  }
  if (userDir) rmSync(userDir, { recursive: true, force: true });
});

test('the logs view and a search on 100,000 turns', { skip: !existsSync(CHROMIUM) && process.env.LLM_SKIP_BROWSER_TESTS === '1' }, async (t) => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  const started = Date.now();
  await page.goto(`${url}/#/logs`);
  await page.waitForSelector('[data-testid=conversation-item]');
  const firstView = Date.now() - started;
  const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
  // Marks the page sets when it has shown the list, and a search's results.
  const listShown = await page.evaluate(() => performance.getEntriesByName('llm:conversations-shown')[0]!.startTime);
  const scriptStarted = await page.evaluate(() => performance.getEntriesByName('llm:script-start')[0]!.startTime);
  const listRequest = await page.evaluate(
    () => (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => e.name.includes('/api/conversations'))?.duration ?? null,
  );
  // The same again in a second tab: the browser already running, as a user's is.
  const again = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  await again.goto(`${url}/#/logs`);
  await again.waitForSelector('[data-testid=conversation-item]');
  const secondVisit = await again.evaluate(() => ({
    paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    shown: performance.getEntriesByName('llm:conversations-shown')[0]!.startTime,
  }));
  await again.close();
  const listed = await page.locator('[data-testid=conversation-item]').count();
  assert.equal(listed, 100, 'a page of conversations');
  // Each conversation says its cost (its turns alternate gpt-4o-mini and echo, which has no price).
  assert.match((await page.locator('[data-testid=conversation-item] .sub').first().textContent())!, /^(echo|gpt-4o-mini) · 4 turns · cost unknown · /);
  assert.equal(await page.locator('[data-testid=conversation-item] .title').first().textContent(), `Conversation ${TURNS / 4 - 1} about topic ${(TURNS - 4) % 997}`);
  // The next page continues where the first ended: no conversation twice, none skipped.
  await page.click('[data-testid=more]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=conversation-item]').length === 200);
  const titles = await page.locator('[data-testid=conversation-item] .title').allTextContents();
  assert.deepEqual(titles.slice(99, 101), [`Conversation ${TURNS / 4 - 100} about topic ${(TURNS - 400) % 997}`, `Conversation ${TURNS / 4 - 101} about topic ${(TURNS - 404) % 997}`]);
  assert.equal(new Set(titles).size, 200);

  // A date range: the list is asked for again with the filter, over the whole log.
  const dateStarted = Date.now();
  await page.fill('[data-testid=to-filter]', '2026-01-10');
  await page.waitForFunction(() => document.querySelector('[data-testid=conversation-item] .sub')?.textContent?.includes('2026-01-10 23:'));
  const dateView = Date.now() - dateStarted;
  assert.match((await page.locator('[data-testid=conversation-item] .sub').first().textContent())!, /2026-01-10 23:5\d$/);
  await page.fill('[data-testid=to-filter]', '');
  await page.waitForFunction(() => !document.querySelector('[data-testid=conversation-item] .sub')?.textContent?.includes('2026-01-10'));

  const searchStarted = Date.now();
  await page.fill('[data-testid=search]', 'xylophone');
  await page.waitForSelector('[data-testid=search-hit]');
  const searchView = Date.now() - searchStarted;
  const searchShown = await page.evaluate(() => {
    const typed = performance.getEntriesByName('llm:conversations-shown').at(-1)!.startTime;
    const shown = performance.getEntriesByName('llm:search-shown').at(-1)!.startTime;
    const request = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => e.name.includes('/api/search'))!;
    return { requestToShown: shown - request.startTime, typed, shown };
  });
  const searchRequest = await page.evaluate(
    () => (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => e.name.includes('/api/search'))?.duration ?? null,
  );
  assert.equal(await page.locator('[data-testid=search-hit]').count(), 1);
  await page.screenshot({ path: join(SHOTS, 'large-log-search.png') });
  const figures = {
    turns: TURNS,
    first_view_ms_including_test_overhead: firstView,
    first_contentful_paint_ms: paint === null ? null : Math.round(paint),
    script_started_since_navigation_ms: Math.round(scriptStarted),
    list_shown_since_navigation_ms: Math.round(listShown),
    list_request_ms: listRequest === null ? null : Math.round(listRequest),
    second_tab_first_contentful_paint_ms: secondVisit.paint === null ? null : Math.round(secondVisit.paint),
    second_tab_list_shown_since_navigation_ms: Math.round(secondVisit.shown),
    search_request_ms: searchRequest === null ? null : Math.round(searchRequest),
    search_request_sent_to_results_shown_ms: Math.round(searchShown.requestToShown),
    search_typed_to_shown_ms_including_150ms_debounce_and_test_overhead: searchView,
    date_filter_changed_to_shown_ms_including_test_overhead: dateView,
  };
  writeFileSync(join(SHOTS, 'large-log.json'), JSON.stringify(figures, null, 2) + '\n');
  t.diagnostic(JSON.stringify(figures));
  await page.close();
});
