// A small terminal emulator for tests: what a screen shows after some output. It knows
// what MarkdownStream writes: text, \n, \r, cursor up and down (CSI n A/B), erase the
// line (CSI 2 K) or below (CSI J),
// colours and OSC 8 links (ignored), wrapping with a pending wrap at the last column.
import { charWidth } from '../../src/cli/render/width.js';

export class VirtualTerminal {
  lines: string[][] = [[]];
  row = 0;
  col = 0;
  private pendingWrap = false;

  constructor(public columns: number) {}

  write(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === '\x1b') {
        const csi = /^\x1b\[([0-9;?]*)([ -/]*[@-~])/.exec(text.slice(i));
        if (csi) {
          const n = Number(csi[1]) || 1;
          if (csi[2] === 'A') this.row = Math.max(0, this.row - n);
          if (csi[2] === 'B') {
            this.row += n;
            while (this.lines.length <= this.row) this.lines.push([]);
          }
          if (csi[2] === 'K' && csi[1] === '2') this.lines[this.row] = [];
          if (csi[2] === 'J') {
            this.lines[this.row]!.length = Math.min(this.lines[this.row]!.length, this.col);
            this.lines.length = this.row + 1;
          }
          if (csi[2] !== 'm') this.pendingWrap = false;
          i += csi[0].length - 1;
          continue;
        }
        const osc = /^\x1b\][^\x07\x1b]*(\x07|\x1b\\)/.exec(text.slice(i));
        if (osc) {
          i += osc[0].length - 1;
          continue;
        }
      }
      if (ch === '\n') {
        this.newRow();
        this.col = 0;
        continue;
      }
      if (ch === '\r') {
        this.col = 0;
        this.pendingWrap = false;
        continue;
      }
      const point = text.codePointAt(i)!;
      const char = String.fromCodePoint(point);
      if (point > 0xffff) i++;
      const width = charWidth(point);
      if (width === 0) continue;
      if (this.pendingWrap || this.col + width > this.columns) {
        this.newRow();
        this.col = 0;
      }
      const line = this.lines[this.row]!;
      while (line.length < this.col) line.push(' ');
      line[this.col] = char;
      if (width === 2) line[this.col + 1] = '';
      this.col += width;
      this.pendingWrap = this.col >= this.columns;
      if (this.pendingWrap) this.col = this.columns;
    }
    return true;
  }

  private newRow(): void {
    this.pendingWrap = false;
    this.row++;
    while (this.lines.length <= this.row) this.lines.push([]);
  }

  /** The screen as text, lines without trailing spaces, no empty lines at the end. */
  text(): string {
    return this.lines.map((line) => line.join('').replace(/ +$/, '')).join('\n').replace(/\n+$/, '');
  }
}
