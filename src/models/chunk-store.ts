/**
 * The text chunks of a response, kept compactly. A long answer can be a million chunks;
 * as separate strings they take about twice the text's size. Here every 4,096 chunks are
 * joined into one segment and only each chunk's offset is kept, so the chunks can still
 * be handed out one by one, exactly as they arrived, for a replay. Once the response is
 * complete, `seal()` keeps the whole text as one string and nothing else.
 */
const SEGMENT = 4096;
/** Offsets are kept as 32-bit integers: V8's longest string is under 2^30 characters. */
const MAX_OFFSET = 0xffffffff;

export class ChunkStore {
  private segments: string[] = [];
  private tail: string[] = [];
  /** offsets[i]: where chunk i starts in the whole text; offsets[count]: the total length. */
  private offsets = new Uint32Array(SEGMENT + 1);
  private count = 0;
  private whole: string | undefined;

  get length(): number {
    return this.count;
  }

  push(chunk: string): void {
    if (this.whole !== undefined) throw new Error('ChunkStore is sealed');
    if (this.count + 1 >= this.offsets.length) {
      const grown = new Uint32Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    const end = this.offsets[this.count]! + chunk.length;
    if (end > MAX_OFFSET) throw new RangeError('ChunkStore: the text is longer than a string can be');
    this.offsets[this.count + 1] = end;
    this.count++;
    this.tail.push(chunk);
    if (this.tail.length === SEGMENT) {
      this.segments.push(this.tail.join(''));
      this.tail = [];
    }
  }

  /** Chunk `index`, as it arrived. */
  at(index: number): string {
    if (this.whole !== undefined) return this.whole.slice(this.offsets[index]!, this.offsets[index + 1]!);
    const segment = Math.floor(index / SEGMENT);
    if (segment >= this.segments.length) return this.tail[index - segment * SEGMENT]!;
    const base = this.offsets[segment * SEGMENT]!;
    return this.segments[segment]!.slice(this.offsets[index]! - base, this.offsets[index + 1]! - base);
  }

  /** All the text so far, as one flat string (`a + b` would make a rope that V8 copies again to flatten). */
  text(): string {
    return this.whole ?? this.segments.concat(this.tail).join('');
  }

  /** The text of chunks [from, to). */
  textOf(from: number, to: number): string {
    if (from === 0 && to === this.count) return this.text();
    return this.text().slice(this.offsets[from]!, this.offsets[to]!);
  }

  /**
   * No more chunks: keep the text (`text`, if already joined) as one string; the segments
   * are let go, and the offsets (grown by doubling) trimmed to the chunks there are.
   */
  seal(text?: string): string {
    if (this.whole === undefined) {
      this.whole = text ?? this.text();
      this.segments = [];
      this.tail = [];
      this.offsets = this.offsets.slice(0, this.count + 1);
    }
    return this.whole;
  }
}
