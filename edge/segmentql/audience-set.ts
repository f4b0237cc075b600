/**
 * All of an account's segments compiled together: shared field slots and
 * memoised identical conditions, INCLUDEs resolved in dependency order,
 * and the next time-relative boundary over every segment.
 */
import { includes, type SegmentAst } from "./ast";
import type { Profile } from "./coerce";
import { Compiler, forEachLeaf, leafKey, type CompiledNode } from "./compile";
import { SegmentQLError } from "./errors";
import type { Fn } from "./leaves";
import { begin, createState, type State } from "./state";
import { validateAst } from "./validate";

/** The compiled audiences of an account. */
export interface AudienceSet {
  /** Slugs in the order given to compileAll. */
  readonly slugs: readonly string[];
  /**
   * Slugs of every segment the profile matches at `now` (epoch ms), in the
   * order given to compileAll. INCLUDEs see the results of this same
   * evaluation (segments run in topological order); an INCLUDE of a slug
   * that is not in the set is false.
   */
  evaluate(profile: Profile, now: number): string[];
  /**
   * The earliest epoch ms after `now` at which some segment's result could
   * change without a new event (a relative-time condition crossing its
   * boundary, e.g. `last_visit > "now-7d"` at last_visit + 7d), or null.
   * Exact to the millisecond: `evaluate` at the returned instant already
   * sees the new side of the boundary.
   */
  nextBoundary(profile: Profile, now: number): number | null;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Finds a cycle in a dependency graph (`slug -> slugs it INCLUDEs`).
 * Names that are not keys of the graph have no edges.
 *
 * @returns the cycle as a path that starts and ends with the same slug
 * (`["a", "b", "a"]`; a self-INCLUDE is `["a", "a"]`), or null.
 */
export function detectCycle(graph: Record<string, string[]>): string[] | null {
  const state = new Map<string, 1 | 2>(); // 1 on the current path, 2 done
  const edgesOf = (n: string): string[] => {
    const e = hasOwn.call(graph, n) ? graph[n] : undefined;
    return Array.isArray(e) ? e : [];
  };
  for (const start of Object.keys(graph)) {
    if (state.has(start)) continue;
    const path: string[] = [start];
    const next: number[] = [0];
    state.set(start, 1);
    while (path.length > 0) {
      const top = path.length - 1;
      const node = path[top] as string;
      const edges = edgesOf(node);
      const k = next[top] as number;
      if (k < edges.length) {
        next[top] = k + 1;
        const to = edges[k] as string;
        const st = state.get(to);
        if (st === 1) return [...path.slice(path.indexOf(to)), to];
        if (st === undefined && hasOwn.call(graph, to)) {
          state.set(to, 1);
          path.push(to);
          next.push(0);
        }
      } else {
        state.set(node, 2);
        path.pop();
        next.pop();
      }
    }
  }
  return null;
}

/** Indices of `deps` (acyclic) so that every segment comes after the ones it INCLUDEs. */
function topoOrder(deps: number[][]): number[] {
  const order: number[] = [];
  const done = new Uint8Array(deps.length);
  for (let root = 0; root < deps.length; root++) {
    if (done[root]) continue;
    const stack: number[] = [root];
    const next: number[] = [0];
    done[root] = 1;
    while (stack.length > 0) {
      const top = stack.length - 1;
      const node = stack[top] as number;
      const edges = deps[node] as number[];
      const k = next[top] as number;
      if (k < edges.length) {
        next[top] = k + 1;
        const to = edges[k] as number;
        if (!done[to]) {
          done[to] = 1;
          stack.push(to);
          next.push(0);
        }
      } else {
        order.push(node);
        stack.pop();
        next.pop();
      }
    }
  }
  return order;
}

/**
 * Compiles every segment of an account. Validates each AST, rejects empty
 * or duplicate slugs and INCLUDE cycles (SegmentQLError naming the cycle).
 */
export function compileAll(segments: { slug: string; ast: SegmentAst }[]): AudienceSet {
  const n = segments.length;
  const slugs: string[] = [];
  const index = new Map<string, number>();
  const asts: SegmentAst[] = [];
  for (let k = 0; k < n; k++) {
    const seg = segments[k] as { slug: string; ast: SegmentAst };
    const slug = seg.slug;
    if (typeof slug !== "string" || slug.length === 0)
      throw new SegmentQLError(`segments[${k}]: slug must be a non-empty string`);
    if (index.has(slug)) throw new SegmentQLError(`segments[${k}]: duplicate slug ${JSON.stringify(slug)}`);
    try {
      asts.push(validateAst(seg.ast));
    } catch (e) {
      if (e instanceof SegmentQLError) throw new SegmentQLError(`segment ${JSON.stringify(slug)}: ${e.message}`);
      throw e;
    }
    index.set(slug, k);
    slugs.push(slug);
  }

  const graph: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const deps: number[][] = [];
  for (let k = 0; k < n; k++) {
    const inc = includes(asts[k] as SegmentAst).filter((x) => index.has(x));
    graph[slugs[k] as string] = inc;
    deps.push(inc.map((x) => index.get(x) as number));
  }
  const cycle = detectCycle(graph);
  if (cycle !== null) throw new SegmentQLError(`INCLUDE cycle: ${cycle.join(" -> ")}`);
  const order = topoOrder(deps);

  // Conditions that appear more than once are evaluated once per evaluation.
  const counts = new Map<string, number>();
  for (const ast of asts)
    forEachLeaf(ast, (leaf) => {
      const key = leafKey(leaf);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    });
  const shared = new Set<string>();
  for (const [key, c] of counts) if (c > 1) shared.add(key);

  const FALSE: Fn = () => false;
  const compiler = new Compiler((slug) => {
    const at = index.get(slug);
    return at === undefined ? FALSE : (s) => s.member[at] === 1;
  }, shared);
  const nodes: CompiledNode[] = asts.map((a) => compiler.node(a));
  const fns = order.map((k) => (nodes[k] as CompiledNode).fn);
  const timed = nodes.filter((x) => x.td && x.bound !== undefined).map((x) => x.bound as (s: State) => number);
  const state = createState(compiler.fields, compiler.memoCount, n);
  const member = state.member;

  const run = (profile: Profile, now: number): void => {
    begin(state, profile, now, undefined);
    for (let j = 0; j < order.length; j++) member[order[j] as number] = (fns[j] as Fn)(state) ? 1 : 0;
  };

  return {
    slugs,
    evaluate(profile: Profile, now: number): string[] {
      run(profile, now);
      const out: string[] = [];
      for (let k = 0; k < n; k++) if (member[k] === 1) out.push(slugs[k] as string);
      return out;
    },
    nextBoundary(profile: Profile, now: number): number | null {
      run(profile, now);
      let best = Infinity;
      for (const b of timed) {
        const x = b(state);
        if (x < best) best = x;
      }
      return best === Infinity ? null : best;
    },
  };
}
