import { env as testEnv } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { IdentityKey, IdentityRpc } from "../../../edge/identity/contract";
import { lookupLinks, shardOf } from "../../../edge/identity/directory";
import type { Env } from "../../../edge/platform/env";
import { admin, collect, newAccount, ok } from "../helpers";
import { restartOver } from "../restart-over";

const env = testEnv as unknown as Env;

const T0 = Date.parse("2026-01-01T00:00:00.000Z");

/** The identity shard the edge addresses as `${cid}/${n}`. */
const shardStub = (cid: string, n: number) => env.IDENTITY.get(env.IDENTITY.idFromName(`${cid}/${n}`));

/** The identity object's table and index exactly as commit e54d76c created them (edge/identity/identity-object.ts there). */
const E54D76C_SCHEMA = `CREATE TABLE links (field TEXT NOT NULL, value TEXT NOT NULL, profile TEXT NOT NULL, verified INTEGER NOT NULL, updated INTEGER NOT NULL, PRIMARY KEY (field, value));
CREATE INDEX links_profile ON links (profile);`;

/** One stored link: identifier, profile, verified. */
type Row = [field: string, value: string, profile: string, verified: 0 | 1];

/**
 * Links as e54d76c wrote them: a browser's `_uid` and a signed email of one
 * person, an email a browser typed in (unverified), and a user id of a
 * profile that was later merged away.
 */
const ROWS: Row[] = [
  ["_uid", "u-old", "p-old", 1],
  ["email", "ada@old.example", "p-old", 1],
  ["email", "typed@old.example", "p-typed", 0],
  ["user_id", "42", "p-merged-away", 1],
];

const keyOf = ([field, value]: Row): IdentityKey => ({ field, value });

/** Writes each row into the shard the edge hashes its identifier to, in the e54d76c tables, and restarts those shards. */
async function writeLinks(cid: string): Promise<void> {
  const byShard = new Map<number, Row[]>();
  for (const row of ROWS) byShard.set(shardOf(keyOf(row)), [...(byShard.get(shardOf(keyOf(row))) ?? []), row]);
  for (const [n, rows] of byShard)
    await restartOver(env.IDENTITY, shardStub(cid, n), (sql) => {
      sql.exec(E54D76C_SCHEMA);
      for (const [field, value, profile, verified] of rows)
        sql.exec("INSERT INTO links VALUES (?, ?, ?, ?, ?)", field, value, profile, verified, T0);
    });
}

/** The RPC surface of the shard holding `key` (a new stub, after the restart). */
const shardOfKey = (cid: string, key: IdentityKey) =>
  shardStub(cid, shardOf(key)) as unknown as IdentityRpc & DurableObjectStub;

describe("identity object storage format (as written by e54d76c)", () => {
  it("resolves stored links through every RPC method: lookup, claim, lookupOrClaim, repoint, profiles, unlink", async () => {
    const cid = `idfmt${crypto.randomUUID().slice(0, 8)}`;
    await writeLinks(cid);
    const [uid, email, typed, userId] = ROWS.map(keyOf) as [IdentityKey, IdentityKey, IdentityKey, IdentityKey];

    expect(await lookupLinks(env, cid, [uid, email, typed, userId, { field: "email", value: "new@x.io" }])).toEqual([
      { profile: "p-old", verified: true },
      { profile: "p-old", verified: true },
      { profile: "p-typed", verified: false },
      { profile: "p-merged-away", verified: true },
      null,
    ]);

    // A stored verified link stays; an unverified claim never moves it.
    expect(await shardOfKey(cid, uid).claim([uid], "p-thief", false)).toEqual([{ profile: "p-old", verified: true }]);
    expect(await shardOfKey(cid, email).lookupOrClaim([{ key: email, candidate: "p-new" }])).toEqual([
      { link: { profile: "p-old", verified: true }, claimed: false },
    ]);
    // A stored unverified link gives way to a verified claim.
    expect(await shardOfKey(cid, typed).claim([typed], "p-signed", true)).toEqual([
      { profile: "p-signed", verified: true },
    ]);
    // A merge re-points the merged-away profile's user id.
    await shardOfKey(cid, userId).repoint([userId], "p-merged-away", "p-old");
    expect(await lookupLinks(env, cid, [typed, userId])).toEqual([
      { profile: "p-signed", verified: true },
      { profile: "p-old", verified: true },
    ]);
    // Each shard lists the profiles of its stored links.
    const listed = new Set<string>();
    for (const key of [uid, email, typed, userId])
      for (const p of await shardOfKey(cid, key).profiles("", 10)) listed.add(p);
    expect([...listed].sort()).toEqual(["p-old", "p-signed"]);
    // Erasing p-old removes each of its stored links.
    let removed = 0;
    for (const n of new Set([uid, email, userId].map(shardOf)))
      removed += await (shardStub(cid, n) as unknown as IdentityRpc).unlink(["p-old"]);
    expect(removed).toBe(3);
    expect(await lookupLinks(env, cid, [uid, email, userId])).toEqual([null, null, null]);
  });

  it("sends a returning browser's events to its stored profile, found again by its stored email over HTTP", async () => {
    const cid = await newAccount();
    await writeLinks(cid);
    expect((await collect(cid, { _uid: "u-old", _e: "pv", plan: "pro" })).status).toBe(200);
    const person = await ok(await admin(`/api/person/email/ada%40old.example?cid=${cid}`));
    expect(person.data.fields.find((f: { name: string }) => f.name === "plan")).toMatchObject({ value: "pro" });
    expect(await lookupLinks(env, cid, [{ field: "_uid", value: "u-old" }])).toEqual([
      { profile: "p-old", verified: true },
    ]);
  });
});
