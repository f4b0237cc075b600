import { includes } from "../../segmentql";
import type { AccountKv } from "./account-kv";
import type { AudienceDefinitions, AudienceDelta, AudienceGroup, AudienceRecord } from "../records/audience-records";

/** The kv key of the catalog's version, which moves on every audience change. */
const VERSION_KEY = "segments_version";
/** The kv key of the oldest version the change log can answer from (changes before it were not logged). */
const LOG_FLOOR_KEY = "segments_log_floor";
/** Versions the change log keeps; a profile further behind reloads every definition. */
const LOG_KEEP = 2_000;
/** Most slugs a delta carries; beyond that a full reload is as cheap. */
const MAX_DELTA = 500;

/**
 * Creates the audience tables of the account object's SQLite: `segments`
 * (audiences), `segment_groups`, `segment_jobs`
 * (accounts/storage/audience-job-store.ts) and `segment_changes` (the slugs
 * each version touched, for deltas; added later, it starts empty).
 * `segment_includes` (who INCLUDEs whom) is created and filled on first use
 * instead, so that accounts stored before it get it complete.
 */
export function createAudienceTables(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS segments (id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS segment_groups (id TEXT PRIMARY KEY, record TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS segment_jobs (id TEXT PRIMARY KEY, segment_id TEXT NOT NULL, record TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS segment_changes (version INTEGER PRIMARY KEY, slug TEXT NOT NULL);`);
}

/**
 * The account's audience catalog: audiences (by id, slug unique) and
 * groups, with a version (in the kv table) that moves whenever an audience
 * is stored or deleted — profile objects and the queue sink cache by it.
 */
export class AudienceCatalogTable {
  /** Slugs of the public audiences, sorted; loaded once per object, then kept current by put/delete. */
  private publicSlugs: string[] | null = null;
  /** True once `segment_includes` is known to exist and be complete in this object. */
  private includeIndexReady = false;

  constructor(
    private readonly sql: SqlStorage,
    private readonly kv: AccountKv,
  ) {}

  /** The catalog's version (0 before the first audience). */
  version(): number {
    return this.kv.read<number>(VERSION_KEY) ?? 0;
  }

  /** Moves the version and logs the slugs it touched (keeping the last LOG_KEEP versions). */
  private bump(slugs: string[]): number {
    const prev = this.version();
    if (this.kv.read<number>(LOG_FLOOR_KEY) == null) this.kv.write(LOG_FLOOR_KEY, prev);
    const v = prev + 1;
    this.kv.write(VERSION_KEY, v);
    // One row per version: a rename logs both slugs joined by a space (slugs have none).
    this.sql.exec("INSERT INTO segment_changes (version, slug) VALUES (?, ?)", v, slugs.join(" "));
    if (v % 100 === 0 && v > LOG_KEEP) {
      this.sql.exec("DELETE FROM segment_changes WHERE version <= ?", v - LOG_KEEP);
      this.kv.write(LOG_FLOOR_KEY, Math.max(this.kv.read<number>(LOG_FLOOR_KEY) ?? 0, v - LOG_KEEP));
    }
    return v;
  }

  /**
   * The changes after `since` (work per changed audience, not per audience
   * stored), or null when the log cannot tell (older than its floor, or a
   * version this catalog never had) or more than MAX_DELTA audiences changed.
   */
  changesSince(since: number): AudienceDelta | null {
    createAudienceTables(this.sql);
    const version = this.version();
    const floor = this.kv.read<number>(LOG_FLOOR_KEY);
    if (floor == null || since < floor || since > version) return null;
    const touched = new Set<string>();
    for (const r of this.sql.exec<{ slug: string }>("SELECT slug FROM segment_changes WHERE version > ?", since))
      for (const slug of r.slug.split(" ")) touched.add(slug);
    if (touched.size > MAX_DELTA) return null;
    const put = this.bySlugs([...touched]).map((s) => ({ slug: s.slug_name, kind: s.kind, ast: s.ast }));
    const present = new Set(put.map((s) => s.slug));
    return { version, put, remove: [...touched].filter((s) => !present.has(s)) };
  }

  /** What the account record shows of the catalog. */
  summary(): { segments_version: number; public_segments: string[] } {
    return { segments_version: this.version(), public_segments: [...this.publics()] };
  }

  private publics(): string[] {
    if (this.publicSlugs === null) {
      createAudienceTables(this.sql);
      this.publicSlugs = this.sql
        .exec<{ slug: string }>("SELECT slug FROM segments WHERE json_extract(record, '$.is_public') = 1 ORDER BY slug")
        .toArray()
        .map((r) => r.slug);
    }
    return this.publicSlugs;
  }

  /** Keeps the sorted public slugs current: `before` leaves, `after` enters (binary search, no full read). */
  private movePublic(before: AudienceRecord | null, after: AudienceRecord | null): void {
    if (this.publicSlugs === null) return;
    const list = this.publicSlugs;
    const at = (slug: string): number => {
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((list[mid] as string) < slug) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    if (before?.is_public) {
      const k = at(before.slug_name);
      if (list[k] === before.slug_name) list.splice(k, 1);
    }
    if (after?.is_public) list.splice(at(after.slug_name), 0, after.slug_name);
  }

  /** Number of audiences. */
  count(): number {
    createAudienceTables(this.sql);
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM segments").one().n;
  }

  /** Every audience, by slug. */
  list(): AudienceRecord[] {
    createAudienceTables(this.sql);
    return this.sql
      .exec<{ record: string }>("SELECT record FROM segments ORDER BY slug")
      .toArray()
      .map((r) => JSON.parse(r.record) as AudienceRecord);
  }

  /** An audience by id or slug, or null (two index lookups, whatever the number of audiences). */
  get(idOrSlug: string): AudienceRecord | null {
    createAudienceTables(this.sql);
    const row =
      this.sql.exec<{ record: string }>("SELECT record FROM segments WHERE id = ?", idOrSlug).toArray()[0] ??
      this.sql.exec<{ record: string }>("SELECT record FROM segments WHERE slug = ?", idOrSlug).toArray()[0];
    return row ? (JSON.parse(row.record) as AudienceRecord) : null;
  }

  /** The audiences of these ids that exist (each an index lookup). */
  byIds(ids: string[]): AudienceRecord[] {
    createAudienceTables(this.sql);
    const out: AudienceRecord[] = [];
    for (const id of new Set(ids)) {
      const row = this.sql.exec<{ record: string }>("SELECT record FROM segments WHERE id = ?", id).toArray()[0];
      if (row) out.push(JSON.parse(row.record) as AudienceRecord);
    }
    return out;
  }

  /** The audiences of these slugs that exist (each an index lookup). */
  bySlugs(slugs: string[]): AudienceRecord[] {
    createAudienceTables(this.sql);
    const out: AudienceRecord[] = [];
    for (const slug of new Set(slugs)) {
      const row = this.sql.exec<{ record: string }>("SELECT record FROM segments WHERE slug = ?", slug).toArray()[0];
      if (row) out.push(JSON.parse(row.record) as AudienceRecord);
    }
    return out;
  }

  /**
   * The INCLUDE index `segment_includes (slug, by_id)`: one row per audience
   * `by_id` whose definition INCLUDEs `slug`. Accounts stored before it
   * existed get it built from their audiences once, on first use (the
   * audiences themselves are not touched); put and delete keep it current.
   */
  private includeIndex(): void {
    if (this.includeIndexReady) return;
    createAudienceTables(this.sql);
    const exists =
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'segment_includes'").toArray().length >
      0;
    if (!exists) {
      this.sql.exec(
        "CREATE TABLE segment_includes (slug TEXT NOT NULL, by_id TEXT NOT NULL, PRIMARY KEY (slug, by_id)) WITHOUT ROWID",
      );
      for (const r of this.list()) this.indexIncludes(r);
    }
    this.includeIndexReady = true;
  }

  /** Records the slugs `record` INCLUDEs (its earlier rows must be gone). */
  private indexIncludes(record: AudienceRecord): void {
    for (const slug of record.ast ? includes(record.ast) : [])
      this.sql.exec("INSERT OR IGNORE INTO segment_includes (slug, by_id) VALUES (?, ?)", slug, record.id);
  }

  /** The audiences whose definitions INCLUDE `slug` (an index lookup, whatever the number of audiences). */
  includers(slug: string): AudienceRecord[] {
    this.includeIndex();
    const ids = this.sql
      .exec<{ by_id: string }>("SELECT by_id FROM segment_includes WHERE slug = ?", slug)
      .toArray()
      .map((r) => r.by_id);
    return this.byIds(ids).sort((a, b) => (a.slug_name < b.slug_name ? -1 : a.slug_name > b.slug_name ? 1 : 0));
  }

  /** What profile objects evaluate: the audiences' asts at a version. */
  definitions(): AudienceDefinitions {
    const segments = this.list().map((s) => ({ slug: s.slug_name, kind: s.kind, ast: s.ast }));
    return { version: this.version(), segments };
  }

  /** Stores an audience (insert or replace by id); refuses a slug another audience has. */
  put(record: AudienceRecord): { ok: true; version: number } | { ok: false; conflict: string } {
    createAudienceTables(this.sql);
    const clash = this.sql
      .exec<{ id: string }>("SELECT id FROM segments WHERE slug = ? AND id != ?", record.slug_name, record.id)
      .toArray()[0];
    if (clash) return { ok: false, conflict: clash.id };
    const before = this.get(record.id);
    this.includeIndex();
    this.sql.exec(
      "INSERT INTO segments (id, slug, record) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET slug = excluded.slug, record = excluded.record",
      record.id,
      record.slug_name,
      JSON.stringify(record),
    );
    this.sql.exec("DELETE FROM segment_includes WHERE by_id = ?", record.id);
    this.indexIncludes(record);
    this.movePublic(before, record);
    const renamed = before && before.slug_name !== record.slug_name ? [before.slug_name] : [];
    return { ok: true, version: this.bump([record.slug_name, ...renamed]) };
  }

  /** Deletes an audience; false when unknown. */
  delete(id: string): boolean {
    createAudienceTables(this.sql);
    const before = this.get(id);
    this.includeIndex();
    const gone = this.sql.exec("DELETE FROM segments WHERE id = ?", id).rowsWritten > 0;
    if (gone) {
      this.sql.exec("DELETE FROM segment_includes WHERE by_id = ?", id);
      this.movePublic(before, null);
      this.bump(before ? [before.slug_name] : []);
    }
    return gone;
  }

  /** Every group, by id. */
  listGroups(): AudienceGroup[] {
    createAudienceTables(this.sql);
    return this.sql
      .exec<{ record: string }>("SELECT record FROM segment_groups ORDER BY id")
      .toArray()
      .map((r) => JSON.parse(r.record) as AudienceGroup);
  }

  /** Stores a group (insert or replace by id). */
  putGroup(group: AudienceGroup): void {
    createAudienceTables(this.sql);
    this.sql.exec(
      "INSERT INTO segment_groups (id, record) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET record = excluded.record",
      group.id,
      JSON.stringify(group),
    );
  }

  /** Deletes a group and removes it from its audiences (which stay; the version does not move). */
  deleteGroup(id: string): boolean {
    createAudienceTables(this.sql);
    const gone = this.sql.exec("DELETE FROM segment_groups WHERE id = ?", id).rowsWritten > 0;
    if (gone) {
      for (const s of this.list()) {
        if (s.groups.includes(id)) {
          const next = { ...s, groups: s.groups.filter((g) => g !== id) };
          this.sql.exec("UPDATE segments SET record = ? WHERE id = ?", JSON.stringify(next), s.id);
        }
      }
    }
    return gone;
  }
}
