/**
 * The JSON `ast` form of a segment (Segment API v2, `"ast"` property).
 *
 * It follows the Lytics/qlbridge expression JSON: an operator node is
 * `{ "op": "...", "args": [...] }`, a field or segment reference is
 * `{ "ident": "name" }`, a literal is `{ "val": ... }` and a literal list (for
 * IN and INTERSECTS) is `{ "args": [ {"val": ...}, ... ] }`. Operators are
 * lower case. Literals are typed JSON values (string, finite number, boolean,
 * null); `validateAst` also accepts the legacy qlbridge encoding where every
 * `val` is a string typed by a numeric `val_type`.
 *
 * Example: `FILTER AND ( visitct > 5, NOT email LIKE "*@test.com" )` is
 *
 * ```json
 * { "op": "and", "args": [
 *   { "op": ">", "args": [ { "ident": "visitct" }, { "val": 5 } ] },
 *   { "op": "not", "args": [
 *     { "op": "like", "args": [ { "ident": "email" }, { "val": "*@test.com" } ] } ] } ] }
 * ```
 */

/** A literal value as it appears in the AST. Numbers are always finite. */
export type AstLiteral = string | number | boolean | null;

/** A field path (`a.b.c` reads map key `b` then `c`) or a segment slug. */
export interface IdentNode {
  ident: string;
}

/** A literal operand. */
export interface ValueNode {
  val: AstLiteral;
}

/** A literal list, the right operand of IN and INTERSECTS. */
export interface ListNode {
  args: ValueNode[];
}

/** Binary comparison operators. */
export type CompareOp = "=" | "!=" | ">" | ">=" | "<" | "<=";

/** `field <op> literal` */
export interface CompareNode {
  op: CompareOp;
  args: [IdentNode, ValueNode];
}

/** `field LIKE "pat*"` and `field CONTAINS "x"` */
export interface MatchNode {
  op: "like" | "contains";
  args: [IdentNode, ValueNode];
}

/** `field IN (a, b)` and `field INTERSECTS (a, b)` */
export interface SetNode {
  op: "in" | "intersects";
  args: [IdentNode, ListNode];
}

/** `field BETWEEN low AND high` (inclusive at both ends) */
export interface BetweenNode {
  op: "between";
  args: [IdentNode, ValueNode, ValueNode];
}

/** `EXISTS field` */
export interface ExistsNode {
  op: "exists";
  args: [IdentNode];
}

/** `INCLUDE other_slug` */
export interface IncludeNode {
  op: "include";
  args: [IdentNode];
}

/** `NOT expr` (also `field NOT IN (...)`, `field NOT LIKE ...`, ...) */
export interface NotNode {
  op: "not";
  args: [SegmentAst];
}

/** `AND ( ... )` / `OR ( ... )`, at least one argument. */
export interface BoolNode {
  op: "and" | "or";
  args: SegmentAst[];
}

/** A leaf condition: anything that is not AND, OR or NOT. */
export type LeafNode = CompareNode | MatchNode | SetNode | BetweenNode | ExistsNode | IncludeNode;

/** A SegmentQL filter expression in its JSON `ast` form. */
export type SegmentAst = BoolNode | NotNode | LeafNode;

/** Every operator accepted in the `op` property, after normalisation. */
export const OPS: ReadonlySet<string> = new Set([
  "and",
  "or",
  "not",
  "=",
  "!=",
  ">",
  ">=",
  "<",
  "<=",
  "like",
  "contains",
  "in",
  "intersects",
  "between",
  "exists",
  "include",
]);

/**
 * The slugs a segment INCLUDEs directly (not transitively), each once, in
 * order of first appearance.
 */
export function includes(ast: SegmentAst): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const stack: SegmentAst[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop() as SegmentAst;
    switch (node.op) {
      case "and":
      case "or":
        for (let i = node.args.length - 1; i >= 0; i--) stack.push(node.args[i] as SegmentAst);
        break;
      case "not":
        stack.push(node.args[0]);
        break;
      case "include": {
        const slug = node.args[0].ident;
        if (!seen.has(slug)) {
          seen.add(slug);
          out.push(slug);
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}
