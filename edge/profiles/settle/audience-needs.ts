/**
 * What an account's audiences need of a profile beyond its fields: the
 * `score_*` fields they read and the `topic_affinity` levels their tests
 * change at (so a profile's alarm wakes for them). Kept as counts of the
 * audiences needing each score field and each (topic, level), so a change
 * of a few audiences updates it by walking only those audiences, whatever
 * the account's size. Immutable: `update` returns a new value.
 */
import type { SegmentAst } from "../../segmentql";
import { type AffinityThresholds, collectAffinityLevels } from "../affinity/affinity-schedule";
import { collectScoreIdents } from "../fields/profile-activity";
import { SCORE_FIELDS, type ScoreField } from "../scores";

export class AudienceNeeds {
  private scoreList: ScoreField[] | null = null;
  private thresholdMap: AffinityThresholds | null = null;

  private constructor(
    /** Score field -> number of audiences reading it (only positive counts). */
    private readonly scores: Map<ScoreField, number>,
    /** Topic -> level -> number of audiences whose tests change at it (only positive counts). */
    private readonly levels: Map<string, Map<number, number>>,
  ) {}

  /** The needs of these audiences (their ASTs as evaluated). */
  static of(asts: Iterable<SegmentAst>): AudienceNeeds {
    return new AudienceNeeds(new Map(), new Map()).update([], asts);
  }

  /**
   * The needs once the audiences of ASTs `before` are taken out and those of
   * `after` put in (a replaced audience is in both). Copies only the counts,
   * whose size depends on the distinct fields and levels, not on the number
   * of audiences.
   */
  update(before: Iterable<SegmentAst>, after: Iterable<SegmentAst>): AudienceNeeds {
    const scores = new Map(this.scores);
    const levels = new Map<string, Map<number, number>>();
    for (const [topic, m] of this.levels) levels.set(topic, new Map(m));
    const apply = (ast: SegmentAst, by: 1 | -1): void => {
      const used = new Set<ScoreField>();
      collectScoreIdents(ast, used);
      for (const f of used) bump(scores, f, by);
      const found = new Map<string, Set<number>>();
      collectAffinityLevels(ast, found);
      for (const [topic, set] of found) {
        let m = levels.get(topic);
        if (!m) levels.set(topic, (m = new Map()));
        for (const level of set) bump(m, level, by);
        if (m.size === 0) levels.delete(topic);
      }
    };
    for (const ast of before) apply(ast, -1);
    for (const ast of after) apply(ast, 1);
    return new AudienceNeeds(scores, levels);
  }

  /** The `score_*` fields some audience reads, in {@link SCORE_FIELDS} order. */
  get scoreFields(): ScoreField[] {
    this.scoreList ??= SCORE_FIELDS.filter((f) => this.scores.has(f));
    return this.scoreList;
  }

  /** The levels at which some audience's test of a `topic_affinity.<topic>` field changes. */
  get affinityThresholds(): AffinityThresholds {
    if (this.thresholdMap === null) {
      const out: AffinityThresholds = {};
      for (const [topic, m] of this.levels) out[topic] = [...m.keys()].sort((a, b) => a - b);
      this.thresholdMap = out;
    }
    return this.thresholdMap;
  }
}

/** Adds `by` to the count of `key`, dropping it at zero. */
function bump<K>(counts: Map<K, number>, key: K, by: 1 | -1): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
