import type { AccountKv } from "./account-kv";
import type { AudienceDefinitions, AudienceGroup, AudienceRecord } from "../audience-records";

/** The kv key of the catalog's version, which moves on every audience change. */
const VERSION_KEY = "segments_version";

/**
 * Creates the audience tables of the account object's SQLite (all three at
 * once, as they always were): `segments` (audiences), `segment_groups` and
 * `segment_jobs` (accounts/storage/audience-job-store.ts).
 */
export function createAudienceTables(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS segments (id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS segment_groups (id TEXT PRIMARY KEY, record TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS segment_jobs (id TEXT PRIMARY KEY, segment_id TEXT NOT NULL, record TEXT NOT NULL);`);
}

/**
 * The account's audience catalog: audiences (by id, slug unique) and
 * groups, with a version (in the kv table) that moves whenever an audience
 * is stored or deleted — profile objects and the queue sink cache by it.
 */
export class AudienceCatalogTable {
  constructor(
    private readonly sql: SqlStorage,
    private readonly kv: AccountKv,
  ) {}

  /** The catalog's version (0 before the first audience). */
  version(): number {
    return this.kv.read<number>(VERSION_KEY) ?? 0;
  }

  private bump(): number {
    const v = this.version() + 1;
    this.kv.write(VERSION_KEY, v);
    return v;
  }

  /** What the account record shows of the catalog. */
  summary(): { segments_version: number; public_segments: string[] } {
    createAudienceTables(this.sql);
    const public_segments = this.list()
      .filter((s) => s.is_public)
      .map((s) => s.slug_name);
    return { segments_version: this.version(), public_segments };
  }

  /** Every audience, by slug. */
  list(): AudienceRecord[] {
    createAudienceTables(this.sql);
    return this.sql
      .exec<{ record: string }>("SELECT record FROM segments ORDER BY slug")
      .toArray()
      .map((r) => JSON.parse(r.record) as AudienceRecord);
  }

  /** An audience by id or slug, or null. */
  get(idOrSlug: string): AudienceRecord | null {
    return this.list().find((s) => s.id === idOrSlug || s.slug_name === idOrSlug) ?? null;
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
    this.sql.exec(
      "INSERT INTO segments (id, slug, record) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET slug = excluded.slug, record = excluded.record",
      record.id,
      record.slug_name,
      JSON.stringify(record),
    );
    return { ok: true, version: this.bump() };
  }

  /** Deletes an audience; false when unknown. */
  delete(id: string): boolean {
    createAudienceTables(this.sql);
    const gone = this.sql.exec("DELETE FROM segments WHERE id = ?", id).rowsWritten > 0;
    if (gone) this.bump();
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
