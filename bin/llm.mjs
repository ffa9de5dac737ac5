#!/usr/bin/env node
// Fast path for --version: answer without loading the CLI.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`llm, version ${pkg.version}\n`);
} else {
  await import('../dist/cli.js');
}
