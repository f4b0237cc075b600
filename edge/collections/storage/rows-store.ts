/**
 * SQLite tables of one collection object: its definition, its rows, the
 * outbox of rows waiting to reach profiles, and its CSV uploads.
 */
import type { EventDef } from "../model/events";
import type { FeedItem, RowPage, StoredRow } from "../contract";
import type { CollectionDef } from "../model/collection";
import type { UploadJob } from "../ingest/csv-job";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS coll_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS coll_rows (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, data TEXT NOT NULL, matches TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS coll_feed (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS coll_uploads (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL, state TEXT NOT NULL, created INTEGER NOT NULL, body TEXT NOT NULL);
`;

type RowRecord = { seq: number; key: string; data: string; matches: string; created: number; updated: number };
const toRow = (r: RowRecord): StoredRow => ({
  key: r.key,
  data: JSON.parse(r.data),
  matches: JSON.parse(r.matches),
  created: new Date(r.created).toISOString(),
  updated: new Date(r.updated).toISOString(),
});

/** What a collection object holds besides rows: its account, definition and events. */
export interface CollectionConfig {
  cid: string;
  def: CollectionDef;
  events: EventDef[];
}

/** The tables of a collection object. Tables are created on first configuration only, so lookups of unknown ids store nothing. */
export class CollectionTables {
  constructor(private readonly sql: SqlStorage) {}

  /** Whether the object holds a collection. */
  exists(): boolean {
    return (
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'coll_meta'").toArray().length > 0 &&
      this.meta("def") !== null
    );
  }

  private meta(key: string): string | null {
    return (
      this.sql.exec<{ value: string }>("SELECT value FROM coll_meta WHERE key = ?", key).toArray()[0]?.value ?? null
    );
  }

  /** Stores the account id, definition and events. */
  configure(cid: string, def: CollectionDef, events: EventDef[]): void {
    this.sql.exec(SCHEMA);
    for (const [k, v] of [
      ["cid", cid],
      ["def", JSON.stringify(def)],
      ["events", JSON.stringify(events)],
    ] as const) {
      this.sql.exec(
        "INSERT INTO coll_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        k,
        v,
      );
    }
  }

  /** The account id, definition and events (null when the object holds no collection). */
  config(): CollectionConfig | null {
    if (!this.exists()) return null;
    return {
      cid: this.meta("cid")!,
      def: JSON.parse(this.meta("def")!),
      events: JSON.parse(this.meta("events") ?? "[]"),
    };
  }

  count(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM coll_rows").one().n;
  }

  /** Inserts or replaces rows by key and queues their feed items; returns how many were new. */
  upsert(
    rows: { key: string; data: Record<string, unknown>; matches: string[] }[],
    feed: FeedItem[],
    now: number,
  ): { created: number; updated: number } {
    let created = 0;
    for (const row of rows) {
      const existed = this.sql.exec("SELECT 1 FROM coll_rows WHERE key = ?", row.key).toArray().length > 0;
      if (!existed) created++;
      this.sql.exec(
        "INSERT INTO coll_rows (key, data, matches, created, updated) VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET data = excluded.data, matches = excluded.matches, updated = excluded.updated",
        row.key,
        JSON.stringify(row.data),
        JSON.stringify(row.matches),
        now,
        now,
      );
    }
    for (const item of feed) this.sql.exec("INSERT INTO coll_feed (body) VALUES (?)", JSON.stringify(item));
    return { created, updated: rows.length - created };
  }

  get(key: string): StoredRow | null {
    const r = this.sql.exec<RowRecord>("SELECT * FROM coll_rows WHERE key = ?", key).toArray()[0];
    return r ? toRow(r) : null;
  }

  delete(key: string): StoredRow | null {
    const row = this.get(key);
    if (row) this.sql.exec("DELETE FROM coll_rows WHERE key = ?", key);
    return row;
  }

  /** Rows in storage order after the cursor. */
  page(cursor: string | null, limit: number): RowPage {
    const after = cursor && /^\d+$/.test(cursor) ? Number(cursor) : 0;
    const rows = this.sql
      .exec<RowRecord>("SELECT * FROM coll_rows WHERE seq > ? ORDER BY seq LIMIT ?", after, limit + 1)
      .toArray();
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    return { items: items.map(toRow), next: more ? String(items[items.length - 1]!.seq) : null, total: this.count() };
  }

  /** Which of `keys` exist. */
  existing(keys: string[]): string[] {
    if (!keys.length) return [];
    return this.sql
      .exec<{ key: string }>(
        "SELECT key FROM coll_rows WHERE key IN (SELECT value FROM json_each(?))",
        JSON.stringify(keys),
      )
      .toArray()
      .map((r) => r.key);
  }

  /** The oldest queued feed items. */
  feed(limit: number): { seq: number; item: FeedItem }[] {
    return this.sql
      .exec<{ seq: number; body: string }>("SELECT seq, body FROM coll_feed ORDER BY seq LIMIT ?", limit)
      .toArray()
      .map((r) => ({ seq: r.seq, item: JSON.parse(r.body) }));
  }

  feedDone(upTo: number): void {
    this.sql.exec("DELETE FROM coll_feed WHERE seq <= ?", upTo);
  }

  hasFeed(): boolean {
    return this.sql.exec("SELECT 1 FROM coll_feed LIMIT 1").toArray().length > 0;
  }

  saveUpload(job: UploadJob, tokenHash?: string): void {
    if (tokenHash !== undefined) {
      this.sql.exec(
        "INSERT INTO coll_uploads (id, token_hash, state, created, body) VALUES (?, ?, ?, ?, ?)",
        job.id,
        tokenHash,
        job.state,
        job.created,
        JSON.stringify(job),
      );
    } else {
      this.sql.exec("UPDATE coll_uploads SET state = ?, body = ? WHERE id = ?", job.state, JSON.stringify(job), job.id);
    }
  }

  upload(id: string): { job: UploadJob; tokenHash: string } | null {
    const r = this.sql
      .exec<{ body: string; token_hash: string }>("SELECT body, token_hash FROM coll_uploads WHERE id = ?", id)
      .toArray()[0];
    return r ? { job: JSON.parse(r.body), tokenHash: r.token_hash } : null;
  }

  /** The oldest upload waiting for processing. */
  nextUpload(): UploadJob | null {
    const r = this.sql
      .exec<{ body: string }>(
        "SELECT body FROM coll_uploads WHERE state IN ('queued', 'processing') ORDER BY created LIMIT 1",
      )
      .toArray()[0];
    return r ? JSON.parse(r.body) : null;
  }

  /** All upload ids (for clean-up). */
  uploadIds(): string[] {
    return this.sql
      .exec<{ id: string }>("SELECT id FROM coll_uploads")
      .toArray()
      .map((r) => r.id);
  }

  /** Forgets finished uploads older than `before` and unused ones that expired. */
  pruneUploads(before: number): void {
    this.sql.exec(
      "DELETE FROM coll_uploads WHERE state IN ('done', 'failed', 'awaiting_upload') AND created < ?",
      before,
    );
  }
}
