// Builds dist/: one CommonJS bundle of the library and the CLI, thin ES module entry
// points over it, the CLI's launcher, and .d.ts types from tsc.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

// The .d.ts types from tsc take most of the build's time and need nothing the bundling
// makes: tsc runs in a second process meanwhile (this build is also `npm ci`'s prepare).
const types = new Promise((resolve, reject) => {
  const tsc = spawn(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--emitDeclarationOnly'], {
    stdio: 'inherit',
  });
  tsc.on('error', reject);
  tsc.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tsc exited with code ${code}`))));
});

// commander needs child_process only for executable subcommands, which llm never uses:
// load it on that call rather than on every start (about 2 ms).
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/, namespace: 'file' }, (args) =>
      args.importer.includes('/node_modules/commander/') ? { path: 'child_process', namespace: 'lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = { spawn: (...args) => require('node:child_process').spawn(...args) };",
      loader: 'js',
    }));
  },
};

// src/util/import-module.ts stays a file of its own (see there): the bundle requires it.
const importModuleApart = {
  name: 'import-module-apart',
  setup(b) {
    b.onResolve({ filter: /(^|\/)import-module\.js$/ }, () => ({ path: './import-module.cjs', external: true }));
  },
};

// better-sqlite3's JavaScript, compiled into the bundle (src/util/sqlite-bundled.ts says
// when it is used); the package itself, its native addon and `bindings` stay outside.
const sqliteVersion = JSON.parse(readFileSync('node_modules/better-sqlite3/package.json', 'utf8')).version;
const bundledSqlite = {
  name: 'bundled-sqlite',
  setup(b) {
    b.onResolve({ filter: /(^|\/)sqlite-bundled\.js$/ }, () => ({ path: 'sqlite-bundled', namespace: 'bundled-sqlite' }));
    b.onLoad({ filter: /.*/, namespace: 'bundled-sqlite' }, () => ({
      contents: `export const bundledSqliteDriver = { version: ${JSON.stringify(sqliteVersion)}, load: () => require('better-sqlite3/lib/index.js') };`,
      resolveDir: process.cwd(),
      loader: 'js',
    }));
    b.onResolve({ filter: /^(better-sqlite3|better-sqlite3\/package\.json|bindings)$/ }, (args) => ({ path: args.path, external: true }));
  },
};

// Dependencies stay external, except @noble/hashes, which every logged prompt needs,
// commander, which every command needs, and better-sqlite3's JavaScript (above): bundled,
// they cost a little compiling (cached, see src/cli/launch.ts) instead of milliseconds of
// module resolution.
const BUNDLED = new Set(['@noble/hashes', 'commander', 'better-sqlite3']);
const external = Object.keys(pkg.dependencies).filter((name) => !BUNDLED.has(name));

// The library, the CLI and the author's kit in one CommonJS file (dist/llm.cjs): one file
// is cheaper to load than the modules a prompt touches, CommonJS is what the CLI can compile
// with V8's code cache on Node 20, and one file means one copy of every class and registry
// per process. Heavy dependencies stay external and are loaded only when used.
const result = await build({
  entryPoints: { llm: 'src/bundle.ts' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  external,
  plugins: [lazyChildProcess, importModuleApart, bundledSqlite],
  sourcemap: true,
  metafile: true,
  define: { __LLM_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__llm_import_meta_url' },
  banner: { js: "var __llm_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
// Code compiled with the cache cannot call import(): every import of a module outside the
// bundle must go through src/util/import-module.ts.
const dynamicImports = Object.values(result.metafile.inputs).flatMap((input) =>
  input.imports.filter((i) => i.kind === 'dynamic-import' && i.external).map((i) => i.path),
);
if (dynamicImports.length) throw new Error(`import() of ${dynamicImports.join(', ')} in the bundle: use importModule()`);

// The launcher reads the bundle as Latin-1, which is exact for ASCII and spares a UTF-8
// decode (esbuild escapes non-ASCII strings; a comment it keeps could still have some).
const bundleText = readFileSync('dist/llm.cjs', 'latin1');
const nonAscii = bundleText.search(/[^\x00-\x7f]/);
if (nonAscii !== -1) throw new Error(`dist/llm.cjs has a non-ASCII character: ...${bundleText.slice(nonAscii - 40, nonAscii + 20)}...`);

for (const [entry, out] of [['src/util/import-module.ts', 'dist/import-module.cjs'], ['src/cli/launch.ts', 'dist/launch.cjs']]) {
  await build({ entryPoints: [entry], bundle: true, format: 'cjs', platform: 'node', target: 'node20', outfile: out, logLevel: 'warning' });
}

// ES module entry points over the bundle. They take it with require(), not `import ...
// from './llm.cjs'`: an ES import of CommonJS makes Node lex the whole 1 MB bundle for
// its export names on every start (~100 ms of CPU for a plugin that imports llm-ts, even
// when the CLI has the bundle loaded already); checked below.
const bundle = createRequire(import.meta.url)('../dist/llm.cjs');
const libraryNames = Object.keys(bundle).filter((name) => !name.startsWith('__'));
const requireBundle = "import { createRequire } from 'node:module';\nconst bundle = createRequire(import.meta.url)('./llm.cjs');\n";
writeFileSync('dist/index.js', `// The llm-ts library (see llm.cjs).\n${requireBundle}export const { ${libraryNames.join(', ')} } = bundle;\n`);
writeFileSync(
  'dist/testing.js',
  `// llm-ts/testing: the plugin author's kit.\n${requireBundle}` +
    Object.keys(bundle.__testing).map((name) => `export const ${name} = bundle.__testing.${name};\n`).join(''),
);
const imported = await import(new URL('../dist/index.js', import.meta.url).href);
const absent = libraryNames.filter((name) => imported[name] !== bundle[name]);
if (absent.length) throw new Error(`dist/index.js does not export ${absent.join(', ')}`);


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

// The page `llm serve` shows (web/build.mjs): dist/web.
await import('../web/build.mjs');
await types;
