/**
 * Validation and normalisation of the JSON `ast` form (untrusted input from
 * the Segment API). Returns a fresh, normalised tree: operators lower-cased,
 * `==` -> `=`, `<>` -> `!=`, literals typed, `val_type` removed.
 *
 * Legacy qlbridge literals, where `val` is always a string and `val_type`
 * says what it is, are converted: 10/11 number, 12 boolean, 13/14/20 string,
 * 0/2 (nil/unknown) `NULL` -> null, `true`/`false` -> boolean, else string.
 * Without `val_type`, `val` is taken as typed JSON.
 */
import { OPS, type AstLiteral, type IdentNode, type ListNode, type SegmentAst, type ValueNode } from "./ast";
import { isNumericString } from "../values/coerce";
import { SegmentQLError } from "../errors";
import { MAX_DEPTH } from "./parser";

const hasOwn = Object.prototype.hasOwnProperty;
type Json = Record<string, unknown>;

function fail(path: string, message: string): never {
  throw new SegmentQLError(`${path}: ${message}`);
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkKeys(node: Json, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(node)) {
    if (!allowed.includes(k))
      fail(path, `unexpected property ${JSON.stringify(k.length > 40 ? k.slice(0, 40) + "…" : k)}`);
  }
}

function getArgs(node: Json, path: string): unknown[] {
  const args = hasOwn.call(node, "args") ? node["args"] : undefined;
  if (!Array.isArray(args)) fail(path, `expected "args" to be an array`);
  return args;
}

function ident(v: unknown, path: string, what = "identifier"): IdentNode {
  if (!isObject(v) || !hasOwn.call(v, "ident")) {
    // qlbridge writes the true/false identities as values; a slug or field is always an ident.
    fail(path, `expected ${what} {"ident": "..."}`);
  }
  checkKeys(v, path, ["ident", "val_type"]);
  const id = v["ident"];
  if (typeof id !== "string" || id.length === 0) fail(`${path}.ident`, `expected a non-empty string`);
  return { ident: id };
}

function literal(v: unknown, path: string): ValueNode {
  if (!isObject(v) || !hasOwn.call(v, "val")) fail(path, `expected a value {"val": ...}`);
  checkKeys(v, path, ["val", "val_type"]);
  const raw = v["val"];
  const hasType = hasOwn.call(v, "val_type");
  const vt = v["val_type"];
  if (hasType && (typeof vt !== "number" || !Number.isInteger(vt))) fail(`${path}.val_type`, "expected an integer");
  let val: AstLiteral;
  if (hasType && typeof raw === "string") {
    switch (vt) {
      case 10:
      case 11:
        if (!isNumericString(raw) || !Number.isFinite(Number(raw)))
          fail(`${path}.val`, `expected a number for val_type ${vt}`);
        val = Number(raw);
        break;
      case 12: {
        const b = raw.toLowerCase();
        if (b !== "true" && b !== "false") fail(`${path}.val`, "expected true or false for val_type 12");
        val = b === "true";
        break;
      }
      case 13:
      case 14:
      case 20:
        val = raw;
        break;
      case 0:
      case 2: {
        const u = raw.toLowerCase();
        val = u === "null" ? null : u === "true" ? true : u === "false" ? false : raw;
        break;
      }
      default:
        fail(`${path}.val_type`, `unsupported val_type ${vt}`);
    }
  } else if (raw === null || typeof raw === "string" || typeof raw === "boolean") {
    val = raw;
  } else if (typeof raw === "number") {
    if (!Number.isFinite(raw)) fail(`${path}.val`, "expected a finite number");
    val = raw;
  } else {
    fail(`${path}.val`, "expected a string, number, boolean or null");
  }
  if (typeof val === "number" && val === 0) val = 0; // no -0
  return { val };
}

function list(v: unknown, path: string): ListNode {
  if (!isObject(v) || hasOwn.call(v, "op") || !Array.isArray(v["args"]))
    fail(path, `expected a list {"args": [{"val": ...}, ...]}`);
  checkKeys(v, path, ["args", "val_type"]);
  const args = getArgs(v, path);
  return { args: args.map((a, i) => literal(a, `${path}.args[${i}]`)) };
}

function arity(args: unknown[], path: string, op: string, n: number): void {
  if (args.length !== n) fail(`${path}.args`, `"${op}" takes ${n} argument${n === 1 ? "" : "s"}, got ${args.length}`);
}

function node(v: unknown, path: string, depth: number): SegmentAst {
  if (depth > MAX_DEPTH) fail(path, `expression nested deeper than ${MAX_DEPTH} levels`);
  if (!isObject(v)) fail(path, `expected an expression object {"op": ..., "args": [...]}`);
  const rawOp = hasOwn.call(v, "op") ? v["op"] : undefined;
  if (typeof rawOp !== "string") fail(path, `expected "op" to be a string`);
  checkKeys(v, path, ["op", "args", "val_type"]);
  let op = rawOp.toLowerCase();
  if (op === "==") op = "=";
  else if (op === "<>") op = "!=";
  if (!OPS.has(op))
    fail(`${path}.op`, `unknown operator ${JSON.stringify(rawOp.length > 40 ? rawOp.slice(0, 40) + "…" : rawOp)}`);
  const args = getArgs(v, path);
  const at = (i: number): string => `${path}.args[${i}]`;
  switch (op) {
    case "and":
    case "or":
      if (args.length === 0) fail(`${path}.args`, `"${op}" needs at least one argument`);
      return { op, args: args.map((a, i) => node(a, at(i), depth + 1)) };
    case "not":
      arity(args, path, op, 1);
      return { op, args: [node(args[0], at(0), depth + 1)] };
    case "exists":
      arity(args, path, op, 1);
      return { op, args: [ident(args[0], at(0), "field")] };
    case "include":
      arity(args, path, op, 1);
      return { op, args: [ident(args[0], at(0), "segment slug")] };
    case "in":
    case "intersects":
      arity(args, path, op, 2);
      return { op, args: [ident(args[0], at(0), "field"), list(args[1], at(1))] };
    case "between":
      arity(args, path, op, 3);
      return { op, args: [ident(args[0], at(0), "field"), literal(args[1], at(1)), literal(args[2], at(2))] };
    case "like":
    case "contains":
      arity(args, path, op, 2);
      return { op, args: [ident(args[0], at(0), "field"), literal(args[1], at(1))] };
    default:
      arity(args, path, op, 2);
      return {
        op: op as "=" | "!=" | ">" | ">=" | "<" | "<=",
        args: [ident(args[0], at(0), "field"), literal(args[1], at(1))],
      };
  }
}

/**
 * Validates the JSON `ast` form of a segment and returns it normalised.
 * Throws SegmentQLError (line and column 0) whose message starts with the
 * JSON path of the problem, e.g. `ast.args[1].args[0]: expected field ...`.
 */
export function validateAst(json: unknown): SegmentAst {
  return node(json, "ast", 0);
}
