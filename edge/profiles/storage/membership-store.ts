import type { AudienceChange, AudienceHistoryEntry } from "../contract";
import type { ProfileTables } from "./schema";

/**
 * A profile's audience memberships and hand assignments, in the profile
 * object's SQLite. Knows nothing of how membership is decided.
 */
export class MembershipTable {
  /** Memory mirrors of the two small tables (the profile object runs one request at a time). */
  private members: string[] | null = null;
  private hand: { assigned: string[]; removed: string[] } | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly tables: ProfileTables,
  ) {}

  /** Slugs the person is in now. */
  current(): string[] {
    this.members ??= this.tables.has("membership")
      ? this.sql
          .exec<{ slug: string }>("SELECT slug FROM membership WHERE member = 1 ORDER BY slug")
          .toArray()
          .map((r) => r.slug)
      : [];
    return [...this.members];
  }

  /** Forgets the memory mirrors (storage was rewritten underneath). */
  dropCache(): void {
    this.members = null;
    this.hand = null;
  }

  /** Every audience the person is or was in, with times (export). */
  history(): AudienceHistoryEntry[] {
    if (!this.tables.has("membership")) return [];
    return this.sql
      .exec<{ slug: string; member: number; enter: number | null; exit: number | null }>(
        "SELECT slug, member, enter, exit FROM membership ORDER BY slug",
      )
      .toArray()
      .map((r) => ({ slug: r.slug, member: r.member === 1, enter: iso(r.enter), exit: iso(r.exit) }));
  }

  /** Audiences assigned and removed by hand. */
  manual(): { assigned: string[]; removed: string[] } {
    if (!this.hand) {
      const rows = this.tables.has("manual")
        ? this.sql.exec<{ slug: string; assigned: number }>("SELECT slug, assigned FROM manual ORDER BY slug").toArray()
        : [];
      this.hand = {
        assigned: rows.filter((r) => r.assigned === 1).map((r) => r.slug),
        removed: rows.filter((r) => r.assigned === 0).map((r) => r.slug),
      };
    }
    return { assigned: [...this.hand.assigned], removed: [...this.hand.removed] };
  }

  /** Records hand assignments (`add`) and removals (`remove`). */
  setManual(add: string[], remove: string[]): void {
    const put = (slug: string, assigned: number) =>
      this.sql.exec(
        "INSERT INTO manual (slug, assigned) VALUES (?, ?) ON CONFLICT(slug) DO UPDATE SET assigned = excluded.assigned",
        slug,
        assigned,
      );
    if (add.length || remove.length) this.tables.ensure("manual");
    for (const s of add) put(s, 1);
    for (const s of remove) put(s, 0);
    this.hand = null;
  }

  /** Takes over another profile's hand assignments (merge); this profile's own win. */
  absorbManual(other: { assigned: string[]; removed: string[] }): void {
    if (!other.assigned.length && !other.removed.length) return;
    this.tables.ensure("manual");
    for (const s of other.assigned) this.sql.exec("INSERT OR IGNORE INTO manual (slug, assigned) VALUES (?, 1)", s);
    for (const s of other.removed) this.sql.exec("INSERT OR IGNORE INTO manual (slug, assigned) VALUES (?, 0)", s);
    this.hand = null;
  }

  /**
   * Makes `members` the current memberships and returns what changed:
   * an `enter` for each new slug, an `exit` for each slug left.
   */
  apply(members: readonly string[], now: number): AudienceChange[] {
    const before = new Set(this.current());
    const after = new Set(members);
    const changes: AudienceChange[] = [];
    for (const slug of after) {
      if (before.has(slug)) continue;
      this.tables.ensure("membership");
      // One statement: a returning member keeps (and answers) the time they last left.
      const { exit } = this.sql
        .exec<{ exit: number | null }>(
          "INSERT INTO membership (slug, member, enter, exit) VALUES (?, 1, ?, NULL) ON CONFLICT(slug) DO UPDATE SET member = 1, enter = excluded.enter RETURNING exit",
          slug,
          now,
        )
        .one();
      changes.push({ slug, event: "enter", enter: iso(now), exit: iso(exit) });
    }
    for (const slug of before) {
      if (after.has(slug)) continue;
      const { enter } = this.sql
        .exec<{ enter: number | null }>(
          "UPDATE membership SET member = 0, exit = ? WHERE slug = ? RETURNING enter",
          now,
          slug,
        )
        .one();
      changes.push({ slug, event: "exit", enter: iso(enter), exit: iso(now) });
    }
    // The members are now exactly `members` (slugs are ASCII: this order is SQLite's ORDER BY slug).
    if (changes.length) this.members = [...after].sort();
    return changes;
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
