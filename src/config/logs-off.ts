import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userDir } from './user-dir.js';

/** `<user dir>/logs-off`: an empty marker file; while it exists, prompts are not logged. */
export function logsOffPath(): string {
  return join(userDir(), 'logs-off');
}

export function logsEnabled(): boolean {
  return !existsSync(logsOffPath());
}

export function setLogsEnabled(on: boolean): void {
  if (on) rmSync(logsOffPath(), { force: true });
  else writeFileSync(logsOffPath(), '');
}
