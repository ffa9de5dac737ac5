#!/usr/bin/env node
'use strict';
// Fast path for --version: answer without loading the CLI.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const pkg = JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, '..', 'package.json'), 'utf8'));
  process.stdout.write(`llm, version ${pkg.version}\n`);
} else {
  try {
    void require('../dist/launch.cjs').launch();
  } catch (error) {
    // A clone where dist/ was never built (or was deleted): one line, not a stack trace.
    const { existsSync } = require('node:fs');
    const { join } = require('node:path');
    const root = join(__dirname, '..');
    if (!['launch.cjs', 'llm.cjs'].every((name) => existsSync(join(root, 'dist', name)))) {
      process.stderr.write(`Error: llm-ts is not built (its dist/ folder is missing or incomplete): run \`npm run build\` in ${root}\n`);
      process.exit(1);
    }
    throw error;
  }
}
