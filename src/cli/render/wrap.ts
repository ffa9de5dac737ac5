// Styled text laid out in lines no wider than the terminal: words wrap at spaces, East
// Asian text between any two wide characters, and a word longer than a line is cut.
import { charWidth, stringWidth } from './width.js';

/** A run of text and the escape sequences that open and close its style (or link). */
export interface Segment {
  text: string;
  open: string;
  close: string;
}

const HAS_WIDE = /[^\x00-\u10ff]/;
const WIDE_OR_RUN = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\ud840-\ud87f][\udc00-\udfff]|[^\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\ud840-\ud87f]+|[\s\S]/g;

/** Lays `segments` out in lines of at most `width` columns ('\n' in a segment breaks the line). */
export function wrap(segments: readonly Segment[], width: number): string[] {
  const layout = new LineLayout(width);
  for (const segment of segments) {
    // The text's parts: line breaks, runs of spaces, and words between them.
    const text = segment.text;
    for (let i = 0; i < text.length; ) {
      const code = text.charCodeAt(i);
      let end = i + 1;
      if (code === 0x0a) {
        layout.newline();
      } else if (code === 0x20) {
        while (text.charCodeAt(end) === 0x20) end++;
        layout.space(segment, text.slice(i, end));
      } else {
        while (end < text.length && text.charCodeAt(end) !== 0x20 && text.charCodeAt(end) !== 0x0a) end++;
        const part = text.slice(i, end);
        if (HAS_WIDE.test(part)) {
          // East Asian text may break between any two wide characters.
          for (const [piece] of part.matchAll(WIDE_OR_RUN)) layout.word(segment, piece);
        } else layout.word(segment, part);
      }
      i = end;
    }
  }
  return layout.finish();
}

/**
 * The lines being laid out. Text of one style is gathered in a run, written with its
 * escape sequences once the style changes or the line ends. (A class rather than closures
 * made for every call: this is the hottest code of rendering.)
 */
class LineLayout {
  private readonly lines: string[] = [];
  private line = '';
  private lineWidth = 0;
  private runOpen = '';
  private runClose = '';
  private runText = '';
  /** The spaces before the next word, and the segment they belong to (dropped at a line's end). */
  private spaceSegment: Segment | undefined;
  private spaceText = '';

  constructor(private readonly width: number) {}

  space(segment: Segment, text: string): void {
    if (this.lineWidth === 0) return;
    this.spaceSegment = segment;
    this.spaceText = text;
  }

  word(segment: Segment, text: string): void {
    const width = this.width;
    let w = stringWidth(text);
    const gap = this.spaceSegment ? this.spaceText.length : 0;
    if (this.lineWidth > 0 && this.lineWidth + gap + w > width) this.newline();
    else if (this.spaceSegment && this.lineWidth > 0) this.put(this.spaceSegment, this.spaceText, gap);
    this.spaceSegment = undefined;
    this.spaceText = '';
    // A word wider than a whole line is cut where the line ends.
    while (w > width - this.lineWidth && w > 0) {
      let cut = 0;
      let cutWidth = 0;
      for (const char of text) {
        const cw = charWidth(char.codePointAt(0)!);
        if (this.lineWidth + cutWidth + cw > width) break;
        cut += char.length;
        cutWidth += cw;
      }
      if (cut === 0 && this.lineWidth === 0) {
        // Not even one character fits (a wide character in one column): put it anyway.
        cut = text.codePointAt(0)! > 0xffff ? 2 : 1;
        cutWidth = stringWidth(text.slice(0, cut));
      }
      if (cut > 0) this.put(segment, text.slice(0, cut), cutWidth);
      text = text.slice(cut);
      w -= cutWidth;
      if (text) this.newline();
    }
    if (text) this.put(segment, text, w);
  }

  newline(): void {
    this.flushRun();
    this.lines.push(this.line);
    this.line = '';
    this.lineWidth = 0;
    this.spaceSegment = undefined;
    this.spaceText = '';
  }

  finish(): string[] {
    this.flushRun();
    if (this.line || this.lines.length === 0) this.lines.push(this.line);
    return this.lines;
  }

  private put(segment: Segment, text: string, w: number): void {
    if (segment.open !== this.runOpen || segment.close !== this.runClose) {
      this.flushRun();
      this.runOpen = segment.open;
      this.runClose = segment.close;
    }
    this.runText += text;
    this.lineWidth += w;
  }

  private flushRun(): void {
    if (this.runText) this.line += this.runOpen + this.runText + this.runClose;
    this.runText = '';
  }
}

/** Pads `text` (styled) with spaces to `width` columns, aligned left, right or centre. */
export function pad(text: string, width: number, align: 'left' | 'right' | 'center' | null = 'left'): string {
  const gap = Math.max(0, width - stringWidth(text));
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') return ' '.repeat(gap >> 1) + text + ' '.repeat(gap - (gap >> 1));
  return text + ' '.repeat(gap);
}
