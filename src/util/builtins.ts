import { createRequire } from 'node:module';

/**
 * Node built-ins that only some commands use, loaded on first use. In the single bundle
 * every static import is evaluated when the library loads, and these cost a few ms each.
 */
const load = createRequire(import.meta.url);

export const childProcess = (): typeof import('node:child_process') => load('node:child_process');
export const readline = (): typeof import('node:readline') => load('node:readline');
export const http = (): typeof import('node:http') => load('node:http');
export const fsPromises = (): typeof import('node:fs/promises') => load('node:fs/promises');
