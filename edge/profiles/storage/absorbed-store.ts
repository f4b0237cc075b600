/** The profile's `absorbed` table: ids of the profiles merged into this one. */
export class AbsorbedTable {
  constructor(private readonly sql: SqlStorage) {}

  /** Whether profile `id` was absorbed already (a merge is idempotent per source). */
  has(id: string): boolean {
    return this.sql.exec("SELECT 1 FROM absorbed WHERE id = ?", id).toArray().length > 0;
  }

  /** The absorbed ids, sorted (as the profile view shows them). */
  sorted(): string[] {
    return this.sql
      .exec<{ id: string }>("SELECT id FROM absorbed ORDER BY id")
      .toArray()
      .map((r) => r.id);
  }

  /** The absorbed ids in storage order, as a snapshot carries them. */
  rows(): string[] {
    return this.sql
      .exec<{ id: string }>("SELECT id FROM absorbed")
      .toArray()
      .map((r) => r.id);
  }
}
