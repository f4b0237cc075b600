/**
 * The one walk from a validated segment AST to compiled nodes, shared by a
 * single segment's closures (compile.ts) and an AudienceSet's condition
 * graph (audiences/audience-graph.ts): AND/OR of one child is that child,
 * every distinct field path gets one slot, and every distinct leaf
 * condition is built once however many times it appears. What a node is
 * comes from the {@link NodeKinds} given.
 */
import type { LeafNode, SegmentAst } from "../syntax/ast";

/** A leaf condition other than INCLUDE. */
export type FieldLeaf = Exclude<LeafNode, { op: "include" }>;

/** How to make each kind of node of type N. */
export interface NodeKinds<N> {
  /** AND or OR of two or more children. */
  group(op: "and" | "or", kids: N[]): N;
  not(kid: N): N;
  include(slug: string): N;
  /** A leaf testing the field of slot `slot`. */
  leaf(ast: FieldLeaf, slot: number): N;
}

/** Builds nodes of type N from ASTs, sharing slots and leaves between every AST it builds. */
export class NodeBuilder<N> {
  /** Field names by slot. */
  readonly fields: string[] = [];
  private readonly slots = new Map<string, number>();
  private readonly leaves = new Map<string, N>();

  constructor(private readonly kinds: NodeKinds<N>) {}

  /** The slot of a field, allocated on first use. */
  slot(name: string): number {
    let i = this.slots.get(name);
    if (i === undefined) {
      i = this.fields.length;
      this.fields.push(name);
      this.slots.set(name, i);
    }
    return i;
  }

  /** The node of a validated AST. */
  node(ast: SegmentAst): N {
    switch (ast.op) {
      case "and":
      case "or": {
        const kids = ast.args.map((x) => this.node(x));
        return kids.length === 1 ? (kids[0] as N) : this.kinds.group(ast.op, kids);
      }
      case "not":
        return this.kinds.not(this.node(ast.args[0]));
      case "include":
        return this.kinds.include(ast.args[0].ident);
      default: {
        const key = JSON.stringify(ast);
        let leaf = this.leaves.get(key);
        if (leaf === undefined) {
          leaf = this.kinds.leaf(ast, this.slot(ast.args[0].ident));
          this.leaves.set(key, leaf);
        }
        return leaf;
      }
    }
  }
}
