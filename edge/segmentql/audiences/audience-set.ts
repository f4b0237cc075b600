/**
 * All of an account's segments compiled together: shared field slots,
 * identical conditions (leaves and whole subtrees) evaluated once per
 * profile (audience-graph.ts), audiences whose required field is absent
 * skipped, an INCLUDEd audience evaluated when first asked for, and the
 * next time-relative boundary over every segment. `update` adds, replaces
 * or removes audiences compiling only the new ones and checking INCLUDE
 * cycles only where the change reaches.
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
   * evaluation (an INCLUDEd segment is evaluated first); an INCLUDE of a slug
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
   * `evaluate` and `nextBoundary` of the same profile at the same `now`
   * from one evaluation (each of them alone evaluates every segment).
   */
  evaluateWithBoundary(profile: Profile, now: number): { members: string[]; boundary: number | null };
  /**
   * A new set with `put` audiences added (at the end) or replaced (in
   * place) and `remove` slugs taken out, compiling only the audiences put:
   * the result evaluates exactly as `compileAll` of the resulting list.
   * Validates like compileAll (cycles included); this set stays usable.
   */
  update(changes: AudienceChanges): AudienceSet;
  /** The validated AST of audience `slug` in this set, or undefined. */
  astOf(slug: string): SegmentAst | undefined;
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
 * audience `slugs[k]` whose validated AST is `asts[k]` and whose INCLUDEd
 * slugs are `incs[k]`; `built` is the graph's size after its last full
 * compilation. `checkFrom` names the audiences an INCLUDE cycle must pass
 * through if there is one (every audience for a full compilation; the
 * audiences put by an update, since a cycle needs a changed edge and every
 * new edge starts or ends at one of them), so an update walks only what
 * they reach.
 */
/**
 * What an additions-only update reuses of the set it extends: its slug
 * index (a map that may also hold the extension's slugs, at positions from
 * `n` on), its timed roots and what its INCLUDEs read, so the update's cost
 * grows less with the audiences already there.
 */
interface Extended {
  index: Map<string, number>;
  n: number;
  timed: number[];
  /** What each INCLUDE of the graph (as it was then) reads, and those reading no audience. */
  targets: Int32Array;
  unresolved: number[];
}

function makeSet(
  graph: AudienceGraph,
  slugs: string[],
  asts: SegmentAst[],
  incs: string[][],
  roots: number[],
  built: number,
  checkFrom: Iterable<string> | null,
  extended: Extended | null = null,
): AudienceSet {
  const n = slugs.length;
  // Shared with the one set that extends this one, if any: positions from `n` on are that set's, not this one's.
  const index = extended ? extended.index : new Map<string, number>();
  for (let k = extended ? extended.n : 0; k < n; k++) index.set(slugs[k] as string, k);
  const at = (slug: string): number | undefined => {
    const k = index.get(slug);
    return k !== undefined && k < n ? k : undefined;
  };
  const has = (slug: string): boolean => at(slug) !== undefined;
  /** Whether an additions-only update already took this set's index (a second one builds its own). */
  let indexLent = false;

  const graphDeps: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  if (checkFrom === null) for (let k = 0; k < n; k++) graphDeps[slugs[k] as string] = (incs[k] as string[]).filter(has);
  const pending = checkFrom === null ? [] : [...checkFrom];
  while (pending.length > 0) {
    const slug = pending.pop() as string;
    if (hasOwn.call(graphDeps, slug)) continue;
    const k = at(slug);
    if (k === undefined) continue;
    const inc = (incs[k] as string[]).filter(has);
    graphDeps[slug] = inc;
    for (const x of inc) pending.push(x);
  }
  const cycle = detectCycle(graphDeps);
  if (cycle !== null) throw new SegmentQLError(`INCLUDE cycle: ${cycle.join(" -> ")}`);
  const rootIds = Int32Array.from(roots);
  const timed = extended ? extended.timed.slice() : [];
  for (let k = extended ? extended.n : 0; k < n; k++)
    if (graph.isTimed(roots[k] as number)) timed.push(roots[k] as number);

  // What each INCLUDE reads. An extension keeps the set's answers (its audiences keep their positions) and
  // looks up only the INCLUDEs new to the graph and those that named no audience of the set.
  const targets = new Int32Array(graph.includeSlugs.length);
  const unresolved: number[] = [];
  const resolve = (j: number): void => {
    const k = at(graph.includeSlugs[j] as string);
    targets[j] = k ?? -1;
    if (k === undefined) unresolved.push(j);
  };
  if (extended) {
    targets.set(extended.targets);
    for (const j of extended.unresolved) resolve(j);
  }
  for (let j = extended ? extended.targets.length : 0; j < targets.length; j++) resolve(j);
  const state = createState(graph.fields, 0, n);
  const member = state.member;
  const evaluator = graph.evaluator(member, targets);

  const run = (profile: Profile, now: number): void => {
    begin(state, profile, now, undefined);
    evaluator.run(state, rootIds);
  };

  /** The members of the last run. */
  const members = (): string[] => {
    const out: string[] = [];
    for (let k = 0; k < n; k++) if (member[k] === 1) out.push(slugs[k] as string);
    return out;
  };
  /** The next boundary of the last run. */
  const boundary = (): number | null => {
    let best = Infinity;
    for (const r of timed) {
      const x = evaluator.bound(r);
      if (x < best) best = x;
    }
    return best === Infinity ? null : best;
  };

  return {
    slugs,
    evaluate(profile: Profile, now: number): string[] {
      run(profile, now);
      return members();
    },
    nextBoundary(profile: Profile, now: number): number | null {
      run(profile, now);
      return boundary();
    },
    evaluateWithBoundary(profile: Profile, now: number): { members: string[]; boundary: number | null } {
      run(profile, now);
      return { members: members(), boundary: boundary() };
    },
    astOf(slug: string): SegmentAst | undefined {
      const k = at(slug);
      return k === undefined ? undefined : asts[k];
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
      let nextSlugs: string[];
      let nextAsts: SegmentAst[];
      let nextIncs: string[][];
      let nextRoots: number[];
      let fresh = replaced;
      let extend: Extended | null = null;
      if (gone.size === 0 && !rebuild && [...replaced.keys()].every((slug) => !has(slug))) {
        // Only additions (the common case): copy the arrays, touch nothing else.
        nextSlugs = slugs.slice();
        nextAsts = asts.slice();
        nextIncs = incs.slice();
        nextRoots = roots.slice();
        if (!indexLent) {
          indexLent = true;
          extend = { index, n, timed, targets, unresolved };
        }
      } else {
        fresh = new Map(replaced);
        nextSlugs = [];
        nextAsts = [];
        nextIncs = [];
        nextRoots = [];
        for (let k = 0; k < n; k++) {
          const slug = slugs[k] as string;
          if (gone.has(slug) && !replaced.has(slug)) continue;
          const ast = fresh.get(slug);
          fresh.delete(slug);
          nextSlugs.push(slug);
          nextAsts.push(ast ?? (asts[k] as SegmentAst));
          nextIncs.push(ast === undefined ? (incs[k] as string[]) : includes(ast));
          nextRoots.push(ast !== undefined || rebuild ? g.node(ast ?? (asts[k] as SegmentAst)) : (roots[k] as number));
        }
      }
      for (const [slug, ast] of fresh) {
        nextSlugs.push(slug);
        nextAsts.push(ast);
        nextIncs.push(includes(ast));
        nextRoots.push(g.node(ast));
      }
      return makeSet(g, nextSlugs, nextAsts, nextIncs, nextRoots, rebuild ? g.size : built, replaced.keys(), extend);
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
  const incs: string[][] = [];
  const roots: number[] = [];
  const seen = new Set<string>();
  for (let k = 0; k < segments.length; k++) {
    const seg = segments[k] as AudienceSource;
    const ast = checked(seg, `segments[${k}]`);
    if (seen.has(seg.slug)) throw new SegmentQLError(`segments[${k}]: duplicate slug ${JSON.stringify(seg.slug)}`);
    seen.add(seg.slug);
    slugs.push(seg.slug);
    asts.push(ast);
    incs.push(includes(ast));
    roots.push(graph.node(ast));
  }
  return makeSet(graph, slugs, asts, incs, roots, graph.size, null);
}
