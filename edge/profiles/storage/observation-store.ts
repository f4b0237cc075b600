import type { FieldValue } from "../../../types/wire";
import type { ProfileSnapshot } from "../contract";
import type { Observation } from "../merge/merge-strategies";

/** Most distinct values remembered per field (the least recent are dropped). */
export const MAX_VALUES_PER_FIELD = 50;

/** A stored row of `obs`: one distinct value of a field, as a snapshot carries it. */
export type ObservationRow = ProfileSnapshot["observations"][number];

/**
 * The profile's `obs` table: every distinct value seen per field (its JSON
 * text), with first/last time and arrival sequence and a count, so any merge
 * strategy can be applied at read time.
 */
export class ObservationTable {
  private obsCache: Map<string, Map<string, Observation>> | null = null;

  constructor(private readonly sql: SqlStorage) {}

  /** Every observation by field and JSON value (cached). */
  observations(): Map<string, Map<string, Observation>> {
    if (!this.obsCache) {
      const all = new Map<string, Map<string, Observation>>();
      for (const row of this.sql.exec<{
        name: string;
        value: string;
        first: number;
        last: number;
        count: number;
        fseq: number;
        lseq: number;
      }>("SELECT name, value, first, last, count, fseq, lseq FROM obs")) {
        let byValue = all.get(row.name);
        if (!byValue) all.set(row.name, (byValue = new Map()));
        byValue.set(row.value, {
          value: JSON.parse(row.value) as FieldValue,
          first: row.first,
          last: row.last,
          count: row.count,
          firstSeq: row.fseq,
          lastSeq: row.lseq,
        });
      }
      this.obsCache = all;
    }
    return this.obsCache;
  }

  /** Records one sighting of `value` in field `name` at event time `at`, arrival sequence `seq`. */
  observe(name: string, value: FieldValue, at: number, seq: number): void {
    const json = JSON.stringify(value);
    const all = this.observations();
    let byValue = all.get(name);
    const known = byValue?.get(json);
    if (known) {
      // Later in event time, or the same time and a later arrival: the newest sighting.
      if (at > known.last || (at === known.last && seq > (known.lastSeq ?? 0))) {
        known.last = at;
        known.lastSeq = seq;
      }
      if (at < known.first) {
        known.first = at;
        known.firstSeq = seq;
      }
      known.count++;
      this.sql.exec(
        "UPDATE obs SET first = ?, fseq = ?, last = ?, lseq = ?, count = ? WHERE name = ? AND value = ?",
        known.first,
        known.firstSeq ?? 0,
        known.last,
        known.lastSeq ?? 0,
        known.count,
        name,
        json,
      );
      return;
    }
    this.sql.exec(
      "INSERT INTO obs (name, value, first, last, count, fseq, lseq) VALUES (?, ?, ?, ?, 1, ?, ?)",
      name,
      json,
      at,
      at,
      seq,
      seq,
    );
    if (!byValue) all.set(name, (byValue = new Map()));
    byValue.set(json, {
      value: JSON.parse(json) as FieldValue,
      first: at,
      last: at,
      count: 1,
      firstSeq: seq,
      lastSeq: seq,
    });
    if (byValue.size > MAX_VALUES_PER_FIELD) {
      const oldest = [...byValue].sort((a, b) => a[1].last - b[1].last).slice(0, byValue.size - MAX_VALUES_PER_FIELD);
      for (const [v] of oldest) {
        this.sql.exec("DELETE FROM obs WHERE name = ? AND value = ?", name, v);
        byValue.delete(v);
      }
    }
  }

  /** The stored rows, as a snapshot carries them. */
  rows(): ObservationRow[] {
    return this.sql
      .exec<ObservationRow>("SELECT name, value, first, last, count, fseq, lseq FROM obs")
      .toArray()
      .map((r) => ({ ...r }));
  }

  dropCache(): void {
    this.obsCache = null;
  }
}
