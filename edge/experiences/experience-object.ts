import { DurableObject } from "cloudflare:workers";
import type { Env } from "../platform/env";
import type {
  Experience,
  ExperienceStoreRpc,
  Outcome,
  PublishedSnapshot,
  ReportDelta,
  ReportShardRpc,
  WidgetEventKind,
} from "./contract";
import { archiveIfDue, checkDeletable, isDelivered, nextArchiveAt } from "./lifecycle";
import { createExperience, newExperienceId, patchExperience } from "./model";
import { applyDelta, emptyCounters, type ExperienceCounters, summaryOf } from "./report";

/** How long a report shard remembers applied delta ids (retries come well within it). */
export const SEEN_RETENTION_MS = 7 * 24 * 3600 * 1000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS experiences (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (k INTEGER PRIMARY KEY CHECK (k = 0), body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, ts INTEGER NOT NULL);
`;

/**
 * The experiences domain's Durable Object, in one of two roles chosen by
 * its name (see `profiles/experiences/` for the names):
 *
 * - `store:{cid}` — an account's experiences: CRUD through the pure core
 *   (`model.ts`, `lifecycle.ts`), a version bumped on every change (the
 *   `config.js` ETag follows it), and an alarm at the earliest end date
 *   that archives what is due. Read by management calls, `config.js`,
 *   `/personalize` and SegmentHub — not by collected events (profile
 *   objects cache its summaries per isolate).
 * - `report:{cid}:{experience id}/{n}` — one of 16 report shards of an
 *   experience: counters plus the delta ids applied (idempotency), fed by
 *   profile objects.
 */
export class ExperienceObject extends DurableObject<Env> implements ExperienceStoreRpc, ReportShardRpc {
  private readonly sql: SqlStorage;
  private cache: Map<string, Experience> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
  }

  // ---- store role ----

  private all(): Map<string, Experience> {
    if (!this.cache) {
      this.cache = new Map(
        this.sql
          .exec<{ id: string; body: string }>("SELECT id, body FROM experiences")
          .toArray()
          .map((r) => [r.id, JSON.parse(r.body) as Experience]),
      );
    }
    return this.cache;
  }

  private version(): number {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'version'").toArray()[0];
    return row ? Number(row.value) : 0;
  }

  private bump(): void {
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES ('version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      String(this.version() + 1),
    );
  }

  private save(e: Experience): void {
    this.sql.exec(
      "INSERT INTO experiences (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
      e.id,
      JSON.stringify(e),
    );
    this.all().set(e.id, e);
    this.bump();
  }

  /** Sets the alarm at the earliest end date of a published or paused experience. */
  private async schedule(): Promise<void> {
    const at = nextArchiveAt(this.all().values());
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.max(at, Date.now()));
  }

  /** Archives what is due now (also done lazily on every read, so a late alarm is never visible). */
  private archiveDue(now = new Date()): boolean {
    let changed = false;
    for (const e of this.all().values()) {
      const next = archiveIfDue(e, now);
      if (next !== e) {
        this.save(next);
        changed = true;
      }
    }
    return changed;
  }

  override async alarm(): Promise<void> {
    this.archiveDue();
    await this.schedule();
  }

  async list(): Promise<Experience[]> {
    if (this.archiveDue()) await this.schedule();
    return [...this.all().values()].sort((a, b) => a.created.localeCompare(b.created) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<Experience | null> {
    if (this.archiveDue()) await this.schedule();
    return this.all().get(id) ?? null;
  }

  async create(body: unknown): Promise<Outcome<Experience>> {
    const out = createExperience(body, { id: newExperienceId(), now: new Date() });
    if (out.ok) {
      this.save(out.value);
      await this.schedule();
    }
    return out;
  }

  async patch(id: string, body: unknown): Promise<Outcome<Experience> | null> {
    const now = new Date();
    if (this.archiveDue(now)) await this.schedule();
    const current = this.all().get(id);
    if (!current) return null;
    const out = patchExperience(current, body, now);
    if (out.ok) {
      this.save(out.value);
      await this.schedule();
    }
    return out;
  }

  async remove(id: string): Promise<Outcome<Experience> | null> {
    if (this.archiveDue()) await this.schedule();
    const current = this.all().get(id);
    if (!current) return null;
    const problem = checkDeletable(current);
    if (problem) return { ok: false, problem };
    this.sql.exec("DELETE FROM experiences WHERE id = ?", id);
    this.all().delete(id);
    this.bump();
    await this.schedule();
    return { ok: true, value: current };
  }

  async published(): Promise<PublishedSnapshot> {
    const now = new Date();
    if (this.archiveDue(now)) await this.schedule();
    return { version: this.version(), experiences: [...this.all().values()].filter((e) => isDelivered(e, now)) };
  }

  async summaries(): Promise<Record<string, { conversion: readonly WidgetEventKind[]; goal: string | null }>> {
    return Object.fromEntries([...this.all().values()].map((e) => [e.id, summaryOf(e)]));
  }

  // ---- report shard role ----

  private readCounters(): ExperienceCounters {
    const row = this.sql.exec<{ body: string }>("SELECT body FROM counters WHERE k = 0").toArray()[0];
    return row ? (JSON.parse(row.body) as ExperienceCounters) : emptyCounters();
  }

  async applyDeltas(deltas: ReportDelta[]): Promise<number> {
    const counters = this.readCounters();
    const now = Date.now();
    const seen = {
      has: (id: string) => this.sql.exec("SELECT 1 FROM seen WHERE id = ?", id).toArray().length > 0,
      add: (id: string) => {
        this.sql.exec("INSERT OR IGNORE INTO seen (id, ts) VALUES (?, ?)", id, now);
      },
    };
    let applied = 0;
    for (const d of deltas) if (applyDelta(counters, d, seen)) applied++;
    if (applied)
      this.sql.exec(
        "INSERT INTO counters (k, body) VALUES (0, ?) ON CONFLICT(k) DO UPDATE SET body = excluded.body",
        JSON.stringify(counters),
      );
    if (Math.random() < 0.02) this.sql.exec("DELETE FROM seen WHERE ts < ?", now - SEEN_RETENTION_MS);
    return applied;
  }

  async counters(): Promise<ExperienceCounters> {
    return this.readCounters();
  }
}
