import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { userDir } from '../config/user-dir.js';

/** `<user dir>/plugins`: an npm project whose dependencies are the installed plugins. */
export function pluginsDir(): string {
  return join(userDir({ create: false }), 'plugins');
}

/** Whether any plugin was ever installed (cheap: one stat, no plugin code or cache read). */
export function mayHaveInstalledPlugins(): boolean {
  return existsSync(join(pluginsDir(), 'package.json'));
}
