// A copy of bin/ and dist/ (with node_modules linked) for a benchmark to run, so that a
// rebuild started meanwhile cannot pull the files out from under the measurement.
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function snapshotBuild(prefix) {
  const repo = new URL('..', import.meta.url).pathname;
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (let attempt = 0; ; attempt++) {
    try {
      if (!existsSync(join(repo, 'dist/llm.cjs'))) throw new Error('dist/ is not built: run npm run build');
      cpSync(join(repo, 'dist'), join(root, 'dist'), { recursive: true });
      if (!existsSync(join(root, 'dist/llm.cjs')) || !existsSync(join(root, 'dist/index.js'))) throw new Error('dist/ changed while copying');
      break;
    } catch (error) {
      if (attempt > 20) throw error;
      rmSync(join(root, 'dist'), { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  cpSync(join(repo, 'bin'), join(root, 'bin'), { recursive: true });
  cpSync(join(repo, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  return root;
}
