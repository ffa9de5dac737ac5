import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MarkdownStream, preload } from './stream.js';
const dir = '/work/wt-i11/test/fixtures/markdown/';
const answers = readdirSync(dir).filter((n) => n.endsWith('.md')).sort().map((n) => readFileSync(join(dir, n), 'utf8').trim());
let text = '';
for (let i = 0; text.length < 1024 * 1024; i++) text += answers[i % answers.length] + '\n\n';
await preload(text);
for (const live of [false, true, false, true]) {
  let bytes = 0;
  const s = new MarkdownStream({ write: (t) => ((bytes += t.length), true), columns: () => 100, rows: () => 50 }, { colour: process.env.C === '1' }, live);
  const t0 = process.cpuUsage();
  for (let i = 0, n = 0; i < text.length; n++) { const size = 2 + (n % 8); s.write(text.slice(i, i + size)); i += size; }
  await s.end();
  console.log(live ? 'live' : 'file', (((u) => (u.user + u.system) / 1000)(process.cpuUsage(t0))).toFixed(0), 'ms cpu', bytes, 'bytes');
}
