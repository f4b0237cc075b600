import { env as testEnv, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ProfileRpc, ProfileView } from "../../../edge/profiles/contract";
import { admin, eventually, newAccount, ok } from "../helpers";
import { restartOver } from "../restart-over";

const env = testEnv as unknown as { PROFILE: DurableObjectNamespace };

/** The profile object the edge addresses as `${cid}/${id}`. */
const profileStub = (cid: string, id: string) => env.PROFILE.get(env.PROFILE.idFromName(`${cid}/${id}`));

const T0 = Date.parse("2026-01-01T00:00:00.000Z");
const T1 = T0 + 60_000;
const T2 = T0 + 120_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The profile object's tables exactly as commit e54d76c created them (before
 * the object was split into storage modules). `legacy` leaves out the columns
 * later versions added with ALTER TABLE: `obs.fseq`/`obs.lseq` and `outbox.sent`.
 */
function createTablesAsE54d76c(sql: SqlStorage, legacy: boolean): void {
  const obs = legacy
    ? "CREATE TABLE obs (name TEXT NOT NULL, value TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (name, value));"
    : "CREATE TABLE obs (name TEXT NOT NULL, value TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, count INTEGER NOT NULL, fseq INTEGER NOT NULL DEFAULT 0, lseq INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (name, value));";
  const outbox = legacy
    ? "CREATE TABLE outbox (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);"
    : "CREATE TABLE outbox (seq INTEGER PRIMARY KEY, body TEXT NOT NULL, sent INTEGER);";
  sql.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    ${obs}
    CREATE TABLE seen (eid TEXT PRIMARY KEY, ts INTEGER NOT NULL);
    CREATE TABLE ids (field TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (field, value));
    CREATE TABLE absorbed (id TEXT PRIMARY KEY);
    ${outbox}`);
  if (legacy) return; // The oldest profiles had none of the tables below.
  sql.exec(`CREATE TABLE membership (slug TEXT PRIMARY KEY, member INTEGER NOT NULL, enter INTEGER, exit INTEGER);
    CREATE TABLE manual (slug TEXT PRIMARY KEY, assigned INTEGER NOT NULL);
    CREATE TABLE xp_state (k INTEGER PRIMARY KEY CHECK (k = 0), body TEXT NOT NULL);
    CREATE TABLE xp_outbox (id TEXT PRIMARY KEY, shard TEXT NOT NULL, body TEXT NOT NULL);
    CREATE TABLE recent (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, body TEXT NOT NULL);`);
}

/** A person's rows as e54d76c wrote them: fields, identifiers, an absorbed profile, audiences, experiences, a timeline and an outbox. */
function writeProfileRows(sql: SqlStorage, cid: string, id: string, legacy: boolean): void {
  createTablesAsE54d76c(sql, legacy);
  const meta = (key: string, value: string | number) => sql.exec("INSERT INTO meta VALUES (?, ?)", key, String(value));
  meta("id", id);
  meta("cid", cid);
  meta("created", T0);
  meta("modified", T2);
  meta("sessions", 2);
  meta("events", 3);
  meta("obs_seq", 3);
  meta("seq", 2);
  meta("first_visit", T0);
  meta("last_visit", T2);
  meta("segments_version", 1);
  meta("field_options", JSON.stringify({ fields: {} }));
  meta("refused_merges", JSON.stringify([{ with: ["p-big"], reason: "too many identifiers", at: iso(T1) }]));
  if (!legacy) {
    meta(
      "activity",
      JSON.stringify({
        v: 1,
        firstSeen: T0,
        lastSeen: T2,
        events: 3,
        sessions: 2,
        closedSessionMs: 0,
        current: { start: T1, last: T2 },
        days: [[Math.floor(T0 / 86_400_000), 3]],
      }),
    );
    meta(
      "content_affinity",
      JSON.stringify({ topics: { hiking: { s: 1, t: T1, n: 1 } }, visited: { "shop.example/boots": T1 }, views: 1 }),
    );
  }
  // Observations: every value seen per field, with first/last times and counts.
  const obs: [string, unknown, number, number, number, number, number][] = [
    ["name", "Ada", T0, T0, 1, 1, 1],
    ["plan", "free", T0, T0, 1, 1, 1],
    ["plan", "pro", T1, T2, 2, 2, 3],
    ["email", "ada@old.example", T0, T0, 1, 1, 1],
  ];
  for (const [name, value, first, last, count, fseq, lseq] of obs) {
    if (legacy) sql.exec("INSERT INTO obs VALUES (?, ?, ?, ?, ?)", name, JSON.stringify(value), first, last, count);
    else
      sql.exec(
        "INSERT INTO obs VALUES (?, ?, ?, ?, ?, ?, ?)",
        name,
        JSON.stringify(value),
        first,
        last,
        count,
        fseq,
        lseq,
      );
  }
  const now = Date.now();
  for (const eid of ["e1", "e2", "e3"]) sql.exec("INSERT INTO seen VALUES (?, ?)", eid, now);
  sql.exec("INSERT INTO ids VALUES ('_uid', 'u-old'), ('email', 'ada@old.example')");
  sql.exec("INSERT INTO absorbed VALUES ('p-absorbed')");
  // A membership message the queue accepted long ago and never confirmed: it must be sent again.
  const message = {
    type: "membership",
    cid,
    profile: id,
    seq: 2,
    at: iso(T1),
    changes: [{ slug: "pros", event: "enter", enter: iso(T1), exit: null }],
    fields: { plan: "pro" },
    segments: ["pros"],
    outbox: { profile: id, seq: 2 },
  };
  if (legacy) sql.exec("INSERT INTO outbox VALUES (2, ?)", JSON.stringify(message));
  else sql.exec("INSERT INTO outbox VALUES (2, ?, ?)", JSON.stringify(message), T1);
  if (legacy) return;
  sql.exec("INSERT INTO membership VALUES ('pros', 1, ?, NULL), ('trial', 0, ?, ?)", T1, T0, T1);
  sql.exec("INSERT INTO manual VALUES ('vip', 1)");
  sql.exec(
    "INSERT INTO xp_state VALUES (0, ?)",
    JSON.stringify({ reached: { x1: "a" }, converted: { x1: "a" }, goals: {} }),
  );
  const recent = (at: number, fields: Record<string, unknown>) =>
    sql.exec(
      "INSERT INTO recent (at, body) VALUES (?, ?)",
      at,
      JSON.stringify({ at, type: "pv", stream: "default", fields }),
    );
  recent(T0, { name: "Ada", plan: "free", email: "ada@old.example" });
  recent(T1, { plan: "pro" });
  recent(T2, { plan: "pro" });
}

/** The restarted object's RPC surface (the instance is the object itself). */
const reopened = (instance: object): ProfileRpc => instance as ProfileRpc;

const asView = (v: unknown) => v as ProfileView;

describe("profile object storage format (as written by e54d76c)", () => {
  it("reads fields, identifiers, audiences, experiences, timeline and outbox of a stored profile through every RPC method", async () => {
    const cid = await newAccount();
    await ok(
      await admin(`/v2/segment?cid=${cid}`, "POST", { slug_name: "pros", segment_ql: 'FILTER plan = "pro"' }),
      201,
    );
    const id = "p-old";
    let stub = profileStub(cid, id);
    stub = await restartOver(env.PROFILE, stub, (sql) => writeProfileRows(sql, cid, id, false));
    await runInDurableObject(stub, async (instance) => {
      const profile = reopened(instance);

      expect(await profile.info()).toEqual({ created: T0, alias: null, idCounts: { _uid: 1, email: 1 } });
      const view = asView(await profile.read());
      expect(view).toMatchObject({
        id,
        cid,
        created: T0,
        modified: T2,
        events: 3,
        merged: ["p-absorbed"],
        identifiers: [
          { field: "_uid", value: "u-old" },
          { field: "email", value: "ada@old.example" },
        ],
        refusedMerges: [{ with: ["p-big"], reason: "too many identifiers", at: iso(T1) }],
        segments: ["pros"],
      });
      expect(view.fields).toMatchObject({
        name: "Ada",
        plan: "pro",
        email: "ada@old.example",
        _uids: ["u-old"],
        _created: iso(T0),
        _modified: iso(T2),
        visitct: 2,
        _sessions: 2,
        first_visit: iso(T0),
        last_visit: iso(T2),
        experiences_reached: ["x1", "x1:a"],
        experiences_converted: ["x1", "x1:a"],
        content_views: 1,
      });
      expect(view.fields.topic_visited).toMatchObject({ hiking: 1 });
      // The merge strategy reads every stored value, not only the latest.
      const firstPlan = asView(await profile.read({ fields: { plan: { merge: "first" } } }));
      expect(firstPlan.fields.plan).toBe("free");

      expect(await profile.audienceHistory()).toEqual([
        { slug: "pros", member: true, enter: iso(T1), exit: null },
        { slug: "trial", member: false, enter: iso(T0), exit: iso(T1) },
      ]);
      expect((await profile.recentEvents()).map((e) => [e.at, e.fields])).toEqual([
        [T2, { plan: "pro" }],
        [T1, { plan: "pro" }],
        [T0, { name: "Ada", plan: "free", email: "ada@old.example" }],
      ]);

      // A duplicate of a stored event id is skipped; a new event adds to the stored counts.
      const dup = asView(await profile.ingest(cid, id, [{ _e: "pv", _eid: "e3", plan: "free" }], []));
      expect(dup.events).toBe(3);
      const after = asView(
        await profile.ingest(cid, id, [{ _e: "pv", _eid: "e4", name: "Ada L." }], [{ field: "_uid", value: "u-new" }]),
      );
      expect(after.events).toBe(4);
      expect(after.fields).toMatchObject({ name: "Ada L.", plan: "pro", _uids: ["u-new", "u-old"] });
      // Still a member, entered at the stored time (an audience assigned by hand stays assigned).
      expect(after.segments).toContain("pros");
      expect((await profile.audienceHistory()).find((h) => h.slug === "pros")).toEqual({
        slug: "pros",
        member: true,
        enter: iso(T1),
        exit: null,
      });
      expect((await profile.recentEvents(1))[0]?.fields).toEqual({ name: "Ada L." });

      const dump = await profile.dump();
      expect(dump).toMatchObject({
        id,
        created: T0,
        sessions: 2,
        events: 4,
        firstVisit: T0,
        manual: { assigned: ["vip"] },
      });
      expect(dump?.observations).toContainEqual({
        name: "plan",
        value: '"pro"',
        first: T1,
        last: T2,
        count: 2,
        fseq: 2,
        lseq: 3,
      });
      expect(dump?.merged).toEqual(["p-absorbed"]);
      expect(dump?.experiences).toEqual({ reached: { x1: "a" }, converted: { x1: "a" }, goals: {} });
      expect(dump?.recent).toHaveLength(4);

      await profile.noteRefusedMerge(["p-other"], "limit");
      expect(asView(await profile.read()).refusedMerges.map((r) => r.with)).toEqual([["p-big"], ["p-other"]]);
      expect(await profile.reevaluate()).toEqual({ segments: ["pros"] });
      expect(asView(await profile.assign(["manual_club"], [])).segments).toContain("pros");
    });

    // The stored, never-confirmed outbox message was sent again and the queue consumer confirmed it.
    const outboxLeft = () =>
      runInDurableObject(
        stub,
        (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE seq = 2").one().n,
      );
    expect(await eventually(outboxLeft, (n) => n === 0)).toBe(0);
  });

  it("merges a stored profile into another and erases it", async () => {
    const cid = await newAccount();
    let stub = profileStub(cid, "p-old");
    stub = await restartOver(env.PROFILE, stub, (sql) => writeProfileRows(sql, cid, "p-old", false));
    const snapshot = await runInDurableObject(stub, (instance) => reopened(instance).retire("p-master"));
    expect(snapshot.identifiers).toContainEqual({ field: "email", value: "ada@old.example" });
    const master = profileStub(cid, "p-master") as unknown as ProfileRpc;
    await master.ingest(cid, "p-master", [{ _e: "pv", _eid: "m1", plan: "team" }], [{ field: "_uid", value: "u-m" }]);
    const merged = asView(await master.absorb(cid, "p-master", snapshot));
    expect(merged.events).toBe(4);
    expect(merged.merged).toEqual(["p-absorbed", "p-old"]);
    expect(merged.fields).toMatchObject({ name: "Ada", email: "ada@old.example", _uids: ["u-m", "u-old"], visitct: 3 });
    expect(merged.fields.experiences_reached).toEqual(["x1", "x1:a"]);
    expect((await master.recentEvents()).length).toBe(4);
    const old = stub as unknown as ProfileRpc;
    expect(await old.read()).toEqual({ alias: "p-master" });

    await old.erase();
    expect(await old.read()).toBeNull();
    expect(await old.dump()).toBeNull();
    expect(await old.ingest(cid, "p-old", [{ _e: "pv" }], [])).toEqual({ gone: true });
  });

  it("reads a profile stored before arrival sequences and outbox confirmations (obs without fseq/lseq, outbox without sent)", async () => {
    const cid = await newAccount();
    const id = "p-oldest";
    let stub = profileStub(cid, id);
    stub = await restartOver(env.PROFILE, stub, (sql) => writeProfileRows(sql, cid, id, true));
    await runInDurableObject(stub, async (instance) => {
      const profile = reopened(instance);
      const view = asView(await profile.read());
      expect(view.fields).toMatchObject({ name: "Ada", plan: "pro", email: "ada@old.example", visitct: 2 });
      expect(view).toMatchObject({ id, events: 3, merged: ["p-absorbed"], segments: [] });
      expect(view.identifiers).toEqual([
        { field: "_uid", value: "u-old" },
        { field: "email", value: "ada@old.example" },
      ]);
      expect(await profile.audienceHistory()).toEqual([]);
      expect(await profile.recentEvents()).toEqual([]);
      // A new event orders after every stored value (stored values count as sequence 0).
      const after = asView(await profile.ingest(cid, id, [{ _e: "pv", _eid: "e9", plan: "free" }], []));
      expect(after.fields.plan).toBe("free");
      const dump = await profile.dump();
      expect(dump?.observations).toContainEqual({
        name: "name",
        value: '"Ada"',
        first: T0,
        last: T0,
        count: 1,
        fseq: 0,
        lseq: 0,
      });
    });
    // The stored outbox message had never been sent (no `sent` column): it is sent and confirmed.
    const outboxLeft = () =>
      runInDurableObject(
        stub,
        (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE seq = 2").one().n,
      );
    expect(await eventually(outboxLeft, (n) => n === 0)).toBe(0);
  });
});
