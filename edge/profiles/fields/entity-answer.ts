import type { FieldValue } from "../../../types/wire";
import { CONTENT_FIELDS } from "../affinity/content-views";
import type { FieldOptions, ProfileEntity } from "../contract";
import { SCORE_FIELDS } from "../scores";
import type { ProfileStores } from "../storage/profile-stores";
import { buildView } from "./profile-view";

/**
 * Fields computed from the clock at the time of reading (behavioral scores,
 * content affinities): they change with no write, so an answer holding one
 * is never kept.
 */
const CLOCK_FIELDS: ReadonlySet<string> = new Set([...SCORE_FIELDS, ...CONTENT_FIELDS]);

/**
 * A profile object's `/personalize` answer (`_uids`, the asked-for fields,
 * the audiences), kept in memory from one read to the next until the
 * profile changes: a repeated read is then one RPC answering a small object,
 * with no view built. The profile object forgets it on every write
 * ({@link invalidate}, before and after) and keeps nothing built while a
 * write is under way (a write that awaits lets reads in).
 */
export class EntityAnswers {
  private kept: { key: string; answer: ProfileEntity } | null = null;

  /** Forgets the kept answer: the profile changed, or is changing. */
  invalidate(): void {
    this.kept = null;
  }

  /**
   * The answer for `options` and `fields`: the kept one when it was built
   * for the same field settings and fields, else a new one (kept when
   * `keep` and no field in it moves with the clock).
   */
  get(s: ProfileStores, options: FieldOptions, fields: readonly string[], keep: boolean): ProfileEntity {
    const key = JSON.stringify([options.fields ?? {}, fields]);
    if (this.kept?.key === key) return this.kept.answer;
    const view = buildView(s, options, new Set(fields));
    const picked: Record<string, FieldValue> = { _uids: view.fields._uids ?? [] };
    for (const name of fields) if (view.fields[name] !== undefined) picked[name] = view.fields[name]!;
    const answer: ProfileEntity = { id: view.id, fields: picked, segments: s.membership.current() };
    if (keep && !fields.some((f) => CLOCK_FIELDS.has(f))) this.kept = { key, answer };
    return answer;
  }
}
