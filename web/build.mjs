// Builds the page into dist/web: app.js (web/src bundled by esbuild, no dependencies),
// app.css and index.html copied. `llm serve` serves these files and nothing else.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const out = 'dist/web';
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['web/src/main.ts'],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  outfile: `${out}/app.js`,
  logLevel: 'warning',
});
copyFileSync('web/index.html', `${out}/index.html`);
copyFileSync('web/app.css', `${out}/app.css`);
