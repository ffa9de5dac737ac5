import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigFileError } from '../errors.js';

/**
 * The user directory shared with Python llm: `$LLM_USER_PATH`, else the folder that
 * click's `get_app_dir("io.datasette.llm")` picks on this platform.
 */
export function userDir(options: { create?: boolean } = {}): string {
  const dir = process.env.LLM_USER_PATH || platformAppDir('io.datasette.llm');
  if (options.create !== false) {
    try {
      // Private: it holds keys.json and every prompt ever logged.
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'a file of that name is in the way' : (error as Error).message;
      throw new ConfigFileError(`Could not create the LLM user directory ${dir}: ${reason}`, dir, { cause: error });
    }
  }
  return dir;
}

function platformAppDir(app: string): string {
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', app);
  if (process.platform === 'win32') {
    return join(process.env.LOCALAPPDATA || process.env.APPDATA || join(homedir(), 'AppData', 'Local'), app);
  }
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), app);
}

/** Path of a file inside the user directory (the directory is created). */
export function userFile(name: string): string {
  return join(userDir(), name);
}
