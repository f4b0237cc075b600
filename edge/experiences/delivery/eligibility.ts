/**
 * Which experiences a visitor qualifies for, and with which variation —
 * what `/personalize` lists under `experiences` and SegmentHub
 * `/campaigns/query` answers as eligible campaigns. Same rules as the
 * browser loader applies to `config.js`:
 *
 * - the experience is published and now is within its start and end dates;
 * - the visitor is in at least one `targeting.include` audience (an empty
 *   list targets everyone) and in no `targeting.exclude` audience;
 * - the variation is the one the visitor was first assigned (`previous`,
 *   from the profile's `experiences_reached`) while it still has traffic,
 *   otherwise the deterministic bucket of their assignment key.
 *
 * A visitor in the control group is listed with `variation: "control"` and
 * `widget: null`: they qualify, and must be shown nothing.
 */
import { assignVariation, CONTROL } from "./assignment";
import { composeWidget, type DeliveryOptions, deliveryOrder } from "./compose";
import type { Assignment, EligibleExperience, Experience, Targeting } from "../contract";
import { isRunning } from "../model/lifecycle";
import { tacticSpec } from "../model/tactics";

/** What eligibility needs to know about the visitor. */
export interface Visitor {
  /** Assignment key: the profile's first `_uid` (the browser's `_uid` for a new visitor). */
  key: string;
  /** Audience slugs the visitor is in. */
  segments: Iterable<string>;
  /** Experience id → variation already assigned (profile field `experiences_reached`). */
  previous?: Readonly<Record<string, Assignment>>;
}

/** Does a visitor in `segments` match `targeting`? */
export function matchesTargeting(targeting: Targeting, segments: ReadonlySet<string>): boolean {
  if (targeting.exclude.some((s) => segments.has(s))) return false;
  return targeting.include.length === 0 || targeting.include.some((s) => segments.has(s));
}

/**
 * The experiences `visitor` qualifies for at `now`, in delivery order
 * (first publication, then id), each with its variation and widget.
 */
export function eligibleExperiences(
  experiences: Iterable<Experience>,
  visitor: Visitor,
  options: DeliveryOptions & { now: Date },
): EligibleExperience[] {
  const segments = new Set(visitor.segments);
  const out: EligibleExperience[] = [];
  const running = [...experiences]
    .filter((e) => isRunning(e, options.now) && matchesTargeting(e.targeting, segments))
    .sort(deliveryOrder);
  for (const e of running) {
    const variation = assignVariation(e, visitor.key, visitor.previous?.[e.id]);
    if (variation === undefined) continue;
    const chosen = e.variations.find((v) => v.id === variation);
    const widget = variation === CONTROL || !chosen ? null : composeWidget(e, chosen, options);
    out.push({
      id: e.id,
      name: e.name,
      tactic: e.tactic,
      type: tacticSpec(e.tactic).type,
      variation,
      widget: widget as EligibleExperience["widget"],
    });
  }
  return out;
}
