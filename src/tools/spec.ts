// The tool specs `-T` and `llm tools` take, as Python's `instantiate_from_spec` reads them:
//   Name   Name()   Name({"k": 1})   Name("one value")   Name(key="v", n=5, items=[1,2])
// Every value is JSON. Read by a small parser; nothing is ever evaluated.
import { UsageError } from '../errors.js';

export interface ToolSpec {
  name: string;
  /** True when the spec has parentheses (`Name()`), even empty ones. */
  called: boolean;
  /** `Name("v")`, `Name([1, 2])`, `Name("v", prefix="x")`: values for the parameters in order. */
  positional: unknown[];
  /** `Name({"k": 1})`, `Name(k=1)`: the keyword arguments. */
  keywords: Record<string, unknown>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function specError(spec: string, problem: string): UsageError {
  return new UsageError(`Invalid tool spec '${spec}': ${problem}`);
}

/**
 * Parses one spec; a bad one is a UsageError saying what is wrong. Beyond Python's forms,
 * positional values may come before keywords, as in a call: `MCP("https://...", prefix="gh_")`.
 */
export function parseToolSpec(spec: string): ToolSpec {
  const text = spec.trim();
  const open = text.indexOf('(');
  const name = (open === -1 ? text : text.slice(0, open)).trim();
  if (!NAME.test(name)) {
    throw specError(spec, name ? `'${name}' is not a name (letters, digits and _, not starting with a digit)` : 'no tool name');
  }
  if (open === -1) return { name, called: false, positional: [], keywords: {} };
  if (!text.endsWith(')')) throw specError(spec, "missing ')' at the end");
  const body = text.slice(open + 1, -1).trim();
  const { positional, keywords } = new ValueParser(spec, body).arguments();
  // Python's form: one JSON object is the keyword arguments.
  if (positional.length === 1 && !Object.keys(keywords).length && body.startsWith('{')) {
    return { name, called: true, positional: [], keywords: positional[0] as Record<string, unknown> };
  }
  return { name, called: true, positional, keywords };
}

/** A JSON reader over the argument text that knows where each value ends. */
class ValueParser {
  private at = 0;
  constructor(
    private readonly spec: string,
    private readonly text: string,
  ) {}

  /** `value, ..., key=value, ...`: a trailing comma is allowed, a repeated key is not. */
  arguments(): { positional: unknown[]; keywords: Record<string, unknown> } {
    const positional: unknown[] = [];
    const keywords: Record<string, unknown> = {};
    for (;;) {
      this.space();
      if (this.at >= this.text.length) return { positional, keywords };
      const keyword = /^([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(this.text.slice(this.at));
      if (keyword && !/^(true|false|null)$/.test(keyword[1]!)) {
        const key = keyword[1]!;
        this.at += keyword[0].length;
        this.space();
        if (this.at >= this.text.length || this.text[this.at] === ',') throw this.error(`no value for '${key}'`);
        if (Object.hasOwn(keywords, key)) throw this.error(`'${key}' is given twice`);
        keywords[key] = this.value(key);
      } else if (/^[A-Za-z_]/.test(this.text.slice(this.at)) && !/^(true|false|null)\b/.test(this.text.slice(this.at))) {
        const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.at))![0];
        throw this.error(`expected '=' after '${word}' (values are JSON: strings take double quotes)`);
      } else {
        if (Object.keys(keywords).length) throw this.error(`a value without a name after key=value arguments, at '${this.rest()}'`);
        positional.push(this.value());
      }
      this.space();
      if (this.at >= this.text.length) return { positional, keywords };
      if (this.text[this.at] !== ',') throw this.error(`expected ',' at '${this.rest()}'`);
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
