import { env as testEnv } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AudienceIndexRpc } from "../../../edge/audiences/contract";
import { AUDIENCE_SHARDS, indexShardOf } from "../../../edge/audiences/index-shards";
import type { Env } from "../../../edge/platform/env";
import { admin, newAccount, ok } from "../helpers";
import { restartOver } from "../restart-over";

const env = testEnv as unknown as Env;

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const T0 = "2026-01-01T00:00:00.000Z";

/** The index shard the edge addresses as `${cid}/${n}`. */
const shardStub = (cid: string, n: number) => env.AUDIENCES.get(env.AUDIENCES.idFromName(`${cid}/${n}`));
const shardRpc = (cid: string, n: number) => shardStub(cid, n) as unknown as AudienceIndexRpc;
/** The RPC surface of the shard holding `profile`. */
const shardOfProfile = (cid: string, profile: string) => shardRpc(cid, indexShardOf(profile));

/** The audience-index object's tables exactly as commit e54d76c created them (edge/audiences/audience-index-object.ts there). */
const E54D76C_SCHEMA = `CREATE TABLE state (slug TEXT NOT NULL, profile TEXT NOT NULL, member INTEGER NOT NULL, seq INTEGER NOT NULL, enter TEXT, PRIMARY KEY (slug, profile));
CREATE INDEX state_member ON state (slug, member, profile);
CREATE TABLE gone (profile TEXT PRIMARY KEY);
CREATE TABLE sizes (slug TEXT NOT NULL, day TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (slug, day));`;

/** A membership row: audience, profile, member (1) or left (0), the profile's sequence number. */
type StateRow = [slug: string, profile: string, member: 0 | 1, seq: number];

/**
 * Rows as e54d76c wrote them: p-a is in `pros` and `trial`, p-b in `pros`,
 * p-left left `pros`; p-gone was merged away (forgotten); and the shard of
 * p-a recorded `pros` at 1 member two days ago and 2 yesterday.
 */
const STATE: StateRow[] = [
  ["pros", "p-a", 1, 5],
  ["trial", "p-a", 1, 5],
  ["pros", "p-b", 1, 3],
  ["pros", "p-left", 0, 4],
];

/** Writes each profile's rows into the shard the edge hashes it to, in the e54d76c tables, and restarts every shard. */
async function writeIndex(cid: string, now: number): Promise<void> {
  for (let n = 0; n < AUDIENCE_SHARDS; n++) {
    await restartOver(env.AUDIENCES, shardStub(cid, n), (sql) => {
      sql.exec(E54D76C_SCHEMA);
      for (const [slug, profile, member, seq] of STATE)
        if (indexShardOf(profile) === n)
          sql.exec(
            "INSERT INTO state (slug, profile, member, seq, enter) VALUES (?, ?, ?, ?, ?)",
            slug,
            profile,
            member,
            seq,
            T0,
          );
      if (indexShardOf("p-gone") === n) sql.exec("INSERT INTO gone (profile) VALUES ('p-gone')");
      if (indexShardOf("p-a") === n) {
        sql.exec("INSERT INTO sizes (slug, day, n) VALUES ('pros', ?, 1)", dayOf(now - 2 * DAY));
        sql.exec("INSERT INTO sizes (slug, day, n) VALUES ('pros', ?, 2)", dayOf(now - DAY));
      }
    });
  }
}

const v2 = (cid: string, path: string) => admin(`/v2/segment${path}${path.includes("?") ? "&" : "?"}cid=${cid}`);
const sizeOf = async (cid: string, slug: string) => (await ok(await v2(cid, `/${slug}`))).data.size as number;

/** The counts of every shard, summed. */
async function counts(cid: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (let n = 0; n < AUDIENCE_SHARDS; n++)
    for (const [slug, c] of Object.entries(await shardRpc(cid, n).counts())) out[slug] = (out[slug] ?? 0) + c;
  return out;
}

const change = (slug: string, event: "enter" | "exit") => ({
  slug,
  event,
  enter: T0,
  exit: event === "exit" ? "2026-01-02T00:00:00.000Z" : null,
});

describe("audience index object storage format (as written by e54d76c)", () => {
  it("answers sizes, size history and members from stored rows, and applies later changes in order over them", async () => {
    const cid = await newAccount();
    for (const slug of ["pros", "trial"])
      await ok(
        await admin(`/v2/segment?cid=${cid}`, "POST", { slug_name: slug, segment_ql: "FILTER EXISTS plan" }),
        201,
      );
    const now = Date.now();
    await writeIndex(cid, now);

    // Over HTTP: sizes summed over the shards and the daily history.
    expect(await sizeOf(cid, "pros")).toBe(2);
    expect(await sizeOf(cid, "trial")).toBe(1);
    const history = (await ok(await v2(cid, "/pros/size-history?days=3"))).data;
    expect(history).toEqual([
      { day: dayOf(now - 2 * DAY), size: 1 },
      { day: dayOf(now - DAY), size: 2 },
      { day: dayOf(now), size: 2 },
    ]);

    // Through RPC: counts (all, and by slug), member pages and the shard's history.
    expect(await counts(cid)).toEqual({ pros: 2, trial: 1 });
    expect(await shardOfProfile(cid, "p-a").counts(["pros"])).toEqual({
      pros: indexShardOf("p-a") === indexShardOf("p-b") ? 2 : 1,
    });
    const members: string[] = [];
    for (let n = 0; n < AUDIENCE_SHARDS; n++) members.push(...(await shardRpc(cid, n).members("pros", "", 10)));
    expect(members.sort()).toEqual(["p-a", "p-b"]);
    expect(await shardOfProfile(cid, "p-a").sizeHistory("pros")).toEqual([
      { day: dayOf(now - 2 * DAY), n: 1 },
      { day: dayOf(now - DAY), n: 2 },
    ]);

    // A stale message (lower seq than stored) and a forgotten profile change nothing.
    await shardOfProfile(cid, "p-a").apply([{ profile: "p-a", seq: 4, changes: [change("pros", "exit")] }]);
    await shardOfProfile(cid, "p-gone").apply([{ profile: "p-gone", seq: 9, changes: [change("pros", "enter")] }]);
    expect(await counts(cid)).toEqual({ pros: 2, trial: 1 });
    // A newer one applies; so does one for the profile that had left.
    await shardOfProfile(cid, "p-b").apply([{ profile: "p-b", seq: 6, changes: [change("pros", "exit")] }]);
    await shardOfProfile(cid, "p-left").apply([{ profile: "p-left", seq: 5, changes: [change("pros", "enter")] }]);
    expect(await sizeOf(cid, "pros")).toBe(2);
    members.length = 0;
    for (let n = 0; n < AUDIENCE_SHARDS; n++) members.push(...(await shardRpc(cid, n).members("pros", "", 10)));
    expect(members.sort()).toEqual(["p-a", "p-left"]);

    // Forgetting and dropping work on the stored rows.
    await shardOfProfile(cid, "p-a").forget(["p-a"]);
    expect(await counts(cid)).toEqual({ pros: 1 });
    expect(await sizeOf(cid, "trial")).toBe(0);
    for (let n = 0; n < AUDIENCE_SHARDS; n++) await shardRpc(cid, n).dropAudience("pros");
    expect(await counts(cid)).toEqual({});
    expect(await shardOfProfile(cid, "p-a").sizeHistory("pros")).toEqual([]);
  });
});
