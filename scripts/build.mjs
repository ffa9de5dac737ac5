// Builds dist/: an ESM bundle of the library and the CLI (code-split so providers and
// commands load only when used) plus .d.ts types from tsc.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

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
  // commander needs child_process only for executable subcommands, which llm never uses:
  // load it on that call rather than on every start (about 2 ms).
  plugins: [
    {
      name: 'lazy-child-process',
      setup(b) {
        b.onResolve({ filter: /^node:child_process$/ }, () => ({ path: 'child_process', namespace: 'lazy' }));
        b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
          contents: "module.exports = { spawn: (...args) => require('node:child_process').spawn(...args) };",
          loader: 'js',
        }));
      },
    },
  ],
  minify: true,
  banner: { js: "import { createRequire as __llmCreateRequire } from 'node:module';\nconst require = __llmCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

const BUNDLED = new Set(['@noble/hashes']);

const vendorCommander = {
  name: 'vendor-commander',
  setup(b) {
    b.onResolve({ filter: /^commander$/ }, () => ({ path: '#commander', external: true }));
  },
};

// The library, the command actions and the author's kit in one file (dist/llm.js), not
// code-split: loading one module is cheaper than loading the 20-30 chunks a prompt
// touches, and one file means one copy of every class and registry per process. Heavy
// dependencies stay external and are loaded with import()/require only when used.
const external = Object.keys(pkg.dependencies).filter((name) => !BUNDLED.has(name));
// Dependencies stay external, except @noble/hashes, which every logged prompt needs:
// bundled, it costs a little parsing instead of ~8 ms of module resolution.
const shared = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  external,
  sourcemap: true,
  define: { __LLM_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};
await build({ ...shared, plugins: [vendorCommander], entryPoints: { llm: 'src/bundle.ts' } });

// The CLI's front (dist/cli.js): main.ts and the command declarations only. Every action
// imports src/cli/actions.ts, which here becomes the thin dist/cli-actions.js over llm.js,
// so `llm --help` never loads the library.
const actionsToBundle = {
  name: 'actions-to-bundle',
  setup(b) {
    b.onResolve({ filter: /\/actions\.js$/ }, () => ({ path: './cli-actions.js', external: true }));
  },
};
await build({ ...shared, plugins: [vendorCommander, actionsToBundle], entryPoints: { cli: 'src/cli/bin.ts' } });

// Thin entry points over the bundle.
const bundle = await import(new URL('../dist/llm.js', import.meta.url).href);
const reexport = (namespace, names) =>
  `import { ${namespace} as source } from './llm.js';\n` + names.map((name) => `export const ${name} = source.${name};\n`).join('');
const libraryNames = Object.keys(bundle).filter((name) => !name.startsWith('__'));
writeFileSync('dist/index.js', `// The llm-ts library (see llm.js).\nexport { ${libraryNames.join(', ')} } from './llm.js';\n`);
writeFileSync('dist/testing.js', "// llm-ts/testing: the plugin author's kit.\n" + reexport('__testing', Object.keys(bundle.__testing)));
writeFileSync('dist/cli-actions.js', '// What the CLI actions use (see src/cli/actions.ts).\n' + reexport('__cli', Object.keys(bundle.__cli)));

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
