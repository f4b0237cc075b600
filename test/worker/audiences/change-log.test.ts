import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AccountRpc } from "../../../edge/accounts/contract";
import { admin, collect, newAccount, ok, personalize } from "../helpers";

/**
 * Profile objects bring an account's compiled audiences up to date from the
 * account's change log (the audiences changed since the version they hold).
 * The log keeps the last 2,000 versions; a profile further behind reloads
 * every audience. These tests change audiences through the API and read
 * /personalize, so a profile that applied a partial log, or kept an old
 * set, shows the wrong audiences.
 */
const v2 = (cid: string, path: string, method = "GET", body?: unknown) =>
  admin(`/v2/segment${path}${path.includes("?") ? "&" : "?"}cid=${cid}`, method, body);

const create = async (cid: string, slug: string, segment_ql: string): Promise<string> =>
  (await ok(await v2(cid, "", "POST", { slug_name: slug, segment_ql, is_public: true }), 201)).data.id;

/**
 * `count` more versions of the catalog: audience `id` stored again with a
 * new name each time, by the account object's own store call (what the API
 * calls), inside the object so that thousands of versions take seconds.
 */
async function churn(cid: string, id: string, count: number): Promise<void> {
  const ns = (env as unknown as { ACCOUNT: DurableObjectNamespace }).ACCOUNT;
  await runInDurableObject(ns.get(ns.idFromName(cid)), async (object) => {
    const account = object as unknown as AccountRpc;
    const record = await account.getAudience(id);
    if (!record) throw new Error(`no audience ${id}`);
    for (let k = 0; k < count; k++) {
      const res = await account.putAudience({ ...record, name: `Churn ${k}` });
      if (!res.ok) throw new Error(`put ${k}: ${res.conflict}`);
    }
  });
}

const segments = async (cid: string, uid: string): Promise<string[]> =>
  [...(await personalize(cid, uid)).body.data.user.segments].sort();

describe("audience change log", { timeout: 120_000 }, () => {
  it("a profile more than 2,000 versions behind reloads every audience and evaluates the current ones", async () => {
    const cid = await newAccount();
    const leaving = await create(cid, "leaving", 'FILTER plan = "pro"');
    const changed = await create(cid, "changed", 'FILTER country = "FR"');
    const churner = await create(cid, "churner", "FILTER visitct > 1000");
    await collect(cid, { _uid: "far", plan: "pro", country: "FR" });
    // The profile's isolate now holds the audiences at this version.
    expect(await segments(cid, "far")).toEqual(["all", "changed", "leaving"]);

    // Changes the log will have pruned by the time the profile asks.
    expect((await v2(cid, `/${leaving}`, "DELETE")).status).toBeLessThan(300);
    await ok(await v2(cid, `/${changed}`, "PUT", { segment_ql: 'FILTER country = "DE" ALIAS changed' }));
    await churn(cid, churner, 2_150);
    // The last change is in the log; the profile's version is far older than its floor.
    await create(cid, "arrived", 'FILTER plan = "pro"');

    await collect(cid, { _uid: "far", plan: "pro", country: "FR" });
    expect(await segments(cid, "far")).toEqual(["all", "arrived"]);
  });

  it("a profile behind by versions the log still keeps, after it was pruned, applies exactly those changes", async () => {
    const cid = await newAccount();
    const churner = await create(cid, "churner", "FILTER visitct > 1000");
    await churn(cid, churner, 2_150);
    // Version 2,151: the log was pruned at 2,100 (versions up to 100 are gone from it).
    await create(cid, "early", 'FILTER plan = "pro"');
    await collect(cid, { _uid: "near", plan: "pro" });
    expect(await segments(cid, "near")).toEqual(["all", "early"]);

    // 152 versions later, across two more prunings (at 2,200 and 2,300): every change since is still logged.
    await create(cid, "later", 'FILTER plan = "pro"');
    await churn(cid, churner, 150);
    const early = (await ok(await v2(cid, "/early"))).data.id;
    await ok(await v2(cid, `/${early}`, "PUT", { segment_ql: 'FILTER plan = "free" ALIAS early' }));

    await collect(cid, { _uid: "near", plan: "pro" });
    expect(await segments(cid, "near")).toEqual(["all", "later"]);
  });
});
