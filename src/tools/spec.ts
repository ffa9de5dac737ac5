// The tool specs `-T` and `llm tools` take, as Python's `instantiate_from_spec` reads them:
//   Name   Name()   Name({"k": 1})   Name("one value")   Name(key="v", n=5, items=[1,2])
// Every value is JSON. Read by a small parser; nothing is ever evaluated.
import { UsageError } from '../errors.js';

export interface ToolSpec {
  name: string;
  /** True when the spec has parentheses (`Name()`), even empty ones. */
  called: boolean;
  /** `Name("v")`, `Name([1, 2])`: the one positional value. */
  positional?: unknown;
  /** `Name({"k": 1})`, `Name(k=1)`: the keyword arguments. */
  keywords: Record<string, unknown>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function specError(spec: string, problem: string): UsageError {
  return new UsageError(`Invalid tool spec '${spec}': ${problem}`);
}

/** Parses one spec; a bad one is a UsageError saying what is wrong. */
export function parseToolSpec(spec: string): ToolSpec {
  const text = spec.trim();
  const open = text.indexOf('(');
  const name = (open === -1 ? text : text.slice(0, open)).trim();
  if (!NAME.test(name)) {
    throw specError(spec, name ? `'${name}' is not a name (letters, digits and _, not starting with a digit)` : 'no tool name');
  }
  if (open === -1) return { name, called: false, keywords: {} };
  if (!text.endsWith(')')) throw specError(spec, "missing ')' at the end");
  const body = text.slice(open + 1, -1).trim();
  if (!body) return { name, called: true, keywords: {} };
  const parser = new ValueParser(spec, body);
  if (/^(["[{\d-]|true\b|false\b|null\b)/.test(body)) {
    const value = parser.value();
    parser.end();
    if (body.startsWith('{')) return { name, called: true, keywords: value as Record<string, unknown> };
    return { name, called: true, positional: value, keywords: {} };
  }
  return { name, called: true, keywords: parser.keywords() };
}

/** A JSON reader over the argument text that knows where each value ends. */
class ValueParser {
  private at = 0;
  constructor(
    private readonly spec: string,
    private readonly text: string,
  ) {}

  /** `key=value, key=value`: a trailing comma is allowed, a repeated key is not. */
  keywords(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      this.space();
      if (this.at >= this.text.length) return out;
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.at));
      if (!match) throw this.error(`expected key=value at '${this.rest()}'`);
      const key = match[0];
      this.at += key.length;
      this.space();
      if (this.text[this.at] !== '=') throw this.error(`expected '=' after '${key}'`);
      this.at++;
      this.space();
      if (this.at >= this.text.length) throw this.error(`no value for '${key}'`);
      if (Object.hasOwn(out, key)) throw this.error(`'${key}' is given twice`);
      out[key] = this.value(key);
      this.space();
      if (this.at >= this.text.length) return out;
      if (this.text[this.at] !== ',') throw this.error(`expected ',' after the value of '${key}' at '${this.rest()}'`);
      this.at++;
    }
  }

  /** One JSON value at the current position. */
  value(key?: string): unknown {
    const start = this.at;
    this.skipValue(key);
    const raw = this.text.slice(start, this.at);
    try {
      return JSON.parse(raw);
    } catch {
      throw this.error(`${key ? `the value of '${key}'` : 'the argument'} is not valid JSON: ${raw}`);
    }
  }

  end(): void {
    this.space();
    if (this.at < this.text.length) {
      throw this.error(`unexpected '${this.rest()}' after the argument (use {"key": value} or key=value for several)`);
    }
  }

  /** Moves past one value: a string, a bracketed object or array, or a bare scalar. */
  private skipValue(key?: string): void {
    const first = this.text[this.at];
    if (first === '"') return this.skipString();
    if (first === '{' || first === '[') {
      const closers: string[] = [];
      while (this.at < this.text.length) {
        const ch = this.text[this.at]!;
        if (ch === '"') {
          this.skipString();
          continue;
        }
        if (ch === '{') closers.push('}');
        else if (ch === '[') closers.push(']');
        else if (ch === '}' || ch === ']') {
          if (closers.pop() !== ch) throw this.error(`unbalanced '${ch}'`);
          if (!closers.length) {
            this.at++;
            return;
          }
        }
        this.at++;
      }
      throw this.error(`'${first}' is never closed`);
    }
    if (first === "'") throw this.error(`${key ? `the value of '${key}'` : 'the argument'} uses single quotes: JSON strings take double quotes`);
    const match = /^[^,\s]+/.exec(this.text.slice(this.at));
    if (!match) throw this.error(`expected a value at '${this.rest()}'`);
    this.at += match[0].length;
  }

  private skipString(): void {
    this.at++;
    while (this.at < this.text.length) {
      const ch = this.text[this.at]!;
      if (ch === '\\') this.at += 2;
      else if (ch === '"') {
        this.at++;
        return;
      } else this.at++;
    }
    throw this.error('a string is never closed');
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  private rest(): string {
    const rest = this.text.slice(this.at);
    return rest.length > 30 ? `${rest.slice(0, 30)}...` : rest;
  }

  private error(problem: string): UsageError {
    return specError(this.spec, problem);
  }
}
