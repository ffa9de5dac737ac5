/**
 * The text chunks of a response, kept compactly. A long answer can be a million chunks;
 * as separate strings they take about twice the text's size. Here every 4,096 chunks are
 * joined into one segment and only each chunk's offset is kept, so the chunks can still
 * be handed out one by one, exactly as they arrived, for a replay. Once the response is
 * complete, `seal()` keeps the whole text as one string and nothing else.
 */
const SEGMENT = 4096;

export class ChunkStore {
  private segments: string[] = [];
  private tail: string[] = [];
  /** offsets[i]: where chunk i starts in the whole text; offsets[count]: the total length. */
  private offsets = new Float64Array(SEGMENT + 1);
  private count = 0;
  private whole: string | undefined;

  get length(): number {
    return this.count;
  }

  push(chunk: string): void {
    if (this.whole !== undefined) throw new Error('ChunkStore is sealed');
    if (this.count + 1 >= this.offsets.length) {
      const grown = new Float64Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[this.count + 1] = this.offsets[this.count]! + chunk.length;
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

  /** All the text so far. */
  text(): string {
    return this.whole ?? this.segments.join('') + this.tail.join('');
  }

  /** The text of chunks [from, to). */
  textOf(from: number, to: number): string {
    if (from === 0 && to === this.count) return this.text();
    return this.text().slice(this.offsets[from]!, this.offsets[to]!);
  }

  /** No more chunks: keep the text (`text`, if already joined) as one string; the segments are let go. */
  seal(text?: string): string {
    if (this.whole === undefined) {
      this.whole = text ?? this.text();
      this.segments = [];
      this.tail = [];
    }
    return this.whole;
  }
}
