import type { CollectEvent } from "../../../types/wire";
import type { Env } from "../../platform/env";
import { IsolateCache } from "../../platform/isolate-cache";
import { stubOf } from "../../platform/stub";
import { emptyProfileState, profileFields } from "./fold";
import { foldEvent } from "./fold";
import {
  type ExperienceSummary,
  type ExperienceSummarySource,
  experienceStoreName,
  type ProfileExperienceState,
  type ReportDelta,
  type ReportShardSink,
  reportShardName,
  reportShardOf,
  type TrackingEvent,
  widgetEventOf,
} from "./report-model";

// Storage in the profile object.

const SCHEMA = `
CREATE TABLE IF NOT EXISTS xp_state (k INTEGER PRIMARY KEY CHECK (k = 0), body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS xp_outbox (id TEXT PRIMARY KEY, shard TEXT NOT NULL, body TEXT NOT NULL);
`;

/** Experience summaries by account, per isolate (an unknown id triggers one refresh). */
const SUMMARIES = new IsolateCache<Record<string, ExperienceSummary>>(30_000, 1_000);

/** Does the event carry a widget tracking field? (cheap pre-check before any lookup) */
const isWidgetEvent = (e: CollectEvent) => typeof e["pf-widget-id"] === "string";

/**
 * The experience state of one profile, in the profile object's SQLite
 * storage: the state row and the outbox of deltas owed to report shards.
 * Profiles that never meet an experience pay one cheap check per event.
 */
export class ExperienceFold {
  private state: ProfileExperienceState | null = null;
  /** Whether the outbox may hold deltas (null: unknown, ask storage); most profiles never have any. */
  private waiting: boolean | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly env: Env,
  ) {
    sql.exec(SCHEMA);
  }

  /** The stored state (empty when the profile met no experience). */
  current(): ProfileExperienceState {
    if (!this.state) {
      const row = this.sql.exec<{ body: string }>("SELECT body FROM xp_state WHERE k = 0").toArray()[0];
      this.state = row ? (JSON.parse(row.body) as ProfileExperienceState) : emptyProfileState();
    }
    return this.state;
  }

  /** The profile fields `experiences_reached` / `experiences_converted` (none until an experience is met). */
  fields(): Record<string, string[]> {
    const s = this.current();
    if (!Object.keys(s.reached).length && !Object.keys(s.converted).length) return {};
    return profileFields(s);
  }

  /**
   * Folds accepted events (widget events and, once a profile has reached
   * an experience, goal events), stores the new state and queues the
   * deltas. Call `flush` afterwards.
   */
  async fold(cid: string, profileKey: string, events: readonly CollectEvent[], now: number): Promise<void> {
    const reachedSome = Object.keys(this.current().reached).length > 0;
    const relevant = events.filter((e) => isWidgetEvent(e) || (reachedSome && typeof e._e === "string"));
    if (!relevant.length) return;
    const lookup = await this.lookup(cid, relevant);
    let state = this.current();
    const deltas: ReportDelta[] = [];
    relevant.forEach((e, i) => {
      const tracked: TrackingEvent = {
        id: e._eid ?? `${now}.${i}`,
        ts: typeof e._ts === "number" && e._ts > 0 ? e._ts : now,
        type: typeof e._e === "string" ? e._e : undefined,
        fields: e,
      };
      const out = foldEvent(state, tracked, lookup, profileKey);
      state = out.state;
      deltas.push(...out.deltas);
    });
    this.store(state);
    for (const d of deltas)
      this.sql.exec(
        "INSERT OR IGNORE INTO xp_outbox (id, shard, body) VALUES (?, ?, ?)",
        d.id,
        reportShardOf(d.experience_id, profileKey),
        JSON.stringify(d),
      );
    if (deltas.length) this.waiting = true;
  }

  private async lookup(
    cid: string,
    events: readonly CollectEvent[],
  ): Promise<(id: string) => ExperienceSummary | undefined> {
    let map = SUMMARIES.get(cid);
    const ids = events.flatMap((e) => {
      const w = widgetEventOf(e);
      return w ? [w.experience_id] : [];
    });
    if (!map || ids.some((id) => !(id in map!))) {
      map = await stubOf<ExperienceSummarySource>(this.env.EXPERIENCES, experienceStoreName(cid)).summaries();
      SUMMARIES.set(cid, map);
    }
    const found = map;
    return (id) => found[id];
  }

  /** Whether deltas wait for delivery. */
  pending(): boolean {
    this.waiting ??= this.sql.exec("SELECT 1 FROM xp_outbox LIMIT 1").toArray().length > 0;
    return this.waiting;
  }

  /** Delivers queued deltas to their shards; keeps what failed for the next try. */
  async flush(cid: string): Promise<void> {
    if (this.waiting === false) return;
    const rows = this.sql
      .exec<{ id: string; shard: string; body: string }>("SELECT id, shard, body FROM xp_outbox LIMIT 200")
      .toArray();
    // Unknown again after a send: a failed shard keeps its rows.
    this.waiting = rows.length ? null : false;
    if (!rows.length) return;
    const byShard = new Map<string, { ids: string[]; deltas: ReportDelta[] }>();
    for (const r of rows) {
      const group = byShard.get(r.shard) ?? { ids: [], deltas: [] };
      group.ids.push(r.id);
      group.deltas.push(JSON.parse(r.body) as ReportDelta);
      byShard.set(r.shard, group);
    }
    await Promise.all(
      [...byShard].map(async ([shard, group]) => {
        try {
          await stubOf<ReportShardSink>(this.env.EXPERIENCES, reportShardName(cid, shard)).applyDeltas(group.deltas);
          for (const id of group.ids) this.sql.exec("DELETE FROM xp_outbox WHERE id = ?", id);
        } catch (err) {
          console.error("experience report deltas not delivered; will retry", err);
        }
      }),
    );
  }

  /**
   * Takes in what a merged-away profile met: for each experience, this
   * profile's own assignment wins, otherwise the absorbed one's is kept, so
   * reach and conversions stay counted once (the absorbed profile's deltas
   * were already sent under its own key).
   */
  absorb(other: ProfileExperienceState): void {
    const mine = this.current();
    const merged: ProfileExperienceState = {
      reached: { ...other.reached, ...mine.reached },
      converted: { ...other.converted, ...mine.converted },
      goals: { ...other.goals, ...mine.goals },
    };
    this.store(merged);
  }

  private store(state: ProfileExperienceState): void {
    this.state = state;
    this.sql.exec(
      "INSERT INTO xp_state (k, body) VALUES (0, ?) ON CONFLICT(k) DO UPDATE SET body = excluded.body",
      JSON.stringify(state),
    );
  }

  /** True when the profile met no experience. */
  isEmpty(): boolean {
    const s = this.current();
    return !Object.keys(s.reached).length && !Object.keys(s.converted).length && !Object.keys(s.goals).length;
  }

  /** Forgets everything (erase). */
  clear(): void {
    this.sql.exec("DELETE FROM xp_state");
    this.sql.exec("DELETE FROM xp_outbox");
    this.state = null;
    this.waiting = false;
  }
}
