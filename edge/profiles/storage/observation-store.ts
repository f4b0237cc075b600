import type { FieldValue } from "../../../types/wire";
import type { ProfileSnapshot } from "../contract";
import type { Observation } from "../merge/merge-strategies";
import { execRows } from "./multi-row";
import type { ProfileTables } from "./schema";

/** Most distinct values remembered per field (the least recent are dropped). */
export const MAX_VALUES_PER_FIELD = 50;

/** One sighting of a field's value: event time `at`, arrival sequence `seq`. */
export interface Sighting {
  name: string;
  value: FieldValue;
  at: number;
  seq: number;
}

/** A stored row of `obs`: one distinct value of a field, as a snapshot carries it. */
export type ObservationRow = ProfileSnapshot["observations"][number];

/**
 * The profile's `obs` table: every distinct value seen per field (its JSON
 * text), with first/last time and arrival sequence and a count, so any merge
 * strategy can be applied at read time.
 */
export class ObservationTable {
  private obsCache: Map<string, Map<string, Observation>> | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly tables: ProfileTables,
  ) {}

  /** Every observation by field and JSON value (cached). */
  observations(): Map<string, Map<string, Observation>> {
    if (!this.obsCache) {
      const all = new Map<string, Map<string, Observation>>();
      const rows = this.tables.has("obs")
        ? this.sql.exec<{
            name: string;
            value: string;
            first: number;
            last: number;
            count: number;
            fseq: number;
            lseq: number;
          }>("SELECT name, value, first, last, count, fseq, lseq FROM obs")
        : [];
      for (const row of rows) {
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
    this.observeAll([{ name, value, at, seq }]);
  }

  /**
   * Records the sightings of a batch of events. Memory follows each sighting
   * in order; storage gets one write per distinct value at the end, however
   * many events of the batch saw it (the rows end as sighting by sighting).
   */
  observeAll(sightings: Iterable<Sighting>): void {
    const all = this.observations();
    /** Values the batch touched: true when the row is new (an insert), false when stored (an update). */
    const touched = new Map<Map<string, Observation>, Map<string, boolean>>();
    const touch = (byValue: Map<string, Observation>, json: string, inserted: boolean) => {
      let t = touched.get(byValue);
      if (!t) touched.set(byValue, (t = new Map()));
      t.set(json, t.get(json) ?? inserted);
    };
    const names = new Map<Map<string, Observation>, string>();
    for (const { name, value, at, seq } of sightings) {
      const json = JSON.stringify(value);
      let byValue = all.get(name);
      if (!byValue) all.set(name, (byValue = new Map()));
      names.set(byValue, name);
      const known = byValue.get(json);
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
        touch(byValue, json, false);
        continue;
      }
      byValue.set(json, {
        value: JSON.parse(json) as FieldValue,
        first: at,
        last: at,
        count: 1,
        firstSeq: seq,
        lastSeq: seq,
      });
      touch(byValue, json, true);
      if (byValue.size > MAX_VALUES_PER_FIELD) {
        const oldest = [...byValue].sort((a, b) => a[1].last - b[1].last).slice(0, byValue.size - MAX_VALUES_PER_FIELD);
        for (const [v] of oldest) {
          byValue.delete(v);
          const pending = touched.get(byValue);
          // A value first stored by this batch was never written: nothing to delete.
          if (pending?.get(v) === true) pending.delete(v);
          else {
            pending?.delete(v);
            this.sql.exec("DELETE FROM obs WHERE name = ? AND value = ?", name, v);
          }
        }
      }
    }
    // One upsert for every value the batch touched (the memory mirror holds each row's final state).
    const rows: SqlStorageValue[][] = [];
    for (const [byValue, values] of touched) {
      const name = names.get(byValue)!;
      for (const json of values.keys()) {
        const o = byValue.get(json)!;
        rows.push([name, json, o.first, o.last, o.count, o.firstSeq ?? 0, o.lastSeq ?? 0]);
      }
    }
    if (!rows.length) return;
    this.tables.ensure("obs");
    execRows(
      this.sql,
      "INSERT INTO obs (name, value, first, last, count, fseq, lseq)",
      "ON CONFLICT(name, value) DO UPDATE SET first = excluded.first, last = excluded.last, count = excluded.count, fseq = excluded.fseq, lseq = excluded.lseq",
      rows,
    );
  }

  /** The stored rows, as a snapshot carries them. */
  rows(): ObservationRow[] {
    if (!this.tables.has("obs")) return [];
    return this.sql
      .exec<ObservationRow>("SELECT name, value, first, last, count, fseq, lseq FROM obs")
      .toArray()
      .map((r) => ({ ...r }));
  }

  dropCache(): void {
    this.obsCache = null;
  }
}
