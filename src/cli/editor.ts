import { childProcess } from '../util/builtins.js';

/** The editor the user chose: $VISUAL, else $EDITOR, else vi. */
export function editorCommand(): string {
  return process.env.VISUAL || process.env.EDITOR || 'vi';
}

/**
 * Opens `path` in the user's editor and waits for it to close. Returns why it failed
 * (it could not start, or exited non-zero), or undefined when it succeeded.
 */
export function runEditor(path: string): string | undefined {
  const editor = editorCommand();
  const [command, ...args] = editor.split(/\s+/);
  const result = childProcess().spawnSync(command!, [...args, path], { stdio: 'inherit' });
  if (result.error) return `Could not run editor ${editor}: ${result.error.message}`;
  if (result.status !== 0) return `Editor ${editor} exited with status ${result.status}`;
  return undefined;
}
