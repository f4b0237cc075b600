/**
 * The hash-consed condition graph of an AudienceSet. Every distinct
 * condition (a leaf, or an AND/OR/NOT over the same child conditions) is
 * one node, however many audiences use it, and is evaluated at most once
 * per profile: results live in a byte per node, cleared per evaluation.
 * Nodes are plain typed-array rows interpreted by one small recursive
 * function, so evaluation makes one closure call per distinct leaf and
 * none for the boolean structure. Nodes are only ever appended, so an
 * audience can be added or replaced without touching the others.
 */
import type { SegmentAst } from "../syntax/ast";
import { compileLeaf, type BoundFn, type Fn } from "../compile/leaves";
import { type FieldLeaf, NodeBuilder } from "../compile/node-builder";
import { field, type State } from "../compile/state";

const LEAF = 0;
const AND = 1;
const OR = 2;
const NOT = 3;
const INCLUDE = 4;

/** Result bytes: not yet evaluated in this evaluation, false, true. */
const UNKNOWN = 0;
const NO = 1;
const YES = 2;

/** A growable Int32Array. */
class IntList {
  data = new Int32Array(64);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
}

/**
 * Nodes and the field slots they read. INCLUDE nodes are keyed by slug and
 * resolved per evaluation through the targets given to `begin`, so sets of
 * different audiences can share one graph.
 */
export class AudienceGraph {
  /** The shared walk: slots, leaves built once, AND/OR of one child collapsed. */
  private readonly builder: NodeBuilder<number> = new NodeBuilder<number>({
    group: (op, ids) => this.group(op, ids),
    not: (child) => {
      const key = `not(${child})`;
      return this.keys.get(key) ?? this.add(key, NOT, child, 0, -1, this.timed.data[child] === 1);
    },
    include: (slug) => {
      const key = `include ${JSON.stringify(slug)}`;
      const hit = this.keys.get(key);
      if (hit !== undefined) return hit;
      this.includeSlugs.push(slug);
      return this.add(key, INCLUDE, this.includeSlugs.length - 1, 0, -1, false);
    },
    leaf: (ast, slot) => {
      const compiled = compileLeaf(ast, slot);
      this.leafFns.push(compiled.fn);
      this.leafBounds.push(compiled.bound);
      return this.add(
        "",
        LEAF,
        this.leafFns.length - 1,
        0,
        absentIsFalse(ast) ? slot : -1,
        compiled.bound !== undefined,
      );
    },
  });
  /** Group, NOT and INCLUDE nodes by their key (leaves are shared by the builder). */
  private readonly keys = new Map<string, number>();
  private readonly kind = new IntList();
  /** LEAF: leaf index; AND/OR: first child position in `kids`; NOT: child node; INCLUDE: include index. */
  private readonly a = new IntList();
  /** AND/OR: end of the children in `kids`. */
  private readonly b = new IntList();
  /** A field slot whose absence makes the node false, or -1. */
  private readonly need = new IntList();
  /** 1 when the node's answer can change with time alone. */
  private readonly timed = new IntList();
  private readonly kids = new IntList();
  private readonly leafFns: Fn[] = [];
  private readonly leafBounds: (BoundFn | undefined)[] = [];
  /** Slugs INCLUDE nodes name, by include index. */
  readonly includeSlugs: string[] = [];

  /** Number of nodes. */
  get size(): number {
    return this.kind.length;
  }

  /** Field names by slot. */
  get fields(): string[] {
    return this.builder.fields;
  }

  private add(key: string, kind: number, a: number, b: number, need: number, timed: boolean): number {
    const id = this.kind.length;
    this.kind.push(kind);
    this.a.push(a);
    this.b.push(b);
    this.need.push(need);
    this.timed.push(timed ? 1 : 0);
    if (key !== "") this.keys.set(key, id);
    return id;
  }

  /** The node of a validated AST, shared with every identical condition already in the graph. */
  node(ast: SegmentAst): number {
    return this.builder.node(ast);
  }

  private group(op: "and" | "or", ids: number[]): number {
    const key = `${op}(${ids.join(",")})`;
    const hit = this.keys.get(key);
    if (hit !== undefined) return hit;
    const start = this.kids.length;
    for (const id of ids) this.kids.push(id);
    const needs = ids.map((id) => this.need.data[id] as number);
    const need =
      op === "and" ? (needs.find((n) => n >= 0) ?? -1) : needs.every((n) => n === needs[0]) ? (needs[0] as number) : -1;
    const timed = ids.some((id) => this.timed.data[id] === 1);
    return this.add(key, op === "and" ? AND : OR, start, this.kids.length, need, timed);
  }

  /** Whether node `id` can change with time alone. */
  isTimed(id: number): boolean {
    return this.timed.data[id] === 1;
  }

  /**
   * An evaluator over the graph as it is now (later nodes are not seen):
   * `run` evaluates `roots[k]` into `member[k]` for every k;
   * `targets[j]` is the member index the INCLUDE of `includeSlugs[j]` reads
   * (-1: not in the set, always false).
   */
  evaluator(member: Uint8Array, targets: Int32Array): Evaluator {
    // Locals, not fields: the recursive functions below run tens of thousands of times per profile.
    const kind = this.kind.data;
    const a = this.a.data;
    const b = this.b.data;
    const need = this.need.data;
    const timed = this.timed.data;
    const kids = this.kids.data;
    const leafFns = this.leafFns.slice();
    const leafBounds = this.leafBounds.slice();
    const res = new Uint8Array(this.kind.length);
    let s: State;
    let include: (at: number) => boolean;

    const ev = (id: number): boolean => {
      const r = res[id];
      if (r !== UNKNOWN) return r === YES;
      let v: boolean;
      switch (kind[id]) {
        case LEAF:
          v = (leafFns[a[id] as number] as Fn)(s);
          break;
        case AND: {
          v = true;
          const end = b[id] as number;
          for (let k = a[id] as number; k < end; k++)
            if (!ev(kids[k] as number)) {
              v = false;
              break;
            }
          break;
        }
        case OR: {
          v = false;
          const end = b[id] as number;
          for (let k = a[id] as number; k < end; k++)
            if (ev(kids[k] as number)) {
              v = true;
              break;
            }
          break;
        }
        case NOT:
          v = !ev(a[id] as number);
          break;
        default: {
          const at = targets[a[id] as number] as number;
          v = at >= 0 && include(at);
        }
      }
      res[id] = v ? YES : NO;
      return v;
    };

    const bound = (id: number): number => {
      if (timed[id] !== 1) return Infinity;
      switch (kind[id]) {
        case LEAF: {
          const f = leafBounds[a[id] as number];
          return f === undefined ? Infinity : f(s);
        }
        case NOT:
          return bound(a[id] as number);
        case AND:
        case OR: {
          // A time-independent child that already decides the group freezes it.
          const isAnd = kind[id] === AND;
          const start = a[id] as number;
          const end = b[id] as number;
          for (let k = start; k < end; k++) {
            const c = kids[k] as number;
            if (timed[c] !== 1 && ev(c) !== isAnd) return Infinity;
          }
          let best = Infinity;
          for (let k = start; k < end; k++) {
            const x = bound(kids[k] as number);
            if (x < best) best = x;
          }
          return best;
        }
        default:
          return Infinity;
      }
    };

    // Per evaluation: 1 once member[k] holds audience k's answer.
    const done = new Uint8Array(member.length);
    let rootIds: Int32Array = new Int32Array(0);
    const audience = (k: number): void => {
      const id = rootIds[k] as number;
      const g = need[id] as number;
      // An audience that needs an absent field is false without evaluating it.
      member[k] = (g < 0 || field(s, g) != null) && ev(id) ? 1 : 0;
      done[k] = 1;
    };
    include = (at: number): boolean => {
      if (done[at] === 0) audience(at);
      return member[at] === 1;
    };

    return {
      run(state: State, roots: Int32Array): void {
        s = state;
        rootIds = roots;
        res.fill(UNKNOWN);
        done.fill(0);
        for (let k = 0; k < roots.length; k++) if (done[k] === 0) audience(k);
      },
      bound(id: number): number {
        return bound(id);
      },
    };
  }
}

/** Evaluates a set's audiences over one graph snapshot. */
export interface Evaluator {
  /**
   * Evaluates every audience k (node `roots[k]`) into the member bytes; an
   * INCLUDEd audience is evaluated when first asked for (INCLUDEs form no
   * cycle), so any order of the roots is fine.
   */
  run(s: State, roots: Int32Array): void;
  /** The earliest boundary (epoch ms, or Infinity) of node `id`, after `run` on the same state. */
  bound(id: number): number;
}

/** Whether a leaf is false whenever its field is absent (all but `= null` and IN lists holding null). */
function absentIsFalse(ast: FieldLeaf): boolean {
  if (ast.op === "=") return ast.args[1].val !== null;
  if (ast.op === "in" || ast.op === "intersects") return !ast.args[1].args.some((x) => x.val === null);
  return true;
}
