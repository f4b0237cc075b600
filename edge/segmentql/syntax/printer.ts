/**
 * Canonical, pretty-printed SegmentQL text. `parse(print(seg))` gives back
 * an AST equal to `seg.ast` for every valid AST. Boolean groups put one
 * item per line, indented by four spaces, separated by commas; negated
 * IN/INTERSECTS/LIKE/CONTAINS/BETWEEN print as `field NOT IN (...)`.
 */
import type { AstLiteral, SegmentAst } from "./ast";
import { KEYWORDS, type ParsedSegment } from "./parser";

const BARE = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** A field name, slug or table name: bare when safe, else in backticks. */
export function printIdent(name: string): string {
  if (BARE.test(name) && !KEYWORDS.has(name.toUpperCase())) return name;
  return "`" + name.replace(/[\\`]/g, (c) => "\\" + c) + "`";
}

/** A string literal in double quotes. */
export function printString(s: string): string {
  return (
    '"' +
    s.replace(/[\\"\n\r\t]/g, (c) => (c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : "\\" + c)) +
    '"'
  );
}

/** A literal value. */
export function printLiteral(v: AstLiteral): string {
  if (v === null) return "null";
  if (typeof v === "string") return printString(v);
  if (typeof v === "number") return String(v);
  return v ? "true" : "false";
}

const NEGATABLE: Readonly<Record<string, string>> = {
  in: "IN",
  intersects: "INTERSECTS",
  like: "LIKE",
  contains: "CONTAINS",
  between: "BETWEEN",
};

function leafTail(node: SegmentAst): string {
  switch (node.op) {
    case "in":
    case "intersects":
      return `${NEGATABLE[node.op]} (${node.args[1].args.map((a) => printLiteral(a.val)).join(", ")})`;
    case "like":
    case "contains":
      return `${NEGATABLE[node.op]} ${printLiteral(node.args[1].val)}`;
    case "between":
      return `BETWEEN ${printLiteral(node.args[1].val)} AND ${printLiteral(node.args[2].val)}`;
    default:
      return "";
  }
}

function expr(node: SegmentAst, indent: string): string {
  switch (node.op) {
    case "and":
    case "or": {
      const inner = indent + "    ";
      const items = node.args.map((a) => inner + expr(a, inner));
      return `${node.op === "and" ? "AND" : "OR"} (\n${items.join(",\n")}\n${indent})`;
    }
    case "not": {
      const child = node.args[0];
      if (NEGATABLE[child.op] !== undefined) {
        return `${printIdent((child.args[0] as { ident: string }).ident)} NOT ${leafTail(child)}`;
      }
      return `NOT ${expr(child, indent)}`;
    }
    case "exists":
      return `EXISTS ${printIdent(node.args[0].ident)}`;
    case "include":
      return `INCLUDE ${printIdent(node.args[0].ident)}`;
    case "in":
    case "intersects":
    case "like":
    case "contains":
    case "between":
      return `${printIdent(node.args[0].ident)} ${leafTail(node)}`;
    default:
      return `${printIdent(node.args[0].ident)} ${node.op} ${printLiteral(node.args[1].val)}`;
  }
}

/** Prints just a filter expression (what follows FILTER), pretty-printed. */
export function printExpr(ast: SegmentAst): string {
  return expr(ast, "");
}

/** Prints a segment as canonical SegmentQL: FILTER, then FROM, then ALIAS when present. */
export function print(seg: ParsedSegment): string {
  const lines = [`FILTER ${expr(seg.ast, "")}`, `FROM ${printIdent(seg.table)}`];
  if (seg.alias !== undefined) lines.push(`ALIAS ${printIdent(seg.alias)}`);
  return lines.join("\n");
}
