/**
 * Turning incoming rows into stored rows: Avro validation, primary key,
 * foreign-key references and event matches (pure), and the foreign-key
 * existence check (through a lookup the caller provides).
 */
import { checkRecord, storedSchema, type AvroRecord } from "../codecs/avro";
import { matchEvents, type EventDef } from "../model/events";
import type { CollectionDef } from "../model/collection";
import { MAX_KEY_LENGTH, MAX_ROW_CHARS } from "../model/limits";
import type { ErrorDetail } from "../../platform/http/errors";

/** A row ready to store. */
export interface PreparedRow {
  /** Primary key value as text (the data item id). */
  key: string;
  data: Record<string, unknown>;
  /** Events the row matches. */
  matches: string[];
  /** Primary keys of other rows this row refers to. */
  refs: { field: string; collection: string; collectionName: string; key: string }[];
  /** Where errors about this row point (`[3]`, `bookings[3]`, or `""`). */
  path: string;
}

/** A collection with what its rows are checked against. */
export interface IngestTarget {
  def: CollectionDef;
  schema: AvroRecord;
  events: EventDef[];
}

/** The ingest target of a stored definition. */
export function targetOf(def: CollectionDef, events: EventDef[]): IngestTarget {
  return { def, schema: storedSchema(def.schema), events };
}

const join = (base: string, key: string) => (base ? `${base}.${key}` : key);

/** Checks one incoming row; errors name the field under `path`. */
export function prepareRow(
  target: IngestTarget,
  raw: unknown,
  path: string,
): { ok: true; row: PreparedRow } | { ok: false; errors: ErrorDetail[] } {
  const { def } = target;
  if (!def.primaryKey)
    return {
      ok: false,
      errors: [
        { path: path || "$", message: `collection "${def.name}" has no primary key; set one before storing data` },
      ],
    };
  const checked = checkRecord(target.schema, raw, path);
  if (!checked.ok) return checked;
  const data = checked.value;
  const pk = data[def.primaryKey];
  const key = pk === null || pk === undefined ? "" : String(pk);
  if (key === "")
    return { ok: false, errors: [{ path: join(path, def.primaryKey), message: "the primary key may not be empty" }] };
  if (key.length > MAX_KEY_LENGTH)
    return {
      ok: false,
      errors: [
        { path: join(path, def.primaryKey), message: `the primary key may have at most ${MAX_KEY_LENGTH} characters` },
      ],
    };
  if (JSON.stringify(data).length > MAX_ROW_CHARS)
    return {
      ok: false,
      errors: [{ path: path || "$", message: `a row may have at most ${MAX_ROW_CHARS} characters of JSON` }],
    };
  const refs: PreparedRow["refs"] = [];
  for (const fk of def.foreignKeys) {
    const v = data[fk.field];
    if (v !== null && v !== undefined)
      refs.push({ field: fk.field, collection: fk.collection, collectionName: fk.collectionName, key: String(v) });
  }
  return { ok: true, row: { key, data, matches: matchEvents(target.events, data), refs, path } };
}

/** Answers which of `keys` exist as primary keys of collection `collection`. */
export type KeyLookup = (collection: string, keys: string[]) => Promise<string[]>;

/** Keys asked per lookup call. */
const LOOKUP_BATCH = 2000;

/**
 * Finds rows whose foreign keys point at rows that do not exist. A key is
 * satisfied by a stored row or by a row of the same request (`pending`:
 * collection id → keys being stored). Returns errors per row index.
 */
export async function missingReferences(
  rows: PreparedRow[],
  pending: Map<string, Set<string>>,
  lookup: KeyLookup,
): Promise<Map<number, ErrorDetail[]>> {
  const wanted = new Map<string, Set<string>>();
  for (const row of rows) {
    for (const ref of row.refs) {
      if (pending.get(ref.collection)?.has(ref.key)) continue;
      let set = wanted.get(ref.collection);
      if (!set) wanted.set(ref.collection, (set = new Set()));
      set.add(ref.key);
    }
  }
  const found = new Map<string, Set<string>>();
  await Promise.all(
    [...wanted].map(async ([collection, keys]) => {
      const all = [...keys];
      const hits = new Set<string>();
      for (let i = 0; i < all.length; i += LOOKUP_BATCH)
        for (const k of await lookup(collection, all.slice(i, i + LOOKUP_BATCH))) hits.add(k);
      found.set(collection, hits);
    }),
  );
  const errors = new Map<number, ErrorDetail[]>();
  rows.forEach((row, i) => {
    for (const ref of row.refs) {
      if (pending.get(ref.collection)?.has(ref.key) || found.get(ref.collection)?.has(ref.key)) continue;
      const list = errors.get(i) ?? [];
      list.push({
        path: join(row.path, ref.field),
        message: `no row with primary key ${JSON.stringify(ref.key)} in collection "${ref.collectionName}"`,
      });
      errors.set(i, list);
    }
  });
  return errors;
}
