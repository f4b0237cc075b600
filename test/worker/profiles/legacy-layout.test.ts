import { env as testEnv, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { claimLinks } from "../../../edge/identity/directory";
import type { Env } from "../../../edge/platform/env";
import { admin, collect, newAccount } from "../helpers";

const env = testEnv as unknown as Env;

/**
 * A profile object's storage exactly as older code wrote it: every table
 * created up front (rowid tables, an AUTOINCREMENT event log), observations
 * from before arrival sequences and an outbox from before confirmations.
 * Profiles stored so (existing `.wrangler/state`, deployed objects) must
 * read, take events, export and erase unchanged, without a migration.
 */
function writeLegacyProfile(sql: SqlStorage, cid: string, id: string, at: number): void {
  // Whatever the running code created on its first call makes way for the old layout.
  const tables = sql
    .exec<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf%' ESCAPE '\\' AND name <> 'sqlite_sequence'",
    )
    .toArray();
  for (const { name } of tables) sql.exec(`DROP TABLE ${name}`);
  sql.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE obs (name TEXT NOT NULL, value TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (name, value));
    CREATE TABLE seen (eid TEXT PRIMARY KEY, ts INTEGER NOT NULL);
    CREATE TABLE ids (field TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (field, value));
    CREATE TABLE absorbed (id TEXT PRIMARY KEY);
    CREATE TABLE outbox (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);
    CREATE TABLE membership (slug TEXT PRIMARY KEY, member INTEGER NOT NULL, enter INTEGER, exit INTEGER);
    CREATE TABLE manual (slug TEXT PRIMARY KEY, assigned INTEGER NOT NULL);
    CREATE TABLE xp_state (k INTEGER PRIMARY KEY CHECK (k = 0), body TEXT NOT NULL);
    CREATE TABLE xp_outbox (id TEXT PRIMARY KEY, shard TEXT NOT NULL, body TEXT NOT NULL);
    CREATE TABLE recent (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, body TEXT NOT NULL);`);
  const meta = { id, cid, created: at, modified: at, sessions: 1, events: 2, first_visit: at, last_visit: at, seq: 1 };
  for (const [key, value] of Object.entries(meta)) sql.exec("INSERT INTO meta VALUES (?, ?)", key, String(value));
  sql.exec("INSERT INTO obs VALUES ('plan', '\"gold\"', ?, ?, 2)", at, at);
  sql.exec("INSERT INTO obs VALUES ('color', '\"red\"', ?, ?, 1)", at - 1000, at - 1000);
  sql.exec("INSERT INTO ids VALUES ('_uid', 'old-visitor')");
  sql.exec("INSERT INTO seen VALUES ('old-event', ?)", at);
  sql.exec("INSERT INTO absorbed VALUES ('merged-long-ago')");
  sql.exec("INSERT INTO manual VALUES ('hand_picked', 1)");
  sql.exec("INSERT INTO membership VALUES ('hand_picked', 1, ?, NULL)", at);
  const event = { at, type: "pv", stream: "default", fields: { plan: "gold", color: "red" } };
  sql.exec("INSERT INTO recent (at, body) VALUES (?, ?)", at, JSON.stringify(event));
}

describe("profiles stored by older code", () => {
  it("read, take new events, export and erase unchanged", async () => {
    const cid = await newAccount({ fields: { color: { merge: "first" } } });
    const id = "legacy-profile-1";
    const at = Date.UTC(2026, 0, 1);
    const stub = env.PROFILE.get(env.PROFILE.idFromName(`${cid}/${id}`));
    await runInDurableObject(stub, (_instance, state) => writeLegacyProfile(state.storage.sql, cid, id, at));
    // The object starts afresh on its next call, over the stored rows, as after a deploy.
    await runInDurableObject(stub, (_instance, state) => state.abort("restart over the legacy rows")).catch(
      () => undefined,
    );
    await claimLinks(env, cid, [{ field: "_uid", value: "old-visitor" }], id, true);

    const person = async () => (await (await admin(`/api/person/_uid/old-visitor?cid=${cid}`)).json()).data;
    const before = await person();
    expect(before.fields.find((f: any) => f.name === "plan")).toMatchObject({ value: "gold" });
    expect(before.merged).toEqual(["merged-long-ago"]);
    expect(before.timeline).toHaveLength(1);

    // A retried old event is still recognised; a new one lands beside the old data.
    await collect(cid, { _uid: "old-visitor", _eid: "old-event", plan: "ignored" });
    await collect(cid, { _uid: "old-visitor", _eid: "new-event", plan: "platinum", color: "blue" });
    const after = await person();
    expect(after.fields.find((f: any) => f.name === "plan")).toMatchObject({ value: "platinum" });
    expect(after.fields.find((f: any) => f.name === "color")).toMatchObject({ value: "red" });
    expect(after.timeline.map((e: any) => e.fields.plan)).toEqual(["platinum", "gold"]);
    expect(after.audiences.map((a: any) => a.slug)).toEqual(["hand_picked"]);

    const exported = await (await admin(`/api/entity/user/_uid/old-visitor/export?cid=${cid}`)).json();
    expect(JSON.stringify(exported)).toContain("merged-long-ago");
    const erased = await admin(`/api/entity/user/_uid/old-visitor?cid=${cid}`, "DELETE");
    expect(erased.status).toBeLessThan(300);
    expect((await admin(`/api/entity/user/_uid/old-visitor?cid=${cid}`)).status).toBe(404);
  }, 60_000);
});
