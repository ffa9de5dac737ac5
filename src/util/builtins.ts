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

/** Fills `bytes` with cryptographically strong random values (node:crypto, loaded on first use). */
export const randomFillSync = (bytes: Uint8Array): Uint8Array =>
  (load('node:crypto') as typeof import('node:crypto')).randomFillSync(bytes);

/** node:crypto's createHash, with the module loaded on first use. */
export const createHash = (algorithm: string): import('node:crypto').Hash =>
  (load('node:crypto') as typeof import('node:crypto')).createHash(algorithm);
