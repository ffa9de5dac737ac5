/**
 * Vectors on disk: a little-endian float32 array, the same bytes Python llm's
 * `llm.encode()` writes (`struct.pack("<" + "f" * n, *values)`).
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Packs a vector into little-endian float32 bytes. */
export function encode(values: ArrayLike<number>): Uint8Array {
  const bytes = Buffer.alloc(values.length * 4);
  if (LITTLE_ENDIAN) {
    new Float32Array(bytes.buffer, bytes.byteOffset, values.length).set(values);
  } else {
    for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i]!, i * 4);
  }
  return bytes;
}

/** Unpacks little-endian float32 bytes into numbers. */
export function decode(bytes: Uint8Array): number[] {
  return Array.from(float32View(bytes));
}

/**
 * A Float32Array over the bytes, without copying when the platform is little-endian
 * and the bytes are 4-byte aligned (a copy otherwise). Trailing bytes that do not make
 * a whole float are ignored.
 */
export function float32View(bytes: Uint8Array): Float32Array {
  const length = bytes.byteLength >> 2;
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, length);
  const out = new Float32Array(length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/**
 * Cosine similarity of two vectors, over the length of the shorter one. A vector with
 * no magnitude has no direction: the similarity is then 0.
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let dot = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    sa += x * x;
    sb += y * y;
  }
  if (sa === 0 || sb === 0) return 0;
  return dot / (Math.sqrt(sa) * Math.sqrt(sb));
}
