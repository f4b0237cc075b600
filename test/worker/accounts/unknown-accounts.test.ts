import { env as testEnv, listDurableObjectIds } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, collect, newAccount, ORIGIN } from "../helpers";

const env = testEnv as unknown as { ACCOUNT: DurableObjectNamespace };

/** Names of the account objects that exist (have been created) in the namespace. */
async function accountObjects(): Promise<Set<string>> {
  return new Set((await listDurableObjectIds(env.ACCOUNT)).map((id) => id.toString()));
}

describe("unknown accounts cost no storage (issue 14 #10)", () => {
  it("100 requests with random cids or random pl_<x>.y tokens create no account object", async () => {
    const real = await newAccount();
    const before = await accountObjects();
    const names: string[] = [];
    for (let i = 0; i < 25; i++) {
      const cid = `nobody${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
      const tokenCid = `ghost${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
      names.push(cid, tokenCid);
      expect((await collect(cid, { _uid: "x" })).status).toBe(404);
      expect((await call(`/personalize?cid=${cid}&uid=x`, { headers: { origin: ORIGIN } })).status).toBe(404);
      expect((await call(`/api/tag/${cid}/latest.min.js`)).status).toBe(404);
      expect((await call("/api/account", { headers: { authorization: `pl_${tokenCid}.y` } })).status).toBe(401);
    }
    // A malformed cid is refused by its format, like every other route.
    expect((await call("/api/tag/Not.A..Cid!/latest.min.js")).status).toBe(404);
    const after = await accountObjects();
    const created = names.filter((n) => after.has(env.ACCOUNT.idFromName(n).toString()));
    expect(created).toEqual([]);
    expect(after.size).toBe(before.size);
    // A real account still answers.
    expect((await collect(real, { _uid: "x" })).status).toBeLessThan(300);
  });
});
