// Runs every benchmark in turn (`npm run bench`), each printing its own figures against a
// baseline measured in the same run, then says which, if any, missed its budget.
// Usage: npm run bench   (or: node bench/run-all.mjs [name...], e.g. startup logs)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ALL = ['startup', 'plugins', 'stream', 'logs', 'similar', 'memory', 'map', 'usage', 'markdown'];
const chosen = process.argv.length > 2 ? process.argv.slice(2) : ALL;
const unknown = chosen.filter((name) => !ALL.includes(name));
if (unknown.length) {
  console.error(`Unknown benchmark: ${unknown.join(', ')} (there are: ${ALL.join(', ')})`);
  process.exit(2);
}

const failed = [];
for (const name of chosen) {
  console.log(`\n## ${name}\n`);
  const script = fileURLToPath(new URL(`./${name}.mjs`, import.meta.url));
  const { status } = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (status !== 0) failed.push(`${name} (exit ${status})`);
}
console.log(failed.length ? `\nOver budget or failed: ${failed.join(', ')}` : '\nEvery benchmark within its budget.');
process.exitCode = failed.length ? 1 : 0;
