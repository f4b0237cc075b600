import { compileAll, type AudienceSet, type SegmentAst } from "../../segmentql";
import type { AudienceDefinitions, AudienceDelta } from "../../accounts/records/audience-records";
import type { ScoreField } from "../scores";
import type { AffinityThresholds } from "../affinity/affinity-schedule";
import { AudienceNeeds } from "./audience-needs";

/** Profile field listing audiences a person was assigned to by hand (SegmentHub API). */
export const ASSIGNED_FIELD = "_segments_assigned";
/** Profile field listing audiences a person was removed from by hand. */
export const REMOVED_FIELD = "_segments_removed";

const eq = (field: string, slug: string): SegmentAst => ({ op: "=", args: [{ ident: field }, { val: slug }] });

/**
 * The ast a profile is evaluated against: a manual audience holds exactly
 * the people assigned to it; a rule audience also holds people assigned by
 * hand, and never those removed by hand.
 */
export function effectiveAst(slug: string, kind: "rule" | "manual", ast: SegmentAst | null): SegmentAst {
  const assigned = eq(ASSIGNED_FIELD, slug);
  const base: SegmentAst = kind === "manual" || !ast ? assigned : { op: "or", args: [ast, assigned] };
  return { op: "and", args: [{ op: "not", args: [eq(REMOVED_FIELD, slug)] }, base] };
}

/** Compiles an account's audiences for evaluation against profiles. */
export function compileDefinitions(defs: AudienceDefinitions): AudienceSet {
  return compileAll(defs.segments.map((s) => ({ slug: s.slug, ast: effectiveAst(s.slug, s.kind, s.ast) })));
}

/** An account's compiled audiences, the `score_*` fields and the `topic_affinity` thresholds they read. */
export interface CompiledAudiences {
  version: number;
  set: AudienceSet;
  scoreFields: ScoreField[];
  affinityThresholds: AffinityThresholds;
  /** What the audiences need beyond profile fields, kept up to date per changed audience. */
  needs: AudienceNeeds;
}

const cache = new Map<string, CompiledAudiences>();

function compiled(version: number, set: AudienceSet, needs: AudienceNeeds): CompiledAudiences {
  return { version, set, needs, scoreFields: needs.scoreFields, affinityThresholds: needs.affinityThresholds };
}

/**
 * `hit` brought to the delta's version by compiling only the audiences it
 * changed and walking only those for their needs; null if it cannot apply.
 */
function applyDelta(hit: CompiledAudiences, delta: AudienceDelta): CompiledAudiences | null {
  try {
    const put = delta.put.map((s) => ({ slug: s.slug, ast: effectiveAst(s.slug, s.kind, s.ast) }));
    const set = hit.set.update({ put, remove: delta.remove });
    const before: SegmentAst[] = [];
    for (const slug of new Set([...delta.remove, ...put.map((s) => s.slug)])) {
      const ast = hit.set.astOf(slug);
      if (ast) before.push(ast);
    }
    return compiled(
      delta.version,
      set,
      hit.needs.update(
        before,
        put.map((s) => s.ast),
      ),
    );
  } catch {
    return null;
  }
}

/**
 * The compiled audiences of an account at `version` or newer, shared by
 * every profile object of the isolate. When the cached set is older, it
 * asks `loadSince` for the changes after its version and compiles only
 * those; `load` fetches every definition (from the account object) when
 * nothing is cached or the changes are not available.
 */
export async function audienceSet(
  cid: string,
  version: number,
  load: () => Promise<AudienceDefinitions>,
  loadSince?: (since: number) => Promise<AudienceDelta | null>,
): Promise<CompiledAudiences> {
  const hit = cache.get(cid);
  if (hit && hit.version >= version) return hit;
  let fresh: CompiledAudiences | null = null;
  if (hit && loadSince) {
    const delta = await loadSince(hit.version);
    if (delta) fresh = applyDelta(hit, delta);
  }
  if (!fresh) {
    const defs = await load();
    const set = compileDefinitions(defs);
    fresh = compiled(defs.version, set, AudienceNeeds.of(set.slugs.map((slug) => set.astOf(slug) as SegmentAst)));
  }
  const again = cache.get(cid);
  if (!again || again.version <= fresh.version) cache.set(cid, fresh);
  if (cache.size > 1000) cache.delete(cache.keys().next().value!);
  return fresh;
}
