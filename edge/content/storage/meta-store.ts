/**
 * The content object's small values in its `meta` table (key → JSON):
 * the content settings (`settings`), the saved content audiences
 * (`audiences`: slug → SegmentQL), the corpus statistics (`corpus_v2`) and
 * the topic refresh's progress. Keys and value shapes are the stored
 * format: unchanged since they were introduced.
 */
import type { ContentSettings } from "../contract";
import { DEFAULT_CONTENT_SETTINGS } from "../documents/url";

const SCHEMA = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)";

/** The `meta` table. */
export class MetaStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  get<T>(key: string, fallback: T): T {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : fallback;
  }

  set(key: string, value: unknown): void {
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }

  /** The content settings, defaults for what was never set. */
  settings(): ContentSettings {
    return { ...DEFAULT_CONTENT_SETTINGS, ...this.get<Partial<ContentSettings>>("settings", {}) };
  }

  updateSettings(change: Partial<ContentSettings>): ContentSettings {
    const next = { ...this.settings(), ...change };
    this.set("settings", next);
    return next;
  }

  /** Saved content audiences: slug → SegmentQL. */
  audiences(): Record<string, string> {
    return this.get<Record<string, string>>("audiences", {});
  }

  setAudiences(all: Record<string, string>): void {
    this.set("audiences", all);
  }
}
