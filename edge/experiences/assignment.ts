/**
 * Sticky, deterministic variation assignment.
 *
 * A visitor's variation of an experience is decided by a 32-bit hash of
 * `experienceId + ":" + key`, where `key` is the profile's assignment key
 * (its first `_uid`; for a new visitor, the `_uid` cookie the browser
 * holds). The edge (`/personalize`, SegmentHub) and the browser loader
 * compute the same thing, so they agree without storage; the edge also
 * keeps the first assignment in the profile (`experiences_reached`) and
 * passes it back as `previous`, so a visitor keeps their variation when the
 * split is later changed, and a known visitor keeps it after clearing
 * cookies and localStorage.
 *
 * The hash is FNV-1a 32-bit over the UTF-16 code units of the string,
 * finished with MurmurHash3's `fmix32` avalanche (FNV-1a alone leaves ids
 * that differ in their last character in neighbouring buckets). It is a
 * dozen lines in any JavaScript runtime and needs no Web Crypto:
 *
 * ```js
 * function bucket(s) {
 *   for (var h = 0x811c9dc5, i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
 *   h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
 *   h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
 *   return ((h ^ (h >>> 16)) >>> 0) % 10000;
 * }
 * ```
 *
 * The bucket (0–9,999, basis points) is walked over the variations'
 * weights in their order, then the control group's weight. Not a
 * cryptographic hash: a visitor who forges `_uid` can pick a variation,
 * which only changes what they themselves see.
 */
import type { Assignment } from "./contract";

/** Basis points in 100%. */
export const BUCKETS = 10_000;

// The hash and the control key are shared with the profile side of reporting.
import { CONTROL, hash32 } from "../profiles/experiences/report-model";
export { CONTROL, hash32 };

/** The visitor's bucket (0–9,999) for an experience. */
export function bucketOf(experienceId: string, key: string): number {
  return hash32(experienceId + ":" + key) % BUCKETS;
}

/** Percentages (two decimals) → basis points. */
export function toWeight(share: number): number {
  return Math.round(share * 100);
}

/** A weighted arm: a variation id or `control`. */
export interface Arm {
  id: string;
  /** Basis points. */
  weight: number;
}

/**
 * The arm that owns `bucket` when the arms' weights are laid out in order
 * from 0; buckets past the total (weights summing below 10,000) fall to the
 * last arm with weight. Undefined when every weight is 0.
 */
export function armOf(arms: readonly Arm[], bucket: number): string | undefined {
  let edge = 0;
  let last: string | undefined;
  for (const arm of arms) {
    if (arm.weight <= 0) continue;
    edge += arm.weight;
    last = arm.id;
    if (bucket < edge) return arm.id;
  }
  return last;
}

/** What assignment needs to know about an experience. */
export interface Splittable {
  id: string;
  variations: readonly { id: string; share: number }[];
  control_share: number;
}

/** The arms of an experience: its variations, then the control group. */
export function armsOf(experience: Splittable): Arm[] {
  const arms = experience.variations.map((v) => ({ id: v.id, weight: toWeight(v.share) }));
  if (experience.control_share > 0) arms.push({ id: CONTROL, weight: toWeight(experience.control_share) });
  return arms;
}

/**
 * The visitor's variation (or `control`): `previous` when it still names an
 * arm with traffic (decided once), otherwise the arm of the visitor's
 * bucket. Undefined only when no arm has traffic.
 */
export function assignVariation(
  experience: Splittable,
  key: string,
  previous?: Assignment | undefined,
): Assignment | undefined {
  const arms = armsOf(experience);
  if (previous !== undefined && arms.some((a) => a.id === previous && a.weight > 0)) return previous;
  return armOf(arms, bucketOf(experience.id, key));
}
