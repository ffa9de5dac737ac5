/**
 * JSON written the way Python writes it, so logs.db rows read the same whichever tool
 * wrote them, and the canonical form the message hashes are taken over.
 */

const NON_ASCII = /[\u0080-\uffff]/g;

function escapeNonAscii(text: string): string {
  return text.replace(NON_ASCII, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Python's `json.dumps(value)`: `", "` and `": "` separators, insertion order, ASCII only. */
export function pythonDumps(value: unknown, indent?: number): string {
  return escapeNonAscii(serialize(value, { sortKeys: false, itemSep: ', ', keySep: ': ', indent }));
}

/** `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`. */
export function canonicalJson(value: unknown): string {
  return serialize(value, { sortKeys: true, itemSep: ',', keySep: ':' });
}

/** Strings longer than this are escaped a slice at a time by `canonicalJsonPieces`. */
const SLICE = 1 << 16;

/**
 * The same text as `canonicalJson(value)`, handed to `emit` in pieces, so that hashing a
 * message with a very long text never builds the whole JSON (or its bytes) in memory.
 */
export function canonicalJsonPieces(value: unknown, emit: (piece: string) => void): void {
  if (typeof value === 'string') {
    if (value.length <= SLICE) {
      emit(JSON.stringify(value));
      return;
    }
    emit('"');
    for (let start = 0; start < value.length; ) {
      let end = Math.min(start + SLICE, value.length);
      // Never split a surrogate pair: JSON.stringify would escape each half on its own.
      const last = value.charCodeAt(end - 1);
      if (end < value.length && last >= 0xd800 && last <= 0xdbff) end--;
      emit(JSON.stringify(value.slice(start, end)).slice(1, -1));
      start = end;
    }
    emit('"');
    return;
  }
  if (Array.isArray(value)) {
    emit('[');
    value.forEach((item, i) => {
      if (i) emit(',');
      canonicalJsonPieces(item, emit);
    });
    emit(']');
    return;
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort(compareCodePoints);
    emit('{');
    keys.forEach((key, i) => {
      emit((i ? ',' : '') + JSON.stringify(key) + ':');
      canonicalJsonPieces(record[key], emit);
    });
    emit('}');
    return;
  }
  emit(canonicalJson(value));
}

interface Style {
  sortKeys: boolean;
  itemSep: string;
  keySep: string;
  indent?: number;
}

function serialize(value: unknown, style: Style, depth = 0): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  const pad = style.indent === undefined ? '' : '\n' + ' '.repeat(style.indent * (depth + 1));
  const end = style.indent === undefined ? '' : '\n' + ' '.repeat(style.indent * depth);
  const sep = style.indent === undefined ? style.itemSep : ',';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return '[' + pad + value.map((v) => serialize(v, style, depth + 1)).join(sep + pad) + end + ']';
  }
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  const record = value as Record<string, unknown>;
  let keys = Object.keys(record).filter((k) => record[k] !== undefined);
  if (style.sortKeys) keys = keys.sort(compareCodePoints);
  if (keys.length === 0) return '{}';
  return (
    '{' +
    pad +
    keys.map((k) => JSON.stringify(k) + style.keySep + serialize(record[k], style, depth + 1)).join(sep + pad) +
    end +
    '}'
  );
}

/** Python sorts str keys by code point; JS's default sort compares UTF-16 units. */
function compareCodePoints(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i]!.codePointAt(0)!;
    const y = cb[i]!.codePointAt(0)!;
    if (x !== y) return x - y;
  }
  return ca.length - cb.length;
}

// -- condense-json: long strings replaced by references to content stored elsewhere --

const MARKER_KEYS = new Set(['$', '$r', '$raw']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Replaces substrings found in `replacements` (id → text) with `{"$": id}` markers. */
export function condenseJson(value: unknown, replacements: Record<string, unknown>): unknown {
  const byText = new Map<string, string>();
  for (const [id, text] of Object.entries(replacements)) {
    if (typeof text === 'string' && text !== '' && !byText.has(text)) byText.set(text, id);
  }
  // Longest first: at the same position the longest text wins, as a regex alternation
  // ordered this way would choose. Found with indexOf, not a regex built from the texts
  // (they may be megabytes long).
  const texts = [...byText.keys()].sort((a, b) => b.length - a.length);
  const condenseString = (v: string): unknown => {
    const exact = byText.get(v);
    if (exact !== undefined) return { $: exact };
    const segments: unknown[] = [];
    let last = 0;
    for (;;) {
      let at = -1;
      let found = '';
      for (const text of texts) {
        if (text.length > v.length - last) continue;
        const index = v.indexOf(text, last);
        if (index !== -1 && (at === -1 || index < at)) {
          at = index;
          found = text;
        }
      }
      if (at === -1) break;
      if (at > last) segments.push(v.slice(last, at));
      segments.push({ $: byText.get(found)! });
      last = at + found.length;
    }
    if (!segments.length) return v;
    if (last < v.length) segments.push(v.slice(last));
    return { $r: segments };
  };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[k] = walk(inner);
      const keys = Object.keys(v);
      if (keys.length === 1 && MARKER_KEYS.has(keys[0]!)) return { $raw: out };
      return out;
    }
    if (typeof v === 'string' && texts.length) return condenseString(v);
    return v;
  };
  return walk(value);
}

/** Reverses `condenseJson`. Throws if a marker names an unknown replacement. */
export function uncondenseJson(value: unknown, replacements: Record<string, unknown>): unknown {
  const lookup = (id: unknown): unknown => {
    if (typeof id !== 'string' || !(id in replacements) || !replacements[id]) throw new Error(`Unknown replacement id: ${String(id)}`);
    return replacements[id];
  };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$raw') {
        const raw = v.$raw;
        if (isPlainObject(raw)) return Object.fromEntries(Object.entries(raw).map(([k, x]) => [k, walk(x)]));
        return walk(raw);
      }
      if (keys.length === 1 && keys[0] === '$') return lookup(v.$);
      if (keys.length === 1 && keys[0] === '$r') {
        if (!Array.isArray(v.$r)) throw new Error('"$r" value must be a list');
        return v.$r
          .map((seg) => {
            if (typeof seg === 'string') return seg;
            if (isPlainObject(seg) && Object.keys(seg).length === 1 && '$' in seg) return String(lookup(seg.$));
            throw new Error('Invalid "$r" segment');
          })
          .join('');
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value);
}
