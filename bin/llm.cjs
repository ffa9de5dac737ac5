#!/usr/bin/env node
'use strict';
// Fast path for --version: answer without loading the CLI.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const pkg = JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, '..', 'package.json'), 'utf8'));
  process.stdout.write(`llm, version ${pkg.version}\n`);
} else {
  void require('../dist/launch.cjs').launch();
}
