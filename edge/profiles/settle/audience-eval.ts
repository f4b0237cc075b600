import { compileAll, type AudienceSet, type SegmentAst } from "../../segmentql";
import type { AudienceDefinitions } from "../../accounts/audience-records";
import { scoreFieldsUsed } from "../fields/profile-activity";
import type { ScoreField } from "../scores";
import { type AffinityThresholds, affinityThresholdsUsed } from "../affinity/affinity-schedule";

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
}

const cache = new Map<string, CompiledAudiences>();

/**
 * The compiled audiences of an account at `version` or newer, shared by
 * every profile object of the isolate; `load` fetches the definitions
 * (from the account object) only when the cached version is older.
 */
export async function audienceSet(
  cid: string,
  version: number,
  load: () => Promise<AudienceDefinitions>,
): Promise<CompiledAudiences> {
  const hit = cache.get(cid);
  if (hit && hit.version >= version) return hit;
  const defs = await load();
  const fresh = {
    version: defs.version,
    set: compileDefinitions(defs),
    scoreFields: scoreFieldsUsed(defs),
    affinityThresholds: affinityThresholdsUsed(defs),
  };
  const again = cache.get(cid);
  if (!again || again.version <= fresh.version) cache.set(cid, fresh);
  if (cache.size > 1000) cache.delete(cache.keys().next().value!);
  return fresh;
}
