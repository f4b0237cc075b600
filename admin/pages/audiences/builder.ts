/**
 * The rule builder's model: rows of conditions in AND/OR groups, written
 * as SegmentQL, and read back from the SegmentQL JSON ast when the ast
 * only uses the shapes the builder shows (else the editor stays text-only).
 *
 * Shapes: `field <op> value` (= != > >= < <=, CONTAINS, LIKE and their
 * NOT forms), `field IN (a, b)` / NOT IN, `EXISTS field` / NOT EXISTS,
 * relative time (`field > "now-30d"` is "in the last 30 days",
 * `field < "now-30d"` "more than 30 days ago"), `INCLUDE slug` / NOT
 * INCLUDE, and nested AND/OR groups.
 */

/** Operators a condition row offers. */
export const OPERATORS = {
  "=": "is",
  "!=": "is not",
  ">": "greater than",
  ">=": "at least",
  "<": "less than",
  "<=": "at most",
  contains: "contains",
  "not contains": "does not contain",
  like: "matches pattern",
  "not like": "does not match pattern",
  in: "is one of",
  "not in": "is none of",
  exists: "exists",
  "not exists": "does not exist",
  within: "in the last",
  before: "more than … ago",
} as const;

/** A condition row's operator. */
export type Operator = keyof typeof OPERATORS;

/** Units of relative time. */
export const UNITS = { d: "days", h: "hours", w: "weeks", m: "minutes" } as const;
export type Unit = keyof typeof UNITS;

/** `field <op> value`; `value` holds the text typed (a list is comma-separated; a time is "30" with `unit`). */
export interface ConditionRow {
  kind: "condition";
  field: string;
  op: Operator;
  value: string;
  unit: Unit;
}

/** `INCLUDE slug` or `NOT INCLUDE slug`. */
export interface IncludeRow {
  kind: "include";
  slug: string;
  negate: boolean;
}

/** AND/OR of rows and groups. */
export interface Group {
  kind: "group";
  join: "and" | "or";
  items: Item[];
}

export type Item = ConditionRow | IncludeRow | Group;

/** The SegmentQL ast as the API gives it (see the Segment API's `ast`). */
export type Ast = { op: "and" | "or"; args: Ast[] } | { op: "not"; args: [Ast] } | { op: string; args: AstArg[] };
type AstArg = { ident: string } | { val: string | number | boolean | null } | { args: { val: unknown }[] } | Ast;

/** An empty condition row. */
export const emptyCondition = (): ConditionRow => ({ kind: "condition", field: "", op: "=", value: "", unit: "d" });

const KEYWORDS = new Set(
  "FILTER FROM ALIAS AND OR NOT IN INTERSECTS LIKE CONTAINS BETWEEN EXISTS INCLUDE TRUE FALSE NULL".split(" "),
);

/** A field name as SegmentQL reads it: bare when it can be, else in backticks. */
export function printIdent(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/.test(name) && !KEYWORDS.has(name.toUpperCase())) return name;
  return `\`${name.replace(/[\\`]/g, (c) => `\\${c}`)}\``;
}

const printString = (s: string): string =>
  `"${s.replace(/[\\"\n\r\t]/g, (c) => (c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\${c}`))}"`;

/** A typed value as a literal: numbers and true/false/null bare, anything else a string. */
export function printValue(text: string): string {
  const t = text.trim();
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(t)) return t;
  if (/^(true|false|null)$/.test(t)) return t;
  return printString(t);
}

/** The row's problem, if it cannot be written yet (shown next to it). */
export function rowProblem(row: ConditionRow | IncludeRow): string | null {
  if (row.kind === "include") return row.slug ? null : "choose an audience";
  if (!row.field.trim()) return "name a field";
  if (row.op === "exists" || row.op === "not exists") return null;
  if (row.op === "within" || row.op === "before")
    return /^[1-9]\d{0,5}$/.test(row.value.trim()) ? null : "a whole number";
  if (row.op === "in" || row.op === "not in")
    return splitList(row.value).length ? null : "one or more values, separated by commas";
  return row.value.trim() === "" && row.op !== "=" && row.op !== "!=" ? "a value" : null;
}

const splitList = (text: string): string[] =>
  text
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");

function printRow(row: ConditionRow | IncludeRow): string {
  if (row.kind === "include") return `${row.negate ? "NOT " : ""}INCLUDE ${printIdent(row.slug)}`;
  const f = printIdent(row.field.trim());
  switch (row.op) {
    case "exists":
      return `EXISTS ${f}`;
    case "not exists":
      return `NOT EXISTS ${f}`;
    case "within":
      return `${f} > "now-${row.value.trim()}${row.unit}"`;
    case "before":
      return `${f} < "now-${row.value.trim()}${row.unit}"`;
    case "in":
    case "not in":
      return `${f} ${row.op === "in" ? "IN" : "NOT IN"} (${splitList(row.value).map(printValue).join(", ")})`;
    case "contains":
    case "like":
      return `${f} ${row.op.toUpperCase()} ${printString(row.value.trim())}`;
    case "not contains":
    case "not like":
      return `${f} NOT ${row.op.slice(4).toUpperCase()} ${printString(row.value.trim())}`;
    default:
      return `${f} ${row.op} ${printValue(row.value)}`;
  }
}

function printItem(item: Item, indent: string): string {
  if (item.kind !== "group") return printRow(item);
  const inner = `${indent}    `; // the edge's printer indents by four: the text stays as saved
  const parts = item.items.filter((i) => i.kind === "group" || rowProblem(i) === null);
  if (!parts.length) return `${item.join.toUpperCase()} ()`;
  return `${item.join.toUpperCase()} (\n${parts.map((p) => inner + printItem(p, inner)).join(",\n")}\n${indent})`;
}

/** Whether a group (recursively) has a row that can be written. */
export function hasRows(group: Group): boolean {
  return group.items.some((i) => (i.kind === "group" ? hasRows(i) : rowProblem(i) === null));
}

/** SegmentQL of the builder's rows (rows with problems are left out until fixed). */
export function toSegmentQL(root: Group, alias: string): string {
  const lines = [`FILTER ${printItem(root, "")}`, "FROM user"];
  if (alias) lines.push(`ALIAS ${printIdent(alias)}`);
  return lines.join("\n");
}

// ---- ast -> rows ----

const isIdent = (a: unknown): a is { ident: string } =>
  !!a && typeof a === "object" && typeof (a as { ident?: unknown }).ident === "string";
const isVal = (a: unknown): a is { val: string | number | boolean | null } =>
  !!a && typeof a === "object" && "val" in (a as object);
const valText = (v: string | number | boolean | null): string => (v === null ? "null" : String(v));

/** A value typed in a row reads back to the same literal (else the row would change it). */
const roundTrips = (v: string | number | boolean | null): boolean => {
  const printed = printValue(valText(v));
  return typeof v === "string" ? printed === printString(v.trim()) && v === v.trim() : true;
};

const RELATIVE = /^now-([1-9]\d{0,5})([dhwm])$/;

function leafRow(node: { op: string; args: AstArg[] }, negate: boolean): ConditionRow | IncludeRow | null {
  const [a, b] = node.args;
  if (node.op === "include" && isIdent(a)) return { kind: "include", slug: a.ident, negate };
  if (!isIdent(a)) return null;
  const row = (op: Operator, value = "", unit: Unit = "d"): ConditionRow => ({
    kind: "condition",
    field: a.ident,
    op,
    value,
    unit,
  });
  if (node.op === "exists") return row(negate ? "not exists" : "exists");
  if (node.op === "in" && b && "args" in b && !("op" in b)) {
    const vals = (b.args as { val: unknown }[]).map((x) => x.val);
    if (!vals.every((v) => (typeof v === "string" && !v.includes(",") && roundTrips(v)) || typeof v === "number"))
      return null;
    return row(negate ? "not in" : "in", vals.map((v) => valText(v as string | number)).join(", "));
  }
  if (!isVal(b)) return null;
  if (node.op === "contains" || node.op === "like") {
    if (typeof b.val !== "string" || b.val !== b.val.trim()) return null;
    return row((negate ? `not ${node.op}` : node.op) as Operator, b.val);
  }
  if (negate) return null;
  if (typeof b.val === "string") {
    const rel = RELATIVE.exec(b.val);
    if (rel && node.op === ">") return row("within", rel[1], rel[2] as Unit);
    if (rel && node.op === "<") return row("before", rel[1], rel[2] as Unit);
  }
  if (!["=", "!=", ">", ">=", "<", "<="].includes(node.op) || !roundTrips(b.val)) return null;
  // A string that looks like a number or a keyword would print unquoted, reading back as another type.
  if (typeof b.val === "string" && printValue(b.val) !== printString(b.val)) return null;
  return row(node.op as Operator, valText(b.val));
}

function toItem(node: Ast): Item | null {
  if ((node.op === "and" || node.op === "or") && node.args.length) {
    const items = (node.args as Ast[]).map(toItem);
    return items.every((i) => i !== null) ? { kind: "group", join: node.op, items: items as Item[] } : null;
  }
  if (node.op === "not") {
    const inner = node.args[0] as Ast;
    return inner && inner.op !== "and" && inner.op !== "or" && inner.op !== "not"
      ? leafRow(inner as { op: string; args: AstArg[] }, true)
      : null;
  }
  return leafRow(node as { op: string; args: AstArg[] }, false);
}

/**
 * Rows of an ast when it fits the builder's shapes (a single condition
 * becomes an AND group of one), else null (the editor is then text-only).
 */
export function fromAst(ast: unknown): Group | null {
  if (!ast || typeof ast !== "object" || typeof (ast as { op?: unknown }).op !== "string") return null;
  const item = toItem(ast as Ast);
  if (!item) return null;
  return item.kind === "group" ? item : { kind: "group", join: "and", items: [item] };
}
