// The package.json that goes into the tarball has no `prepare` script. In a clone,
// `prepare` builds dist/ on `npm ci`; a tarball already holds dist/, and npm 11 lists every
// non-registry package with a `prepare` script among "packages with install scripts" when
// the tarball is installed (though it never runs it). `npm pack` runs this with `strip`
// before packing (prepack) and with `restore` after (postpack).
//   node scripts/pack-manifest.mjs strip|restore
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const MANIFEST = 'package.json';
const KEPT = '.tmp/package.json.before-pack';

function restore() {
  if (existsSync(KEPT)) renameSync(KEPT, MANIFEST);
}

const mode = process.argv[2];
if (mode === 'strip') {
  // A pack that failed after stripping never restored: start from the kept original.
  restore();
  const text = readFileSync(MANIFEST, 'utf8');
  const pkg = JSON.parse(text);
  if (pkg.scripts?.prepare !== undefined) {
    mkdirSync('.tmp', { recursive: true });
    writeFileSync(KEPT, text);
    delete pkg.scripts.prepare;
    writeFileSync(MANIFEST, `${JSON.stringify(pkg, null, 2)}\n`);
  }
} else if (mode === 'restore') {
  restore();
} else {
  console.error('Usage: node scripts/pack-manifest.mjs strip|restore');
  process.exit(1);
}
