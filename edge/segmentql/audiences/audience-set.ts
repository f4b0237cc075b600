/**
 * All of an account's segments compiled together: shared field slots,
 * identical conditions (leaves and whole subtrees) evaluated once per
 * profile (audience-graph.ts), audiences whose required field is absent
 * skipped, INCLUDEs resolved in dependency order, and the next
 * time-relative boundary over every segment. `update` adds, replaces or
 * removes audiences compiling only the new ones.
 */
import { includes, type SegmentAst } from "../syntax/ast";
import { AudienceGraph } from "./audience-graph";
import type { Profile } from "../values/coerce";
import { SegmentQLError } from "../errors";
import { begin, createState } from "../compile/state";
import { validateAst } from "../syntax/validate";

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
  /**
   * A new set with `put` audiences added (at the end) or replaced (in
   * place) and `remove` slugs taken out, compiling only the audiences put:
   * the result evaluates exactly as `compileAll` of the resulting list.
   * Validates like compileAll (cycles included); this set stays usable.
   */
  update(changes: AudienceChanges): AudienceSet;
}

/** Audiences to add or replace, and slugs to remove. */
export interface AudienceChanges {
  put?: AudienceSource[];
  remove?: string[];
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

/** An audience as compileAll and update take it. */
export interface AudienceSource {
  slug: string;
  ast: SegmentAst;
}

/** Validates an audience's slug and AST, naming the audience in the error. */
function checked(seg: AudienceSource, where: string): SegmentAst {
  const slug = seg.slug;
  if (typeof slug !== "string" || slug.length === 0)
    throw new SegmentQLError(`${where}: slug must be a non-empty string`);
  try {
    return validateAst(seg.ast);
  } catch (e) {
    if (e instanceof SegmentQLError) throw new SegmentQLError(`segment ${JSON.stringify(slug)}: ${e.message}`);
    throw e;
  }
}

/**
 * Growth of the shared graph (nodes of replaced or removed audiences stay
 * in it) tolerated before an update recompiles from scratch: twice the
 * size of the last full compilation plus this many nodes.
 */
const SLACK = 10_000;

/**
 * A set over a shared, append-only graph: `roots[k]` is the node of
 * audience `slugs[k]` whose validated AST is `asts[k]`; `built` is the
 * graph's size after its last full compilation.
 */
function makeSet(
  graph: AudienceGraph,
  slugs: string[],
  asts: SegmentAst[],
  roots: number[],
  built: number,
): AudienceSet {
  const n = slugs.length;
  const index = new Map<string, number>();
  for (let k = 0; k < n; k++) index.set(slugs[k] as string, k);

  const graphDeps: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const deps: number[][] = [];
  for (let k = 0; k < n; k++) {
    const inc = includes(asts[k] as SegmentAst).filter((x) => index.has(x));
    graphDeps[slugs[k] as string] = inc;
    deps.push(inc.map((x) => index.get(x) as number));
  }
  const cycle = detectCycle(graphDeps);
  if (cycle !== null) throw new SegmentQLError(`INCLUDE cycle: ${cycle.join(" -> ")}`);
  const order = Int32Array.from(topoOrder(deps));
  const rootIds = Int32Array.from(roots);
  const timed = roots.filter((r) => graph.isTimed(r));

  const targets = new Int32Array(graph.includeSlugs.length);
  for (let j = 0; j < targets.length; j++) targets[j] = index.get(graph.includeSlugs[j] as string) ?? -1;
  const state = createState(graph.fields, 0, n);
  const member = state.member;
  const evaluator = graph.evaluator(member, targets);

  const run = (profile: Profile, now: number): void => {
    begin(state, profile, now, undefined);
    evaluator.run(state, rootIds, order);
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
      for (const r of timed) {
        const x = evaluator.bound(r);
        if (x < best) best = x;
      }
      return best === Infinity ? null : best;
    },
    update(changes: AudienceChanges): AudienceSet {
      const put = changes.put ?? [];
      const gone = new Set(changes.remove ?? []);
      const replaced = new Map<string, SegmentAst>();
      for (let k = 0; k < put.length; k++) {
        const seg = put[k] as AudienceSource;
        const ast = checked(seg, `put[${k}]`);
        if (replaced.has(seg.slug)) throw new SegmentQLError(`put[${k}]: duplicate slug ${JSON.stringify(seg.slug)}`);
        replaced.set(seg.slug, ast);
      }
      const rebuild = graph.size > 2 * built + SLACK;
      const g = rebuild ? new AudienceGraph() : graph;
      const nextSlugs: string[] = [];
      const nextAsts: SegmentAst[] = [];
      const nextRoots: number[] = [];
      for (let k = 0; k < n; k++) {
        const slug = slugs[k] as string;
        if (gone.has(slug) && !replaced.has(slug)) continue;
        const ast = replaced.get(slug);
        replaced.delete(slug);
        nextSlugs.push(slug);
        nextAsts.push(ast ?? (asts[k] as SegmentAst));
        nextRoots.push(ast !== undefined || rebuild ? g.node(ast ?? (asts[k] as SegmentAst)) : (roots[k] as number));
      }
      for (const [slug, ast] of replaced) {
        nextSlugs.push(slug);
        nextAsts.push(ast);
        nextRoots.push(g.node(ast));
      }
      return makeSet(g, nextSlugs, nextAsts, nextRoots, rebuild ? g.size : built);
    },
  };
}

/**
 * Compiles every segment of an account. Validates each AST, rejects empty
 * or duplicate slugs and INCLUDE cycles (SegmentQLError naming the cycle).
 */
export function compileAll(segments: AudienceSource[]): AudienceSet {
  const graph = new AudienceGraph();
  const slugs: string[] = [];
  const asts: SegmentAst[] = [];
  const roots: number[] = [];
  const seen = new Set<string>();
  for (let k = 0; k < segments.length; k++) {
    const seg = segments[k] as AudienceSource;
    const ast = checked(seg, `segments[${k}]`);
    if (seen.has(seg.slug)) throw new SegmentQLError(`segments[${k}]: duplicate slug ${JSON.stringify(seg.slug)}`);
    seen.add(seg.slug);
    slugs.push(seg.slug);
    asts.push(ast);
    roots.push(graph.node(ast));
  }
  return makeSet(graph, slugs, asts, roots, graph.size);
}
