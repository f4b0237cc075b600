import { env as testEnv, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AudienceJob, AudienceRecord } from "../../../edge/accounts/records/audience-records";
import type { AccountRpc } from "../../../edge/accounts/contract";

const env = testEnv as unknown as { ACCOUNT: DurableObjectNamespace };

/** A fresh account object, addressed the way the edge addresses it (by cid). */
function accountObject(cid: string): DurableObjectStub {
  return env.ACCOUNT.get(env.ACCOUNT.idFromName(cid));
}

const T = "2026-01-01T00:00:00.000Z";
const audience = (id: string, slug: string, is_public: boolean, groups: string[] = []): AudienceRecord => ({
  id,
  slug_name: slug,
  name: slug,
  description: "",
  table: "user",
  is_public,
  kind: "manual",
  ast: null,
  segment_ql: "",
  groups,
  created: T,
  updated: T,
});

/**
 * Rows exactly as account objects have written them since before the object
 * was split into per-aggregate stores: existing `.wrangler/state` (and
 * deployed objects) must read unchanged, without a migration.
 */
function writeLegacyRows(sql: SqlStorage, cid: string): void {
  sql.exec(`CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
    CREATE TABLE privacy_requests (id TEXT PRIMARY KEY, created TEXT NOT NULL, record TEXT NOT NULL);
    CREATE TABLE segments (id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
    CREATE TABLE segment_groups (id TEXT PRIMARY KEY, record TEXT NOT NULL);
    CREATE TABLE segment_jobs (id TEXT PRIMARY KEY, segment_id TEXT NOT NULL, record TEXT NOT NULL);
    CREATE TABLE subscriptions (id TEXT PRIMARY KEY, record TEXT NOT NULL);
    CREATE TABLE subscriptions_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    CREATE TABLE host_sightings (host TEXT PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL, count INTEGER NOT NULL);`);
  const kv = (key: string, value: unknown) => sql.exec("INSERT INTO kv VALUES (?, ?)", key, JSON.stringify(value));
  kv("account", { cid, name: "Old shop", domains: ["shop.example"], created: T, updated: T });
  kv("identity_secret", "old-secret");
  kv("segments_version", 7);
  const token = { id: "t1", name: "old", role: "admin", attributes: null, expires: null, created: T };
  sql.exec("INSERT INTO tokens VALUES (?, ?, ?)", "t1", "hash-1", JSON.stringify(token));
  const request = { request_id: "r1", type: "delete", field: "email", state: "completed", erased_profiles: 2 };
  sql.exec(
    "INSERT INTO privacy_requests VALUES (?, ?, ?)",
    "r1",
    T,
    JSON.stringify({ ...request, created: T, updated: T }),
  );
  sql.exec("INSERT INTO segments VALUES (?, ?, ?)", "a1", "vips", JSON.stringify(audience("a1", "vips", true, ["g1"])));
  sql.exec("INSERT INTO segments VALUES (?, ?, ?)", "a2", "quiet", JSON.stringify(audience("a2", "quiet", false)));
  sql.exec("INSERT INTO segment_groups VALUES (?, ?)", "g1", JSON.stringify({ id: "g1", name: "G", description: "" }));
  const job = { id: "j1", segment_id: "a1", type: "reevaluate", state: "completed", created: T, updated: T };
  sql.exec("INSERT INTO segment_jobs VALUES (?, ?, ?)", "j1", "a1", JSON.stringify(job));
  const sub = {
    id: "s1",
    state: "active",
    config: { segment_ids: ["a1"], trigger_fields: ["email"] },
    created: T,
    updated: T,
  };
  sql.exec("INSERT INTO subscriptions VALUES (?, ?)", "s1", JSON.stringify(sub));
  sql.exec("INSERT INTO subscriptions_meta VALUES ('version', 3)");
  sql.exec("INSERT INTO host_sightings VALUES ('shop.example', 1, 2, 5)");
}

describe("account object storage format", () => {
  it("reads every aggregate an account object stored before the split", async () => {
    const cid = `legacy${crypto.randomUUID().slice(0, 8)}`;
    const stub = accountObject(cid);
    await runInDurableObject(stub, (_instance, state) => writeLegacyRows(state.storage.sql, cid));
    const rpc = stub as unknown as AccountRpc & DurableObjectStub;

    const account = await rpc.get();
    expect(account).toMatchObject({ cid, name: "Old shop", domains: ["shop.example"], segments_version: 7 });
    expect(account?.public_segments).toEqual(["vips"]);
    expect(account?.trigger_fields).toEqual(["email"]);
    expect(await rpc.identitySecret(false)).toBe("old-secret");
    expect((await rpc.verifyToken("hash-1"))?.id).toBe("t1");
    expect((await rpc.listTokens()).map((t) => t.id)).toEqual(["t1"]);
    expect((await rpc.getPrivacyRequest("r1"))?.erased_profiles).toBe(2);
    expect((await rpc.listAudiences()).map((a) => a.slug_name)).toEqual(["quiet", "vips"]);
    expect((await rpc.getAudience("vips"))?.id).toBe("a1");
    expect((await rpc.audienceDefinitions()).version).toBe(7);
    expect((await rpc.listGroups()).map((g) => g.id)).toEqual(["g1"]);
    expect((await rpc.listJobs("a1")).map((j) => j.id)).toEqual(["j1"]);
    expect((await rpc.getSubscription("s1"))?.state).toBe("active");
    expect((await rpc.subscriptionIndex(null)).version).toBe("3.7");
    expect(await rpc.hostSighting("shop.example")).toEqual({ host: "shop.example", first: 1, last: 2, count: 5 });
  });

  it("writes rows in the same format (tables, keys and JSON records)", async () => {
    const cid = `legacy${crypto.randomUUID().slice(0, 8)}`;
    const stub = accountObject(cid);
    const rpc = stub as unknown as AccountRpc & DurableObjectStub;
    await rpc.upsert(cid, { name: "New shop" });
    const put = await rpc.putAudience(audience("a9", "fans", true));
    expect(put).toEqual({ ok: true, version: 1 });
    const job: AudienceJob = {
      id: "j9",
      segment_id: "a9",
      type: "reevaluate",
      state: "completed",
      progress: { done: 0, total: null, shard: 0, changed: 0 },
      created: T,
      updated: T,
    };
    await rpc.startJob(job);
    const rows = await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      const kv = Object.fromEntries(
        sql
          .exec<{ key: string; value: string }>("SELECT key, value FROM kv")
          .toArray()
          .map((r) => [r.key, JSON.parse(r.value)]),
      );
      const segment = sql
        .exec<{ slug: string; record: string }>("SELECT slug, record FROM segments WHERE id = 'a9'")
        .one();
      const job = sql.exec<{ segment_id: string }>("SELECT segment_id FROM segment_jobs WHERE id = 'j9'").one();
      return { kv, segment: { slug: segment.slug, record: JSON.parse(segment.record) }, job };
    });
    expect(rows.kv.account).toMatchObject({ cid, name: "New shop" });
    expect(rows.kv.segments_version).toBe(1);
    expect(rows.kv["job_cursor:j9"]).toBe("");
    expect(rows.segment).toEqual({ slug: "fans", record: audience("a9", "fans", true) });
    expect(rows.job).toEqual({ segment_id: "a9" });
  });
});
