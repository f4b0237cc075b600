import { DurableObject } from "cloudflare:workers";
import type { Env } from "../platform/env";
import type { CandidateLink, IdentityKey, IdentityRpc, Link, ResolvedLink } from "./contract";

/**
 * One shard of an account's identity directory: maps identifiers
 * (`_uid`, `email`, `user_id`, ...) to profile ids. An account's identifiers
 * are spread over many shards by hash (identity/directory.ts), so no
 * single object sees every event. Knows nothing of HTTP.
 *
 * Links are verified (made by the `_uid` cookie itself, a server-side
 * collect, or a signed identity) or unverified (an identifier a browser
 * typed in). A verified claim replaces an unverified link; an unverified
 * claim never replaces anything.
 */
export class IdentityObject extends DurableObject<Env> implements IdentityRpc {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS links (field TEXT NOT NULL, value TEXT NOT NULL, profile TEXT NOT NULL, verified INTEGER NOT NULL, updated INTEGER NOT NULL, PRIMARY KEY (field, value));
      CREATE INDEX IF NOT EXISTS links_profile ON links (profile);`);
  }

  private get(key: IdentityKey): Link | null {
    const row = this.sql
      .exec<{ profile: string; verified: number }>(
        "SELECT profile, verified FROM links WHERE field = ? AND value = ?",
        key.field,
        key.value,
      )
      .toArray()[0];
    return row ? { profile: row.profile, verified: row.verified === 1 } : null;
  }

  /** Where each key points (null for unknown keys), in the order given. */
  async lookup(keys: IdentityKey[]): Promise<(Link | null)[]> {
    return keys.map((k) => this.get(k));
  }

  /**
   * Links each key to `profile` unless it already points elsewhere (a
   * verified claim replaces an unverified link). Returns where each key
   * points afterwards: the caller merges when that is another profile.
   */
  async claim(keys: IdentityKey[], profile: string, verified: boolean): Promise<Link[]> {
    const now = Date.now();
    return keys.map((key) => {
      const current = this.get(key);
      if (!current || (verified && !current.verified)) {
        this.sql.exec(
          "INSERT INTO links (field, value, profile, verified, updated) VALUES (?, ?, ?, ?, ?) ON CONFLICT(field, value) DO UPDATE SET profile = excluded.profile, verified = excluded.verified, updated = excluded.updated",
          key.field,
          key.value,
          profile,
          verified ? 1 : 0,
          now,
        );
        return { profile, verified };
      }
      if (current.profile === profile && verified && !current.verified) {
        this.sql.exec(
          "UPDATE links SET verified = 1, updated = ? WHERE field = ? AND value = ?",
          now,
          key.field,
          key.value,
        );
      }
      return current;
    });
  }

  /**
   * For each key: where it points, or, when nobody holds it yet, a new
   * verified link to its candidate (`claimed: true`).
   */
  async lookupOrClaim(entries: CandidateLink[]): Promise<ResolvedLink[]> {
    const now = Date.now();
    return entries.map(({ key, candidate }) => {
      const current = this.get(key);
      if (current) return { link: current, claimed: false };
      this.sql.exec(
        "INSERT INTO links (field, value, profile, verified, updated) VALUES (?, ?, ?, 1, ?)",
        key.field,
        key.value,
        candidate,
        now,
      );
      return { link: { profile: candidate, verified: true }, claimed: true };
    });
  }

  /** Re-points keys that point at `from` to `to` (after a merge). */
  async repoint(keys: IdentityKey[], from: string, to: string): Promise<void> {
    const now = Date.now();
    for (const key of keys) {
      this.sql.exec(
        "UPDATE links SET profile = ?, updated = ? WHERE field = ? AND value = ? AND profile = ?",
        to,
        now,
        key.field,
        key.value,
        from,
      );
    }
  }

  /** A page of the distinct profile ids linked in this shard (ascending, after `after`). */
  async profiles(after: string, limit: number): Promise<string[]> {
    return this.sql
      .exec<{ profile: string }>(
        "SELECT DISTINCT profile FROM links WHERE profile > ? ORDER BY profile LIMIT ?",
        after,
        limit,
      )
      .toArray()
      .map((r) => r.profile);
  }

  /** Removes every link to the given profiles (erase). Returns how many. */
  async unlink(profiles: string[]): Promise<number> {
    let n = 0;
    for (const p of profiles) n += this.sql.exec("DELETE FROM links WHERE profile = ?", p).rowsWritten;
    return n;
  }
}
