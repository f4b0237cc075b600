/**
 * SQLite table of a profile's matches object (`${cid}/m/${profileId}`): the
 * collection events the profile matched, with first and last time and a
 * count. The table is created on the first match, so reading an unknown
 * profile stores nothing.
 */
import type { MatchRecord } from "../contract";

/** The `match_events` table of a matches object. */
export class MatchesStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Records that the profile matched `names` at `at` (epoch ms). */
  record(names: string[], at: number): void {
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS match_events (name TEXT PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL, count INTEGER NOT NULL)",
    );
    for (const name of names) {
      this.sql.exec(
        "INSERT INTO match_events (name, first, last, count) VALUES (?, ?, ?, 1) ON CONFLICT(name) DO UPDATE SET last = MAX(last, excluded.last), count = count + 1",
        name,
        at,
        at,
      );
    }
  }

  /** The events the profile matched, first matched first. */
  list(): MatchRecord[] {
    if (
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'match_events'").toArray().length === 0
    )
      return [];
    return this.sql
      .exec<{ name: string; first: number; last: number; count: number }>(
        "SELECT name, first, last, count FROM match_events ORDER BY first, name",
      )
      .toArray()
      .map((r) => ({ ...r }));
  }
}
