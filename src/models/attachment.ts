import { createHash } from '../util/builtins.js';
import { fsPromises } from '../util/builtins.js';
import { extname, resolve } from 'node:path';
import { AttachmentError } from '../errors.js';
import { importModule } from '../util/import-module.js';
import { limits, tooLargeMessage } from '../streaming/limits.js';
import { type AddressKind, hostKind, redirectRefusal } from './url-safety.js';

export interface AttachmentInit {
  path?: string;
  url?: string;
  content?: Uint8Array;
  /** A MIME type; when given, no detection is done. */
  type?: string;
}

const MIME_TYPE_FIXES: Record<string, string> = { 'audio/wave': 'audio/wav', 'audio/x-wav': 'audio/wav' };
const URL_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;

function fixType(type: string): string {
  const bare = type.split(';')[0]!.trim().toLowerCase();
  return MIME_TYPE_FIXES[bare] ?? bare;
}

async function typeFromBytes(bytes: Uint8Array): Promise<string | undefined> {
  const { fileTypeFromBuffer } = await importModule<typeof import('file-type')>('file-type');
  return (await fileTypeFromBuffer(bytes))?.mime;
}

async function typeFromExtension(path: string): Promise<string | undefined> {
  if (!extname(path)) return undefined;
  const mime = (await importModule<typeof import('mime')>('mime')).default;
  return mime.getType(path) ?? undefined;
}

/** Follows at most three redirects by hand so the limit and the time bound are ours. */
export async function fetchFollowing(
  url: string,
  method: 'HEAD' | 'GET',
  signal?: AbortSignal,
): Promise<Response> {
  const timeout = AbortSignal.timeout(URL_TIMEOUT_MS);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let current = url;
  let given: AddressKind | undefined;
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetch(current, { method, redirect: 'manual', signal: combined });
    } catch (error) {
      const reason = timeout.aborted ? `timed out after ${URL_TIMEOUT_MS / 1000}s` : (error as Error).message;
      throw new AttachmentError(`Could not fetch attachment ${url}: ${reason}`, { cause: error });
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      if (hop >= MAX_REDIRECTS) {
        throw new AttachmentError(`Could not fetch attachment ${url}: more than ${MAX_REDIRECTS} redirects`);
      }
      await response.body?.cancel();
      const next = new URL(location, current);
      given ??= await hostKind(new URL(url).hostname);
      const refusal = redirectRefusal(given, await hostKind(next.hostname));
      if (refusal) throw new AttachmentError(`Refused to follow the redirect of attachment ${url} to ${next.href}: ${refusal}`);
      current = next.href;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new AttachmentError(`Could not fetch attachment ${url}: HTTP ${response.status}`);
    }
    return response;
  }
}

/** A body read whole, refused past `limits.maxBodyBytes`. */
async function readLimited(response: Response, url: string): Promise<Uint8Array> {
  const limit = limits.maxBodyBytes;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += (chunk as Uint8Array).byteLength;
    if (size > limit) {
      await response.body?.cancel().catch(() => undefined);
      throw new AttachmentError(tooLargeMessage(`attachment ${url}`, limit));
    }
    chunks.push(chunk as Uint8Array);
  }
  return new Uint8Array(Buffer.concat(chunks, size));
}

/** A file, URL or bytes to send with a prompt, as in Python's `llm.Attachment`. */
export class Attachment {
  type?: string;
  readonly path?: string;
  readonly url?: string;
  readonly content?: Uint8Array;
  private loaded?: Uint8Array;
  private cachedId?: string;

  constructor(init: AttachmentInit) {
    const given = [init.path, init.url, init.content].filter((v) => v !== undefined).length;
    if (given !== 1) throw new AttachmentError('An attachment needs exactly one of path, url or content');
    this.path = init.path === undefined ? undefined : resolve(init.path);
    this.url = init.url;
    this.content = init.content;
    this.type = init.type ? fixType(init.type) : undefined;
  }

  /**
   * The MIME type: the one given; else, for bytes and files, detected from the bytes (a
   * file's name is used only when its bytes say nothing, e.g. plain text); else, for a URL,
   * the content-type of a HEAD request (at most 3 redirects, 10 s).
   */
  async resolveType(signal?: AbortSignal): Promise<string> {
    if (this.type) return this.type;
    let detected: string | undefined;
    if (this.path !== undefined) {
      const head = await this.readHead();
      detected = (await typeFromBytes(head)) ?? (await typeFromExtension(this.path));
    } else if (this.url !== undefined) {
      const response = await fetchFollowing(this.url, 'HEAD', signal);
      const header = response.headers.get('content-type');
      detected = header ?? undefined;
    } else if (this.content !== undefined) {
      detected = await typeFromBytes(this.content);
    }
    if (!detected) {
      throw new AttachmentError(`Could not determine the type of attachment ${this.describe()}; pass a type explicitly`);
    }
    this.type = fixType(detected);
    return this.type;
  }

  private async readHead(): Promise<Uint8Array> {
    const path = this.path!;
    let handle;
    try {
      handle = await fsPromises().open(path, 'r');
    } catch (error) {
      throw new AttachmentError(`Attachment file not found or unreadable: ${path}`, { cause: error });
    }
    try {
      const buffer = Buffer.alloc(4100);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  /** Checks that a path attachment exists, without reading it. */
  async checkReadable(): Promise<void> {
    if (this.path === undefined) return;
    try {
      const info = await fsPromises().stat(this.path);
      if (!info.isFile()) throw new Error('not a file');
    } catch (error) {
      throw new AttachmentError(`Attachment file not found or unreadable: ${this.path}`, { cause: error });
    }
  }

  /** The bytes: the content given, the file's contents, or a GET of the URL. */
  async contentBytes(signal?: AbortSignal): Promise<Uint8Array> {
    if (this.content !== undefined) return this.content;
    if (this.loaded !== undefined) return this.loaded;
    if (this.path !== undefined) {
      try {
        this.loaded = await fsPromises().readFile(this.path);
      } catch (error) {
        throw new AttachmentError(`Attachment file not found or unreadable: ${this.path}`, { cause: error });
      }
      return this.loaded;
    }
    const response = await fetchFollowing(this.url!, 'GET', signal);
    this.loaded = await readLimited(response, this.url!);
    return this.loaded;
  }

  async base64Content(signal?: AbortSignal): Promise<string> {
    return Buffer.from(await this.contentBytes(signal)).toString('base64');
  }

  /**
   * The id Python llm stores: sha256 of the bytes (content or file), else of the JSON
   * `{"url": url}`.
   */
  async id(): Promise<string> {
    if (this.cachedId) return this.cachedId;
    const hash = createHash('sha256');
    if (this.url !== undefined) {
      // Python: sha256(json.dumps({"url": url})), whose separators put a space after ':'.
      hash.update(`{"url": ${pythonJsonString(this.url)}}`);
    } else {
      hash.update(await this.contentBytes());
    }
    this.cachedId = hash.digest('hex');
    return this.cachedId;
  }

  describe(): string {
    return this.path ?? this.url ?? `<${this.content?.length ?? 0} bytes>`;
  }
}

/** A string as Python's `json.dumps` writes it (ASCII only, non-ASCII as \uXXXX). */
export function pythonJsonString(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
