/**
 * SegmentQL text -> ParsedSegment (recursive descent over the token list).
 *
 * ```
 * statement  := FILTER expr clause* [";"] EOF
 * clause     := FROM name | ALIAS name                 (each at most once, any order)
 * expr       := NOT expr | "!" expr | primary
 * primary    := (AND | OR) "(" list ")"
 *             | "(" list ")"                           (one item: itself; several: AND)
 *             | EXISTS field | INCLUDE name
 *             | field [NOT] (IN | INTERSECTS) "(" [value ("," value)*] ")"
 *             | field [NOT] (LIKE | CONTAINS) value
 *             | field [NOT] BETWEEN value AND value
 *             | field ("=" | "==" | "!=" | "<>" | ">" | ">=" | "<" | "<=") value
 * list       := expr ([","] expr)* [","]               (commas between items are optional)
 * value      := string | number | TRUE | FALSE | NULL
 * field      := ident | `backtick quoted`
 * name       := ident | `backtick quoted` | string
 * ```
 *
 * Keywords are case-insensitive and reserved: a field named like one must
 * be written in backticks.
 */
import type { AstLiteral, CompareOp, IdentNode, SegmentAst, ValueNode } from "./ast";
import { SegmentQLError } from "../errors";
import { tokenize, type Token } from "./lexer";

/** A parsed `FILTER ... FROM table ALIAS slug` statement. */
export interface ParsedSegment {
  /** The table after FROM; `user` when FROM is omitted. */
  table: string;
  /** The slug after ALIAS, when given. */
  alias?: string;
  /** The filter expression. */
  ast: SegmentAst;
}

/** Reserved words (compared upper-cased). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  "FILTER",
  "FROM",
  "ALIAS",
  "AND",
  "OR",
  "NOT",
  "IN",
  "LIKE",
  "CONTAINS",
  "INTERSECTS",
  "BETWEEN",
  "EXISTS",
  "INCLUDE",
  "TRUE",
  "FALSE",
  "NULL",
]);

/** Deepest nesting of groups and NOTs accepted (keeps recursion bounded). */
export const MAX_DEPTH = 100;

const EXPR_START = ["NOT", "AND", "OR", "(", "EXISTS", "INCLUDE", "field name"];
const VALUE = ["string", "number", "TRUE", "FALSE", "NULL"];
const PREDICATE_OPS = ["=", "!=", ">", ">=", "<", "<=", "IN", "NOT", "LIKE", "CONTAINS", "BETWEEN", "INTERSECTS"];

function describe(t: Token): string {
  switch (t.kind) {
    case "eof":
      return "end of input";
    case "string":
      return `string ${JSON.stringify(t.text.length > 30 ? t.text.slice(0, 30) + "…" : t.text)}`;
    case "number":
      return `number ${t.text}`;
    case "qident":
      return `\`${t.text.length > 30 ? t.text.slice(0, 30) + "…" : t.text}\``;
    default:
      return `"${t.text}"`;
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.pos] as Token;
  }
  private next(): Token {
    const t = this.toks[this.pos] as Token;
    if (t.kind !== "eof" && t.kind !== "error") this.pos++;
    return t;
  }
  private fail(t: Token, expected: string[], what?: string): never {
    const list = expected.map((e) => (/^[a-z]/.test(e) ? e : `"${e}"`));
    const exp = list.length <= 1 ? list.join("") : `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}`;
    if (t.kind === "error") {
      // A lexical error: report it where it is, with what the grammar wanted there.
      const want = t.expected ?? expected;
      throw new SegmentQLError(
        t.expected || expected.length === 0 ? t.text : `${t.text}; expected ${exp}`,
        t.line,
        t.column,
        want,
      );
    }
    throw new SegmentQLError(what ?? `expected ${exp} but found ${describe(t)}`, t.line, t.column, expected);
  }
  /** The upper-cased keyword of a bare identifier token, or "". */
  private kw(t: Token): string {
    if (t.kind !== "ident") return "";
    const u = t.text.toUpperCase();
    return KEYWORDS.has(u) ? u : "";
  }
  private isPunct(t: Token, p: string): boolean {
    return t.kind === "punct" && t.text === p;
  }
  private expectPunct(p: string, expected: string[] = [p]): Token {
    const t = this.peek();
    if (!this.isPunct(t, p)) this.fail(t, expected);
    return this.next();
  }

  statement(): ParsedSegment {
    const first = this.peek();
    if (this.kw(first) !== "FILTER") this.fail(first, ["FILTER"]);
    this.next();
    const ast = this.expr(0);
    let table: string | undefined;
    let alias: string | undefined;
    for (;;) {
      const t = this.peek();
      const k = this.kw(t);
      const allowed = [
        ...(table === undefined ? ["FROM"] : []),
        ...(alias === undefined ? ["ALIAS"] : []),
        "end of input",
      ];
      if (k === "FROM" && table === undefined) {
        this.next();
        table = this.name(["table name"]);
      } else if (k === "ALIAS" && alias === undefined) {
        this.next();
        alias = this.name(["segment slug"]);
      } else if (this.isPunct(t, ";")) {
        this.next();
        const end = this.peek();
        if (end.kind !== "eof") this.fail(end, ["end of input"]);
        break;
      } else if (t.kind === "eof") {
        break;
      } else {
        this.fail(t, allowed);
      }
    }
    const seg: ParsedSegment = { table: table ?? "user", ast };
    if (alias !== undefined) seg.alias = alias;
    return seg;
  }

  private expr(depth: number): SegmentAst {
    const t = this.peek();
    if (depth > MAX_DEPTH) this.fail(t, [], `expression nested deeper than ${MAX_DEPTH} levels`);
    if (this.kw(t) === "NOT" || (t.kind === "op" && t.text === "!")) {
      this.next();
      return { op: "not", args: [this.expr(depth + 1)] };
    }
    return this.primary(depth);
  }

  private primary(depth: number): SegmentAst {
    const t = this.peek();
    const k = this.kw(t);
    if (k === "AND" || k === "OR") {
      this.next();
      this.expectPunct("(");
      const args = this.list(depth + 1);
      return { op: k === "AND" ? "and" : "or", args };
    }
    if (this.isPunct(t, "(")) {
      this.next();
      const args = this.list(depth + 1);
      return args.length === 1 ? (args[0] as SegmentAst) : { op: "and", args };
    }
    if (k === "EXISTS") {
      this.next();
      return { op: "exists", args: [this.field()] };
    }
    if (k === "INCLUDE") {
      this.next();
      return { op: "include", args: [{ ident: this.name(["segment slug"]) }] };
    }
    if (t.kind === "qident" || (t.kind === "ident" && k === "")) return this.predicate();
    return this.fail(t, EXPR_START);
  }

  /** Items up to and including the closing parenthesis. */
  private list(depth: number): SegmentAst[] {
    const args: SegmentAst[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, ")") && args.length > 0) {
        this.next();
        return args;
      }
      args.push(this.expr(depth));
      const after = this.peek();
      if (this.isPunct(after, ",")) {
        this.next();
        continue;
      }
      if (this.isPunct(after, ")")) continue;
      if (
        after.kind === "qident" ||
        after.kind === "ident" ||
        this.isPunct(after, "(") ||
        (after.kind === "op" && after.text === "!")
      ) {
        const ak = this.kw(after);
        if (ak === "" || EXPR_START.includes(ak)) continue;
      }
      this.fail(after, [",", ")"]);
    }
  }

  private field(): IdentNode {
    const t = this.peek();
    if (t.kind === "qident" || (t.kind === "ident" && this.kw(t) === "")) {
      this.next();
      return { ident: t.text };
    }
    return this.fail(t, ["field name"]);
  }

  private name(expected: string[]): string {
    const t = this.peek();
    if (t.kind === "qident" || t.kind === "string" || (t.kind === "ident" && this.kw(t) === "")) {
      if (t.text.length === 0) this.fail(t, expected, "empty name");
      this.next();
      return t.text;
    }
    return this.fail(t, expected);
  }

  private value(): ValueNode {
    const t = this.peek();
    let val: AstLiteral;
    if (t.kind === "string") val = t.text;
    else if (t.kind === "number") val = t.num;
    else {
      const k = this.kw(t);
      if (k === "TRUE") val = true;
      else if (k === "FALSE") val = false;
      else if (k === "NULL") val = null;
      else return this.fail(t, VALUE);
    }
    this.next();
    return { val };
  }

  private predicate(): SegmentAst {
    const id = this.field();
    let negated = false;
    let t = this.peek();
    if (this.kw(t) === "NOT") {
      negated = true;
      this.next();
      t = this.peek();
    }
    const k = this.kw(t);
    let node: SegmentAst;
    if (k === "IN" || k === "INTERSECTS") {
      this.next();
      this.expectPunct("(");
      const vals: ValueNode[] = [];
      if (this.isPunct(this.peek(), ")")) this.next();
      else {
        for (;;) {
          vals.push(this.value());
          const s = this.peek();
          if (this.isPunct(s, ",")) {
            this.next();
            continue;
          }
          if (this.isPunct(s, ")")) {
            this.next();
            break;
          }
          this.fail(s, [",", ")"]);
        }
      }
      node = { op: k === "IN" ? "in" : "intersects", args: [id, { args: vals }] };
    } else if (k === "LIKE" || k === "CONTAINS") {
      this.next();
      node = { op: k === "LIKE" ? "like" : "contains", args: [id, this.value()] };
    } else if (k === "BETWEEN") {
      this.next();
      const lo = this.value();
      const and = this.peek();
      if (this.kw(and) !== "AND") this.fail(and, ["AND"]);
      this.next();
      node = { op: "between", args: [id, lo, this.value()] };
    } else if (!negated && t.kind === "op" && t.text !== "!") {
      this.next();
      node = { op: t.text as CompareOp, args: [id, this.value()] };
    } else {
      return this.fail(t, negated ? ["IN", "LIKE", "CONTAINS", "BETWEEN", "INTERSECTS"] : PREDICATE_OPS);
    }
    return negated ? { op: "not", args: [node] } : node;
  }
}

/**
 * Parses SegmentQL text (`FILTER AND ( ... ) FROM user ALIAS slug`).
 * Throws only SegmentQLError, with the 1-based line and column of the
 * offending token and the list of what was expected there.
 */
export function parse(text: string): ParsedSegment {
  if (typeof text !== "string") throw new SegmentQLError("SegmentQL text must be a string");
  return new Parser(tokenize(text)).statement();
}
