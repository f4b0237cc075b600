/**
 * The profile's `meta` table: one text value per key (`id`, `cid`,
 * `created`, `modified`, counters, `alias_of`, `erased`, the next wake-up
 * times, `activity`, `content_affinity`, ...).
 *
 * The object owns its storage and runs one request at a time, so the memory
 * mirror stays exact; it is dropped whenever storage is rewritten wholesale
 * (absorb, erase).
 */
export class MetaTable {
  private metaCache: Map<string, string> | null = null;

  constructor(private readonly sql: SqlStorage) {}

  /** The value under `key`, or null. */
  get(key: string): string | null {
    if (!this.metaCache) {
      this.metaCache = new Map(
        this.sql
          .exec<{ key: string; value: string }>("SELECT key, value FROM meta")
          .toArray()
          .map((r) => [r.key, r.value]),
      );
    }
    return this.metaCache.get(key) ?? null;
  }

  /** The value under `key` as a number (0 when absent). */
  num(key: string): number {
    return Number(this.get(key) ?? 0);
  }

  /** Stores one value (no write when it is unchanged). */
  set(key: string, value: string | number): void {
    if (this.get(key) === String(value)) return;
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      String(value),
    );
    this.metaCache!.set(key, String(value));
  }

  /** Sets several meta values in one statement (only those that changed). */
  setMany(entries: [string, string | number][]): void {
    const changed = entries.filter(([key, value]) => this.get(key) !== String(value));
    if (!changed.length) return;
    this.sql.exec(
      `INSERT INTO meta (key, value) VALUES ${changed.map(() => "(?, ?)").join(", ")} ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      ...changed.flatMap(([key, value]) => [key, String(value)]),
    );
    for (const [key, value] of changed) this.metaCache!.set(key, String(value));
  }

  /** Removes one value. */
  delete(key: string): void {
    if (this.get(key) === null) return;
    this.sql.exec("DELETE FROM meta WHERE key = ?", key);
    this.metaCache!.delete(key);
  }

  dropCache(): void {
    this.metaCache = null;
  }
}
