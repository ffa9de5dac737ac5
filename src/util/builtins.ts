import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Node built-ins that only some commands use, loaded on first use. In the single bundle
 * every static import is evaluated when the library loads, and these cost a few ms each.
 */
const load = createRequire(import.meta.url);

export const childProcess = (): typeof import('node:child_process') => load('node:child_process');
export const readline = (): typeof import('node:readline') => load('node:readline');
export const http = (): typeof import('node:http') => load('node:http');
export const https = (): typeof import('node:https') => load('node:https');
export const zlib = (): typeof import('node:zlib') => load('node:zlib');
export const fsPromises = (): typeof import('node:fs/promises') => load('node:fs/promises');

/**
 * Fills `bytes` with cryptographically strong random values: read from the kernel's
 * /dev/urandom where there is one, which costs a read rather than node:crypto's 2-3 ms load.
 */
export function randomFillSync(bytes: Uint8Array): Uint8Array {
  if (process.platform !== 'win32') {
    let fd: number | undefined;
    try {
      fd = openSync('/dev/urandom', 'r');
      if (readSync(fd, bytes, 0, bytes.length, null) === bytes.length) return bytes;
    } catch {
      // No /dev/urandom (a sandbox, a chroot): node:crypto below.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return (load('node:crypto') as typeof import('node:crypto')).randomFillSync(bytes);
}

/** node:crypto's createHash, with the module loaded on first use. */
export const createHash = (algorithm: string): import('node:crypto').Hash =>
  (load('node:crypto') as typeof import('node:crypto')).createHash(algorithm);
