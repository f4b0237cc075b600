/**
 * Compilation of a segment AST into closures (no eval, no `new Function`).
 * Boolean nodes become specialised AND/OR/NOT closures over their
 * children; leaves come from `leaves.ts`. Each node also knows whether it
 * depends on time (relative-time leaves) and, if so, how to compute the
 * earliest future instant at which its answer could change.
 */
import type { LeafNode, SegmentAst } from "../syntax/ast";
import type { EvalContext, Profile } from "../values/coerce";
import { compileLeaf, type BoundFn, type Fn } from "./leaves";
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

/**
 * Walks ASTs into closures. One Compiler serves a compiled unit: all the
 * segments compiled with it share field slots and memoised leaves.
 */
export class Compiler {
  /** Field names by slot. */
  readonly fields: string[] = [];
  /** Number of memo slots handed out. */
  memoCount = 0;
  private readonly slots = new Map<string, number>();
  private readonly leafCache = new Map<string, CompiledNode>();

  /**
   * @param include - compiles INCLUDE of a slug.
   * @param shared - leaf keys (see `leafKey`) used more than once in the unit; their results are memoised per evaluation.
   */
  constructor(
    private readonly include: (slug: string) => Fn,
    private readonly shared: ReadonlySet<string> = new Set(),
  ) {}

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

  /** Compiles a (validated) AST node. */
  node(ast: SegmentAst): CompiledNode {
    switch (ast.op) {
      case "and":
      case "or": {
        const kids = ast.args.map((a) => this.node(a));
        if (kids.length === 1) return kids[0] as CompiledNode;
        const isAnd = ast.op === "and";
        const fns = kids.map((k) => k.fn);
        const td = kids.some((k) => k.td);
        return { fn: isAnd ? andFn(fns) : orFn(fns), td, bound: td ? groupBound(kids, isAnd) : undefined };
      }
      case "not": {
        const k = this.node(ast.args[0]);
        const f = k.fn;
        return { fn: (s) => !f(s), td: k.td, bound: k.bound };
      }
      case "include":
        return { fn: this.include(ast.args[0].ident), td: false, bound: undefined };
      default:
        return this.leaf(ast);
    }
  }

  private leaf(ast: Exclude<LeafNode, { op: "include" }>): CompiledNode {
    const key = leafKey(ast);
    const cached = this.leafCache.get(key);
    if (cached !== undefined) return cached;
    const leaf = compileLeaf(ast, this.slot(ast.args[0].ident));
    let fn = leaf.fn;
    if (this.shared.has(key)) {
      const m = this.memoCount++;
      const inner = fn;
      fn = (s: State) => {
        if (s.mStamp[m] === s.epoch) return s.memo[m] === 1;
        const r = inner(s);
        s.memo[m] = r ? 1 : 0;
        s.mStamp[m] = s.epoch;
        return r;
      };
    }
    const node: CompiledNode = { fn, td: leaf.bound !== undefined, bound: leaf.bound };
    this.leafCache.set(key, node);
    return node;
  }
}

/** Identity of a leaf condition, for sharing identical conditions across segments. */
export function leafKey(ast: SegmentAst): string {
  return JSON.stringify(ast);
}

/** Calls `f` on every non-INCLUDE leaf of `ast`. */
export function forEachLeaf(ast: SegmentAst, f: (leaf: SegmentAst) => void): void {
  if (ast.op === "and" || ast.op === "or") for (const a of ast.args) forEachLeaf(a, f);
  else if (ast.op === "not") forEachLeaf(ast.args[0], f);
  else if (ast.op !== "include") f(ast);
}

/**
 * Compiles one segment. The AST is validated (and normalised) first, so
 * unchecked JSON throws SegmentQLError here rather than misbehaving later.
 */
export function compile(ast: SegmentAst): CompiledSegment {
  const root = validateAst(ast);
  const compiler = new Compiler((slug) => (s) => s.ext !== undefined && s.ext.isMember(slug));
  const node = compiler.node(root);
  const state = createState(compiler.fields, compiler.memoCount, 0);
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
