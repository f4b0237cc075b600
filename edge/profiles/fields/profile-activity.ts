/**
 * # Behavioral scores in the profile object
 *
 * The glue between the pure score core (`./scores`) and the profile object:
 * which time an event counts at, which score fields an account's audiences
 * read (so a profile's alarm wakes only for scores somebody uses), and the
 * stored activity state read back safely.
 */
import type { FieldValue } from "../../../types/wire";
import type { AudienceDefinitions } from "../../accounts/records/audience-records";
import type { SegmentAst } from "../../segmentql";
import {
  type ActivityState,
  computeScores,
  emptyActivity,
  parseActivity,
  SCORE_FIELDS,
  type ScoreField,
} from "../scores";

const isScoreField = (name: string): name is ScoreField => (SCORE_FIELDS as readonly string[]).includes(name);

/** Adds to `into` the `score_*` fields `ast` reads. */
export function collectScoreIdents(ast: SegmentAst, into: Set<ScoreField>): void {
  if (ast.op === "and" || ast.op === "or") for (const a of ast.args) collectScoreIdents(a, into);
  else if (ast.op === "not") collectScoreIdents(ast.args[0], into);
  else if (ast.op !== "include") {
    const ident = (ast.args[0] as { ident?: unknown }).ident;
    if (typeof ident === "string" && isScoreField(ident)) into.add(ident);
  }
}

/** The `score_*` fields any of an account's audiences reads, in {@link SCORE_FIELDS} order. */
export function scoreFieldsUsed(defs: AudienceDefinitions): ScoreField[] {
  const used = new Set<ScoreField>();
  for (const s of defs.segments) if (s.ast) collectScoreIdents(s.ast, used);
  return SCORE_FIELDS.filter((f) => used.has(f));
}

/**
 * A stored activity state (its JSON text, or null before the first event).
 * A damaged value is reported and replaced by an empty state rather than
 * scored, so one bad row cannot break the profile's ingest.
 */
export function readActivity(json: string | null): ActivityState {
  if (json === null) return emptyActivity();
  try {
    return parseActivity(JSON.parse(json));
  } catch (err) {
    console.error("profile activity state unreadable; starting afresh", err);
    return emptyActivity();
  }
}

/** The seven `score_*` fields at `now` (none before the first event). */
export function scoreFieldValues(state: ActivityState, now: number): Record<string, FieldValue> {
  return { ...(computeScores(state, now) ?? {}) };
}
