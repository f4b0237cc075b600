import { DurableObject } from "cloudflare:workers";
import type { Env } from "../platform/env";
import type { AccountRecord } from "../accounts/settings/settings";
import type { AudienceJob } from "../accounts/records/audience-records";
import type { AudienceJobRunner, JobStep } from "../accounts/contract";
import type { AudienceIndexRpc, DailySize, IndexedChanges } from "./contract";
import { DAY_MS, dayOf, SIZE_HISTORY_DAYS } from "./size-history";
import { runJobStep } from "./jobs";

/**
 * One shard of an account's audience index: who is in which audience,
 * kept from the segment-events queue (never on the path of an event).
 * Gives exact audience sizes (summed over shards) and member lists for
 * backfills. Writes are idempotent and ordered by each profile's sequence
 * numbers, so queue redelivery and reordering cannot skew counts.
 */
export class AudienceIndexObject extends DurableObject<Env> implements AudienceIndexRpc, AudienceJobRunner {
  private readonly sql: SqlStorage;
  /**
   * Members per audience in this shard: counted from storage the first time
   * an audience is needed in this instance, then moved by each change this
   * object writes (it is the only writer of its storage). Counting every
   * touched audience on every batch grew with the shard's size.
   */
  private readonly memberCounts = new Map<string, number>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS state (slug TEXT NOT NULL, profile TEXT NOT NULL, member INTEGER NOT NULL, seq INTEGER NOT NULL, enter TEXT, PRIMARY KEY (slug, profile));
      CREATE INDEX IF NOT EXISTS state_member ON state (slug, member, profile);
      CREATE TABLE IF NOT EXISTS gone (profile TEXT PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS sizes (slug TEXT NOT NULL, day TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (slug, day));`);
  }

  /** This shard's member count of `slug`, counted from storage once per instance. */
  private memberCount(slug: string): number {
    let n = this.memberCounts.get(slug);
    if (n === undefined) {
      n = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM state WHERE slug = ? AND member = 1", slug).one().n;
      this.memberCounts.set(slug, n);
    }
    return n;
  }

  /**
   * Records this shard's member count of each audience as of today (UTC):
   * the last count of a day is that day's size. Rows older than
   * SIZE_HISTORY_DAYS are dropped.
   */
  private recordSizes(sizes: Iterable<[slug: string, n: number]>, now = Date.now()): void {
    const day = dayOf(now);
    for (const [slug, n] of sizes)
      this.sql.exec(
        "INSERT INTO sizes (slug, day, n) VALUES (?, ?, ?) ON CONFLICT(slug, day) DO UPDATE SET n = excluded.n",
        slug,
        day,
        n,
      );
    this.sql.exec("DELETE FROM sizes WHERE day < ?", dayOf(now - SIZE_HISTORY_DAYS * DAY_MS));
  }

  /** This shard's recorded daily member counts of an audience, oldest first. */
  async sizeHistory(slug: string): Promise<DailySize[]> {
    return this.sql
      .exec<{ day: string; n: number }>("SELECT day, n FROM sizes WHERE slug = ? ORDER BY day", slug)
      .toArray()
      .map((r) => ({ day: r.day, n: r.n }));
  }

  /** Applies membership messages; stale ones (lower seq) and forgotten profiles are ignored. */
  async apply(messages: IndexedChanges[]): Promise<void> {
    // Counted before this batch writes anything; the batch's moves are kept apart until it commits.
    const counts = new Map<string, number>();
    for (const m of messages) for (const c of m.changes) counts.set(c.slug, this.memberCount(c.slug));
    const touched = new Set<string>();
    this.ctx.storage.transactionSync(() => {
      for (const m of messages) {
        if (this.sql.exec("SELECT 1 FROM gone WHERE profile = ?", m.profile).toArray().length) continue;
        for (const c of m.changes) {
          const member = c.event === "enter" ? 1 : 0;
          const stored = this.sql
            .exec<{ member: number; seq: number }>(
              "SELECT member, seq FROM state WHERE slug = ? AND profile = ?",
              c.slug,
              m.profile,
            )
            .toArray()[0];
          touched.add(c.slug);
          // Stored from a later message (redelivery, reordering): this one changes nothing.
          if (stored && stored.seq >= m.seq) continue;
          this.sql.exec(
            `INSERT INTO state (slug, profile, member, seq, enter) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT(slug, profile) DO UPDATE SET member = excluded.member, seq = excluded.seq, enter = excluded.enter WHERE excluded.seq > state.seq`,
            c.slug,
            m.profile,
            member,
            m.seq,
            c.enter,
          );
          counts.set(c.slug, counts.get(c.slug)! + member - (stored?.member ?? 0));
        }
      }
      this.recordSizes([...touched].map((slug) => [slug, counts.get(slug)!]));
    });
    for (const slug of touched) this.memberCounts.set(slug, counts.get(slug)!);
  }

  /** Drops profiles (merged away or erased) for good. */
  async forget(profiles: string[]): Promise<void> {
    const touched = new Set<string>();
    for (const p of profiles) {
      for (const r of this.sql.exec<{ slug: string }>("SELECT slug FROM state WHERE profile = ? AND member = 1", p))
        touched.add(r.slug);
      this.sql.exec("DELETE FROM state WHERE profile = ?", p);
      this.sql.exec("INSERT OR IGNORE INTO gone (profile) VALUES (?)", p);
    }
    for (const slug of touched) this.memberCounts.delete(slug);
    this.recordSizes([...touched].map((slug) => [slug, this.memberCount(slug)]));
  }

  /** Members per audience slug in this shard. */
  async counts(slugs?: string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    if (slugs) {
      for (const slug of slugs) out[slug] = this.memberCount(slug);
      return out;
    }
    for (const r of this.sql.exec<{ slug: string; n: number }>(
      "SELECT slug, COUNT(*) AS n FROM state WHERE member = 1 GROUP BY slug",
    ))
      out[r.slug] = r.n;
    return out;
  }

  /** A page of an audience's members (profile ids after `after`, ascending). */
  async members(slug: string, after: string, limit: number): Promise<string[]> {
    return this.sql
      .exec<{ profile: string }>(
        "SELECT profile FROM state WHERE slug = ? AND member = 1 AND profile > ? ORDER BY profile LIMIT ?",
        slug,
        after,
        limit,
      )
      .toArray()
      .map((r) => r.profile);
  }

  /** Forgets an audience entirely (deleted audience). */
  async dropAudience(slug: string): Promise<void> {
    this.sql.exec("DELETE FROM state WHERE slug = ?", slug);
    this.sql.exec("DELETE FROM sizes WHERE slug = ?", slug);
    this.memberCounts.delete(slug);
  }

  /**
   * Runs one step of an audience reevaluation job for the account object
   * (which keeps the job and its cursor, and schedules the steps). Called
   * on the object named `${cid}/jobs`, which holds no index data.
   */
  async runJobStep(account: AccountRecord, job: AudienceJob, cursor: string): Promise<JobStep> {
    return runJobStep(this.env, account, job, cursor);
  }
}
