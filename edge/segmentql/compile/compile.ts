/**
 * Compilation of a segment AST into closures (no eval, no `new Function`).
 * Boolean nodes become specialised AND/OR/NOT closures over their
 * children (the walk is node-builder.ts, shared with the AudienceSet's
 * graph); leaves come from `leaves.ts`. Each node also knows whether it
 * depends on time (relative-time leaves) and, if so, how to compute the
 * earliest future instant at which its answer could change.
 */
import type { SegmentAst } from "../syntax/ast";
import type { EvalContext, Profile } from "../values/coerce";
import { compileLeaf, type BoundFn, type Fn } from "./leaves";
import { NodeBuilder, type NodeKinds } from "./node-builder";
import { begin, cloneState, createState, type State } from "./state";
import { validateAst } from "../syntax/validate";

/** A compiled segment test: does `profile` match at time `now` (epoch ms)? */
export type Predicate = (profile: Profile, now: number, ctx?: EvalContext) => boolean;

/** A compiled segment. */
export interface CompiledSegment {
  /** Evaluates the segment; INCLUDE asks `ctx.isMember` (false without ctx). */
  test: Predicate;
  /**
   * The earliest epoch ms after `now` at which `test` could answer
   * differently for this profile without the profile changing (a relative
   * time crossing its boundary), or null when no such instant exists.
   * INCLUDEd segments are taken as fixed.
   */
  nextBoundary(profile: Profile, now: number, ctx?: EvalContext): number | null;
}

/** A compiled node: its test, whether it depends on time, and its boundary. */
export interface CompiledNode {
  fn: Fn;
  td: boolean;
  bound: BoundFn | undefined;
}

const NEVER: BoundFn = () => Infinity;

function andFn(fs: Fn[]): Fn {
  const [a, b, c, d] = fs as [Fn, Fn, Fn, Fn];
  switch (fs.length) {
    case 1:
      return a;
    case 2:
      return (s) => a(s) && b(s);
    case 3:
      return (s) => a(s) && b(s) && c(s);
    case 4:
      return (s) => a(s) && b(s) && c(s) && d(s);
    default:
      return (s) => {
        for (let k = 0; k < fs.length; k++) if (!(fs[k] as Fn)(s)) return false;
        return true;
      };
  }
}

function orFn(fs: Fn[]): Fn {
  const [a, b, c, d] = fs as [Fn, Fn, Fn, Fn];
  switch (fs.length) {
    case 1:
      return a;
    case 2:
      return (s) => a(s) || b(s);
    case 3:
      return (s) => a(s) || b(s) || c(s);
    case 4:
      return (s) => a(s) || b(s) || c(s) || d(s);
    default:
      return (s) => {
        for (let k = 0; k < fs.length; k++) if ((fs[k] as Fn)(s)) return true;
        return false;
      };
  }
}

/**
 * Boundary of AND/OR: a time-independent child that already decides the
 * group (false under AND, true under OR) freezes it, so the time-dependent
 * children do not matter; otherwise the earliest of their boundaries.
 */
function groupBound(kids: CompiledNode[], isAnd: boolean): BoundFn {
  const fixed = kids.filter((k) => !k.td).map((k) => k.fn);
  const moving = kids.filter((k) => k.td).map((k) => k.bound ?? NEVER);
  return (s) => {
    for (let k = 0; k < fixed.length; k++) if ((fixed[k] as Fn)(s) !== isAnd) return Infinity;
    let best = Infinity;
    for (let k = 0; k < moving.length; k++) {
      const b = (moving[k] as BoundFn)(s);
      if (b < best) best = b;
    }
    return best;
  };
}

/** Closures for each kind of node (the walk itself is node-builder.ts). */
function closureKinds(include: (slug: string) => Fn): NodeKinds<CompiledNode> {
  return {
    group(op, kids) {
      const isAnd = op === "and";
      const fns = kids.map((k) => k.fn);
      const td = kids.some((k) => k.td);
      return { fn: isAnd ? andFn(fns) : orFn(fns), td, bound: td ? groupBound(kids, isAnd) : undefined };
    },
    not(k) {
      const f = k.fn;
      return { fn: (s) => !f(s), td: k.td, bound: k.bound };
    },
    include(slug) {
      return { fn: include(slug), td: false, bound: undefined };
    },
    leaf(ast, slot) {
      const leaf = compileLeaf(ast, slot);
      return { fn: leaf.fn, td: leaf.bound !== undefined, bound: leaf.bound };
    },
  };
}

/**
 * Compiles one segment. The AST is validated (and normalised) first, so
 * unchecked JSON throws SegmentQLError here rather than misbehaving later.
 */
export function compile(ast: SegmentAst): CompiledSegment {
  const root = validateAst(ast);
  const builder = new NodeBuilder(closureKinds((slug) => (s) => s.ext !== undefined && s.ext.isMember(slug)));
  const node = builder.node(root);
  const state = createState(builder.fields, 0, 0);
  const fn = node.fn;
  const bound = node.bound;
  const acquire = (): State => (state.busy ? cloneState(state) : state);
  return {
    test(profile: Profile, now: number, ctx?: EvalContext): boolean {
      const s = acquire();
      s.busy = true;
      try {
        begin(s, profile, now, ctx);
        return fn(s);
      } finally {
        s.busy = false;
      }
    },
    nextBoundary(profile: Profile, now: number, ctx?: EvalContext): number | null {
      if (bound === undefined) return null;
      const s = acquire();
      s.busy = true;
      try {
        begin(s, profile, now, ctx);
        const b = bound(s);
        return b === Infinity ? null : b;
      } finally {
        s.busy = false;
      }
    },
  };
}
