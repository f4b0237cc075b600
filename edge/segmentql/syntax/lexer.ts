/**
 * SegmentQL tokenizer. Produces the whole token list up front; `--` line
 * comments and whitespace are dropped. Positions are 1-based lines and
 * columns counted in UTF-16 code units; `\n`, `\r\n` and `\r` end a line.
 */
/**
 * Token kinds. Keywords are `ident` tokens, recognised by the parser. An
 * `error` token ends the list where the text could not be tokenized; the
 * parser reports it with what it expected at that point.
 */
export type TokenKind = "ident" | "qident" | "string" | "number" | "op" | "punct" | "eof" | "error";

/** One token with its source position. */
export interface Token {
  kind: TokenKind;
  /** Identifier text, decoded string/backtick contents, operator or punctuation. */
  text: string;
  /** Numeric value of a `number` token. */
  num: number;
  line: number;
  column: number;
  /** For `error` tokens: what the lexer itself needed (e.g. a closing quote). */
  expected?: string[];
}

/** Internal: stops scanning at a lexical error. */
class LexStop {
  constructor(
    readonly message: string,
    readonly line: number,
    readonly column: number,
    readonly expected: string[] | undefined,
  ) {}
}

const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c) || c === 46;
const isSpace = (c: number): boolean =>
  c === 32 ||
  c === 9 ||
  c === 10 ||
  c === 13 ||
  c === 12 ||
  c === 11 ||
  c === 0xa0 ||
  c === 0xfeff ||
  c === 0x2028 ||
  c === 0x2029;

const ESCAPES: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", "0": "\0" };

/**
 * Splits SegmentQL text into tokens, ending with `eof`, or with an `error`
 * token at the first bad character, string or number. Never throws.
 */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = src.length;

  const fail = (msg: string, at: number, atLine: number, atLineStart: number, expected?: string[]): never => {
    throw new LexStop(msg, atLine, at - atLineStart + 1, expected);
  };
  const push = (kind: TokenKind, text: string, start: number, num = 0): void => {
    out.push({ kind, text, num, line, column: start - lineStart + 1 });
  };
  // Reads a quoted run starting at the opening quote; tracks newlines inside.
  const readQuoted = (quote: number, what: string): string => {
    const startLine = line;
    const startLineStart = lineStart;
    const start = i;
    i++;
    let text = "";
    let chunk = i;
    for (;;) {
      if (i >= n) return fail(`unterminated ${what}`, start, startLine, startLineStart, [String.fromCharCode(quote)]);
      const c = src.charCodeAt(i);
      if (c === quote) {
        text += src.slice(chunk, i);
        i++;
        return text;
      }
      if (c === 92) {
        // backslash
        text += src.slice(chunk, i);
        if (i + 1 >= n)
          return fail(`unterminated ${what}`, start, startLine, startLineStart, [String.fromCharCode(quote)]);
        const e = src[i + 1] as string;
        if (e === "u") {
          const hex = src.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("invalid \\u escape", i, line, lineStart, ["4 hex digits"]);
          text += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else {
          text += ESCAPES[e] ?? e;
          i += 2;
          if (e === "\n" || e === "\r") {
            if (e === "\r" && src.charCodeAt(i) === 10) {
              text += "\n";
              i++;
            }
            line++;
            lineStart = i;
          }
        }
        chunk = i;
        continue;
      }
      if (c === 10 || c === 13) {
        if (c === 13 && src.charCodeAt(i + 1) === 10) i++;
        i++;
        line++;
        lineStart = i;
        continue;
      }
      i++;
    }
  };

  const scan = (): void => {
    while (i < n) {
      const c = src.charCodeAt(i);
      if (isSpace(c)) {
        if (c === 10 || c === 13) {
          if (c === 13 && src.charCodeAt(i + 1) === 10) i++;
          line++;
          lineStart = i + 1;
        }
        i++;
        continue;
      }
      const start = i;
      // -- comment to end of line
      if (c === 45 && src.charCodeAt(i + 1) === 45) {
        while (i < n) {
          const d = src.charCodeAt(i);
          if (d === 10 || d === 13) break;
          i++;
        }
        continue;
      }
      if (isIdentStart(c) || c === 96) {
        // A name: bare segments and `backtick quoted` segments joined by dots.
        const startLine = line;
        const startLineStart = lineStart;
        let text = "";
        let quoted = false;
        for (;;) {
          if (src.charCodeAt(i) === 96) {
            const segStart = i;
            const seg = readQuoted(96, "quoted identifier");
            if (seg.length === 0) fail("empty quoted identifier", segStart, line, lineStart);
            text += seg;
            quoted = true;
            if (src.charCodeAt(i) !== 46) break;
            text += ".";
            i++;
          } else {
            const segStart = i;
            while (i < n && isIdentPart(src.charCodeAt(i))) i++;
            if (i === segStart) fail('missing name after "."', i, line, lineStart);
            text += src.slice(segStart, i);
            if (src.charCodeAt(i) !== 96 || src.charCodeAt(i - 1) !== 46) break;
          }
        }
        out.push({
          kind: quoted ? "qident" : "ident",
          text,
          num: 0,
          line: startLine,
          column: start - startLineStart + 1,
        });
        continue;
      }
      if (
        isDigit(c) ||
        ((c === 45 || c === 46) &&
          (isDigit(src.charCodeAt(i + 1)) ||
            (c === 45 && src.charCodeAt(i + 1) === 46 && isDigit(src.charCodeAt(i + 2)))))
      ) {
        if (c === 45) i++;
        while (i < n && isDigit(src.charCodeAt(i))) i++;
        if (src.charCodeAt(i) === 46 && isDigit(src.charCodeAt(i + 1))) {
          i++;
          while (i < n && isDigit(src.charCodeAt(i))) i++;
        }
        const e = src.charCodeAt(i);
        if (e === 101 || e === 69) {
          let j = i + 1;
          const sign = src.charCodeAt(j);
          if (sign === 43 || sign === 45) j++;
          if (isDigit(src.charCodeAt(j))) {
            while (j < n && isDigit(src.charCodeAt(j))) j++;
            i = j;
          }
        }
        if (i < n && (isIdentPart(src.charCodeAt(i)) || src.charCodeAt(i) === 96)) {
          while (i < n && isIdentPart(src.charCodeAt(i))) i++;
          fail(`invalid number "${src.slice(start, i)}"`, start, line, lineStart);
        }
        const text = src.slice(start, i);
        const num = Number(text);
        if (!Number.isFinite(num)) fail(`number out of range "${text}"`, start, line, lineStart);
        push("number", text, start, num === 0 ? 0 : num);
        continue;
      }
      if (c === 34 || c === 39) {
        const startLine = line;
        const startLineStart = lineStart;
        const text = readQuoted(c, "string");
        out.push({ kind: "string", text, num: 0, line: startLine, column: start - startLineStart + 1 });
        continue;
      }
      const two = src.slice(i, i + 2);
      if (two === ">=" || two === "<=" || two === "!=" || two === "==" || two === "<>") {
        i += 2;
        push("op", two === "==" ? "=" : two === "<>" ? "!=" : two, start);
        continue;
      }
      if (c === 61 || c === 62 || c === 60 || c === 33) {
        i++;
        push("op", src[start] as string, start);
        continue;
      }
      if (c === 40 || c === 41 || c === 44 || c === 59) {
        i++;
        push("punct", src[start] as string, start);
        continue;
      }
      const cp = src.codePointAt(i) as number;
      fail(`unexpected character ${JSON.stringify(String.fromCodePoint(cp))}`, start, line, lineStart);
    }
  };

  try {
    scan();
  } catch (e) {
    if (!(e instanceof LexStop)) throw e;
    const t: Token = { kind: "error", text: e.message, num: 0, line: e.line, column: e.column };
    if (e.expected !== undefined) t.expected = e.expected;
    out.push(t);
    return out;
  }
  out.push({ kind: "eof", text: "", num: 0, line, column: i - lineStart + 1 });
  return out;
}
