import { blake2b } from '@noble/hashes/blake2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const encoder = new TextEncoder();

/** Hex blake2b with a 16-byte digest, as Python's `hashlib.blake2b(data, digest_size=16)`. */
export function blake2b16Hex(text: string): string {
  return bytesToHex(blake2b(encoder.encode(text), { dkLen: 16 }));
}

/**
 * The same hash over text that `write` hands over in pieces: they are gathered into
 * blocks of about 64 KB, encoded and hashed one block at a time, so the whole text is
 * never held as one string or one byte array.
 */
export function blake2b16HexOfPieces(write: (emit: (piece: string) => void) => void): string {
  const hash = blake2b.create({ dkLen: 16 });
  let pending: string[] = [];
  let size = 0;
  const flush = () => {
    if (!pending.length) return;
    hash.update(encoder.encode(pending.join('')));
    pending = [];
    size = 0;
  };
  write((piece) => {
    pending.push(piece);
    size += piece.length;
    if (size >= 1 << 16) flush();
  });
  flush();
  return bytesToHex(hash.digest());
}
