import type { IdentityKey } from "../../identity/contract";

/** The profile's `ids` table: the identifiers linked to the person. */
export class IdentifierTable {
  /** Identifiers linked to the person, sorted by field then value. */
  private idsCache: IdentityKey[] | null = null;

  constructor(private readonly sql: SqlStorage) {}

  /** Identifiers linked to the person (cached). */
  identifiers(): IdentityKey[] {
    this.idsCache ??= this.sql
      .exec<{ field: string; value: string }>("SELECT field, value FROM ids ORDER BY field, value")
      .toArray()
      .map((r) => ({ field: r.field, value: r.value }));
    return this.idsCache;
  }

  /** Links identifiers to the person; a write only for new ones. */
  link(keys: IdentityKey[]): void {
    const known = this.identifiers();
    for (const key of keys) {
      if (known.some((k) => k.field === key.field && k.value === key.value)) continue;
      this.sql.exec("INSERT OR IGNORE INTO ids (field, value) VALUES (?, ?)", key.field, key.value);
      this.idsCache = null;
    }
  }

  /** How many identifiers of each kind (field) the person holds. */
  counts(): Record<string, number> {
    const idCounts: Record<string, number> = {};
    for (const r of this.sql.exec<{ field: string; n: number }>("SELECT field, COUNT(*) AS n FROM ids GROUP BY field"))
      idCounts[r.field] = r.n;
    return idCounts;
  }

  /** The stored rows in storage order, as a snapshot carries them. */
  rows(): IdentityKey[] {
    return this.sql
      .exec<{ field: string; value: string }>("SELECT field, value FROM ids")
      .toArray()
      .map((r) => ({ field: r.field, value: r.value }));
  }

  dropCache(): void {
    this.idsCache = null;
  }
}
