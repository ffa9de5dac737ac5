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
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  let runOpen = '';
  let runClose = '';
  let runText = '';
  let space: Segment | undefined;
  let spaceText = '';

  const flushRun = () => {
    if (runText) line += runOpen + runText + runClose;
    runText = '';
  };
  const put = (segment: Segment, text: string, w: number) => {
    if (segment.open !== runOpen || segment.close !== runClose) {
      flushRun();
      runOpen = segment.open;
      runClose = segment.close;
    }
    runText += text;
    lineWidth += w;
  };
  const newline = () => {
    flushRun();
    lines.push(line);
    line = '';
    lineWidth = 0;
    space = undefined;
    spaceText = '';
  };
  const word = (segment: Segment, text: string) => {
    let w = stringWidth(text);
    const gap = space ? spaceText.length : 0;
    if (lineWidth > 0 && lineWidth + gap + w > width) newline();
    else if (space && lineWidth > 0) put(space, spaceText, gap);
    space = undefined;
    spaceText = '';
    // A word wider than a whole line is cut where the line ends.
    while (w > width - lineWidth && w > 0) {
      let cut = 0;
      let cutWidth = 0;
      for (const char of text) {
        const cw = charWidth(char.codePointAt(0)!);
        if (lineWidth + cutWidth + cw > width) break;
        cut += char.length;
        cutWidth += cw;
      }
      if (cut === 0 && lineWidth === 0) {
        // Not even one character fits (a wide character in one column): put it anyway.
        cut = text.codePointAt(0)! > 0xffff ? 2 : 1;
        cutWidth = stringWidth(text.slice(0, cut));
      }
      if (cut > 0) put(segment, text.slice(0, cut), cutWidth);
      text = text.slice(cut);
      w -= cutWidth;
      if (text) newline();
    }
    if (text) put(segment, text, w);
  };

  for (const segment of segments) {
    // The text's parts: line breaks, runs of spaces, and words between them.
    const text = segment.text;
    for (let i = 0; i < text.length; ) {
      const code = text.charCodeAt(i);
      let end = i + 1;
      if (code === 0x0a) {
        newline();
      } else if (code === 0x20) {
        while (text.charCodeAt(end) === 0x20) end++;
        if (lineWidth > 0) {
          space = segment;
          spaceText = text.slice(i, end);
        }
      } else {
        while (end < text.length && text.charCodeAt(end) !== 0x20 && text.charCodeAt(end) !== 0x0a) end++;
        const part = text.slice(i, end);
        if (HAS_WIDE.test(part)) {
          // East Asian text may break between any two wide characters.
          for (const [piece] of part.matchAll(WIDE_OR_RUN)) word(segment, piece);
        } else word(segment, part);
      }
      i = end;
    }
  }
  flushRun();
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** Pads `text` (styled) with spaces to `width` columns, aligned left, right or centre. */
export function pad(text: string, width: number, align: 'left' | 'right' | 'center' | null = 'left'): string {
  const gap = Math.max(0, width - stringWidth(text));
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') return ' '.repeat(gap >> 1) + text + ' '.repeat(gap - (gap >> 1));
  return text + ' '.repeat(gap);
}
