// Builds dist/: an ESM bundle of the library and the CLI (code-split so providers and
// commands load only when used) plus .d.ts types from tsc.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

// commander, pre-bundled into one ESM file: loading it from node_modules (CJS, several
// files) costs the CLI's startup about 25 ms more. The CLI imports it as `#commander`
// (package.json "imports"); the library never does.
await build({
  stdin: {
    contents: "export { Command, Option, Argument, CommanderError, InvalidArgumentError, Help } from 'commander';",
    resolveDir: '.',
    loader: 'js',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/vendor/commander.js',
  minify: true,
  banner: { js: "import { createRequire as __llmCreateRequire } from 'node:module';\nconst require = __llmCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

const BUNDLED = new Set(['ulid', '@noble/hashes']);

const vendorCommander = {
  name: 'vendor-commander',
  setup(b) {
    b.onResolve({ filter: /^commander$/ }, () => ({ path: '#commander', external: true }));
  },
};

await build({
  plugins: [vendorCommander],
  entryPoints: { index: 'src/index.ts', cli: 'src/cli/main.ts', testing: 'src/testing/index.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  // Dependencies stay external, except two small ones that every prompt needs: bundled,
  // they cost a chunk's parse instead of ~17 ms of module resolution at startup.
  external: Object.keys(pkg.dependencies).filter((name) => !BUNDLED.has(name)),
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
