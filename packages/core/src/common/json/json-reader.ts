import { EngineInputError } from '../errors/broom-error.js';
import { PyFloat, type Value } from '../values.js';

/**
 * A JSON reader that keeps what W&B's Python engine distinguishes: a number written `1.0` or `3e6`
 * is a float (boxed as PyFloat when whole), `1` an int; and the tokens `NaN`, `Infinity`,
 * `-Infinity` that Python's `json` module writes are accepted.
 */
export function parseJson(text: string, source = 'input'): Value {
  const reader = new JsonReader(text, source);
  reader.skipSpace();
  const value = reader.value(0);
  reader.skipSpace();
  if (!reader.atEnd()) reader.fail('unexpected text after the JSON value');
  return value;
}

const MAX_DEPTH = 512;

class JsonReader {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly source: string,
  ) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(what: string): never {
    const before = this.text.slice(0, this.pos);
    const line = before.split('\n').length;
    const column = this.pos - before.lastIndexOf('\n');
    throw new EngineInputError('json-syntax', `${this.source}:${line}:${column}: invalid JSON: ${what}`, {
      line,
      column,
    });
  }

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  value(depth: number): Value {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.word('true', true);
      case 'f':
        return this.word('false', false);
      case 'n':
        return this.word('null', null);
      case 'N':
        return this.word('NaN', Number.NaN);
      case 'I':
        return this.word('Infinity', Number.POSITIVE_INFINITY);
      case undefined:
        return this.fail('unexpected end of input');
      default:
        if (c === '-' && this.text.startsWith('-Infinity', this.pos)) {
          this.pos += 9;
          return Number.NEGATIVE_INFINITY;
        }
        if (c === '-' || (c >= '0' && c <= '9')) return this.number();
        return this.fail(`unexpected character ${JSON.stringify(c)}`);
    }
  }

  private word<T extends Value>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`unexpected token, expected ${word}`);
    this.pos += word.length;
    return value;
  }

  private number(): number | PyFloat {
    const match = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    match.lastIndex = this.pos;
    const m = match.exec(this.text);
    if (!m) return this.fail('malformed number');
    this.pos = match.lastIndex;
    const x = Number(m[0]);
    const isFloat = m[1] !== undefined || m[2] !== undefined;
    return isFloat && Number.isInteger(x) ? new PyFloat(x) : x;
  }

  private string(): string {
    const t = this.text;
    let out = '';
    let start = ++this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string');
      const ch = t.charCodeAt(this.pos);
      if (ch === 0x22) {
        out += t.slice(start, this.pos++);
        return out;
      }
      if (ch < 0x20) this.fail('control character in string');
      if (ch === 0x5c) {
        out += t.slice(start, this.pos);
        const esc = t[this.pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (esc !== undefined && esc in simple) {
          out += simple[esc];
          this.pos += 2;
        } else if (esc === 'u') {
          const hex = t.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 6;
        } else this.fail('bad escape in string');
        start = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  private array(depth: number): Value[] {
    this.pos++;
    const out: Value[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      out.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') {
        this.pos--;
        this.fail('expected , or ] in array');
      }
    }
  }

  private object(depth: number): { [k: string]: Value } {
    this.pos++;
    const out: { [k: string]: Value } = {};
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('expected a string key');
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail('expected : after key');
      this.pos++;
      this.skipSpace();
      // defineProperty keeps a "__proto__" key as data instead of changing the prototype.
      Object.defineProperty(out, key, { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') {
        this.pos--;
        this.fail('expected , or } in object');
      }
    }
  }
}
