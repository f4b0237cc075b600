/**
 * Hosts whose pages sent the account events: the answer to "is the tag
 * installed on this site?". The collect domain notes a host when a browser
 * call from one of its pages succeeds (at most once a minute per host and
 * worker isolate); the account object keeps the first and last sighting.
 */

/** Most hosts remembered per account (the least recently seen are dropped). */
export const MAX_HOSTS = 1_000;

/** When the edge first and last saw events from pages on a host. */
export interface HostSighting {
  host: string;
  /** Epoch milliseconds. */
  first: number;
  /** Epoch milliseconds. */
  last: number;
  /** Sightings recorded (at most one a minute per worker isolate): a lower bound of the calls. */
  count: number;
}

/** The host table of one account object. */
export class HostSightingTable {
  constructor(private readonly sql: SqlStorage) {}

  private table(): void {
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS host_sightings (host TEXT PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL, count INTEGER NOT NULL)",
    );
  }

  /** Notes that pages on `hosts` sent events at `at`. */
  note(hosts: string[], at: number): void {
    this.table();
    for (const host of hosts)
      this.sql.exec(
        `INSERT INTO host_sightings (host, first, last, count) VALUES (?, ?, ?, 1)
         ON CONFLICT(host) DO UPDATE SET last = MAX(last, excluded.last), count = count + 1`,
        host,
        at,
        at,
      );
    this.sql.exec(
      "DELETE FROM host_sightings WHERE host NOT IN (SELECT host FROM host_sightings ORDER BY last DESC LIMIT ?)",
      MAX_HOSTS,
    );
  }

  /** The sighting of `host`, or null when the edge never saw it. */
  get(host: string): HostSighting | null {
    if (this.sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'host_sightings'").toArray().length === 0) return null;
    const row = this.sql
      .exec<{ host: string; first: number; last: number; count: number }>(
        "SELECT host, first, last, count FROM host_sightings WHERE host = ?",
        host,
      )
      .toArray()[0];
    return row ? { ...row } : null;
  }
}
