import { blake2b } from '@noble/hashes/blake2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const encoder = new TextEncoder();

/** Hex blake2b with a 16-byte digest, as Python's `hashlib.blake2b(data, digest_size=16)`. */
export function blake2b16Hex(text: string): string {
  return bytesToHex(blake2b(encoder.encode(text), { dkLen: 16 }));
}
