import { env as testEnv, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CollectionObject } from "../../../edge/collections/collection-object";

const env = testEnv as unknown as { COLLECTIONS: DurableObjectNamespace<CollectionObject> };

/** A collections object, addressed the way the edge addresses it (by name). */
const object = (name: string) => env.COLLECTIONS.get(env.COLLECTIONS.idFromName(name));

const def = {
  id: "1700000000000001",
  name: "bookings",
  source: "api",
  description: null,
  schema: { type: "record", name: "booking", fields: [{ name: "id", type: "long" }] },
  primaryKey: "id",
  foreignKeys: [],
  profileIdentifier: null,
  userIdentifiers: [],
  userAttributes: null,
  version: 3,
  created: "2026-01-01T00:00:00.000Z",
  updated: "2026-01-02T00:00:00.000Z",
};
const event = { name: "big_booking", collection: def.id, conditions: [] };
const job = {
  id: `${def.id}-0123456789abcdef0123456789abcdef`,
  collection: def.id,
  state: "done",
  size: 12,
  offset: 12,
  line: 3,
  header: ["id"],
  ignoredColumns: [],
  rowsOk: 1,
  rowsFailed: 0,
  errors: [],
  errorsTotal: 0,
  attempts: 0,
  message: null,
  created: 1767225600000,
  expires: 1767229200000,
  started: 1767225601000,
  finished: 1767225602000,
};

/**
 * Rows exactly as collections objects have written them since before the
 * object was split by concern (registry, rows, outbox, uploads, matches):
 * existing `.wrangler/state` and deployed objects must read unchanged.
 */
describe("collections objects' stored format", () => {
  it("reads a registry, a collection and a profile's matches written in the existing format", async () => {
    const cid = `fmt${Date.now()}`;
    await runInDurableObject(object(`${cid}/registry`), async (_obj: CollectionObject, state) => {
      state.storage.sql.exec(`CREATE TABLE reg_collections (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
        CREATE TABLE reg_events (name TEXT PRIMARY KEY, collection TEXT NOT NULL, body TEXT NOT NULL);`);
      state.storage.sql.exec("INSERT INTO reg_collections VALUES (?, ?, ?)", def.id, def.name, JSON.stringify(def));
      state.storage.sql.exec("INSERT INTO reg_events VALUES (?, ?, ?)", event.name, def.id, JSON.stringify(event));
    });
    await runInDurableObject(object(`${cid}/registry`), async (obj: CollectionObject) => {
      expect(await obj.listCollections()).toEqual([def]);
      expect(await obj.findCollection("bookings")).toEqual(def);
      expect(await obj.listEvents()).toEqual([event]);
      expect(await obj.sourceCollections("api")).toEqual([{ def, events: [event] }]);
    });

    await runInDurableObject(object(`${cid}/c/${def.id}`), async (_obj: CollectionObject, state) => {
      const sql = state.storage.sql;
      sql.exec(`CREATE TABLE coll_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE coll_rows (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, data TEXT NOT NULL, matches TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL);
        CREATE TABLE coll_feed (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
        CREATE TABLE coll_uploads (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL, state TEXT NOT NULL, created INTEGER NOT NULL, body TEXT NOT NULL);`);
      for (const [k, v] of [
        ["cid", cid],
        ["def", JSON.stringify(def)],
        ["events", JSON.stringify([event])],
      ])
        sql.exec("INSERT INTO coll_meta VALUES (?, ?)", k, v);
      sql.exec(
        "INSERT INTO coll_rows (key, data, matches, created, updated) VALUES (?, ?, ?, ?, ?)",
        "42",
        JSON.stringify({ id: 42 }),
        JSON.stringify(["big_booking"]),
        1767225600000,
        1767312000000,
      );
      sql.exec(
        "INSERT INTO coll_uploads VALUES (?, ?, ?, ?, ?)",
        job.id,
        "hash",
        job.state,
        job.created,
        JSON.stringify(job),
      );
    });
    await runInDurableObject(object(`${cid}/c/${def.id}`), async (obj: CollectionObject) => {
      const row = {
        key: "42",
        data: { id: 42 },
        matches: ["big_booking"],
        created: "2026-01-01T00:00:00.000Z",
        updated: "2026-01-02T00:00:00.000Z",
      };
      expect(await obj.describe()).toEqual({ def, events: [event], rows: 1 });
      expect(await obj.getRow("42")).toEqual(row);
      expect(await obj.existingKeys(["42", "43"])).toEqual(["42"]);
      expect((await obj.listRows(null, 10)).items).toEqual([row]);
      expect(await obj.uploadStatus(job.id)).toEqual(job);
      // A used upload URL stays refused.
      expect(await obj.claimUpload(job.id, "hash")).toMatchObject({ ok: false, reason: "conflict" });
    });

    await runInDurableObject(object(`${cid}/m/p1`), async (_obj: CollectionObject, state) => {
      state.storage.sql.exec(
        "CREATE TABLE match_events (name TEXT PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL, count INTEGER NOT NULL)",
      );
      state.storage.sql.exec("INSERT INTO match_events VALUES ('big_booking', 10, 20, 2)");
    });
    await runInDurableObject(object(`${cid}/m/p1`), async (obj: CollectionObject) => {
      expect(await obj.matches()).toEqual([{ name: "big_booking", first: 10, last: 20, count: 2 }]);
      await obj.recordMatches(["big_booking"], 30);
      expect(await obj.matches()).toEqual([{ name: "big_booking", first: 10, last: 30, count: 3 }]);
    });
  });
});
