import { randomFillSync } from './builtins.js';

/**
 * Lower-case monotonic ULIDs, the ids Python llm gives responses and conversations: 48 bits
 * of milliseconds and 80 random bits in Crockford's base32. Within one millisecond each id
 * is the previous one plus one, so ids made in one process always sort in order. (Written
 * here rather than imported: it is a few lines, and the ulid package loads node:crypto
 * when imported, which every `llm` start would pay for.)
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

let lastTime = -1;
/** The 80 random bits as 16 base-32 digits (0..31 each). */
const random = new Uint8Array(16);

function encodeTime(time: number): string {
  let text = '';
  for (let i = 0; i < 10; i++) {
    text = ALPHABET[time % 32]! + text;
    time = Math.floor(time / 32);
  }
  return text;
}

function increment(): void {
  for (let i = random.length - 1; i >= 0; i--) {
    if (random[i]! < 31) {
      random[i] = random[i]! + 1;
      return;
    }
    random[i] = 0;
  }
  throw new Error('ULID random part overflowed within one millisecond');
}

export function newId(now: number = Date.now()): string {
  if (now > lastTime) {
    lastTime = now;
    randomFillSync(random);
    for (let i = 0; i < random.length; i++) random[i] = random[i]! & 31;
  } else {
    increment();
  }
  let text = encodeTime(lastTime);
  for (let i = 0; i < random.length; i++) text += ALPHABET[random[i]!];
  return text;
}

/** The milliseconds since the epoch that a ULID's first 10 characters encode. */
export function ulidTime(id: string): number {
  let time = 0;
  for (const char of id.slice(0, 10).toLowerCase()) time = time * 32 + ALPHABET.indexOf(char);
  return time;
}
