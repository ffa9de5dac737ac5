// Builds dist/: an ESM bundle of the library and the CLI (code-split so providers and
// commands load only when used) plus .d.ts types from tsc.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli/main.ts', testing: 'src/testing/index.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  packages: 'external',
  sourcemap: true,
  define: { __LLM_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--emitDeclarationOnly'], {
  stdio: 'inherit',
});

// First-party plugins: each package's src/index.ts becomes its dist/index.js, with
// llm-ts and every dependency left external.
for (const name of readdirSync('packages')) {
  const dir = `packages/${name}`;
  if (!existsSync(`${dir}/src/index.ts`)) continue;
  rmSync(`${dir}/dist`, { recursive: true, force: true });
  await build({
    entryPoints: { index: `${dir}/src/index.ts` },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: `${dir}/dist`,
    chunkNames: 'chunks/[name]-[hash]',
    packages: 'external',
    logLevel: 'warning',
  });
}
