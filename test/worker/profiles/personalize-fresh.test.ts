/**
 * `/personalize` reflects every write before it (PRODUCT.md §8,
 * read-your-writes), even though a profile keeps its answer between reads:
 * each case reads twice first, so the answer is kept, then changes the
 * person (an event, an audience added, a hand assignment, a merge, an
 * erasure, a time boundary passing) and reads again.
 */
import { describe, expect, it } from "vitest";
import { admin, call, collect, newAccount, personalize } from "../helpers";

const user = async (cid: string, uid: string) => (await personalize(cid, uid)).body.data.user;

/** Reads twice: the second read is the one a profile may answer from what it kept. */
async function readTwice(cid: string, uid: string) {
  await user(cid, uid);
  return user(cid, uid);
}

const audience = (cid: string, slug: string, ql: string) =>
  admin(`/v2/segment?cid=${cid}`, "POST", { slug_name: slug, segment_ql: ql, is_public: true });

describe("/personalize after a change, once the profile kept its answer", () => {
  it("an event: the new field value and the audience it enters", async () => {
    const cid = await newAccount();
    expect((await audience(cid, "pro", 'FILTER plan = "pro"')).status).toBe(201);
    await collect(cid, { _uid: "fresh-1", plan: "free" });
    expect(await readTwice(cid, "fresh-1")).toMatchObject({ plan: "free", segments: ["all"] });
    await collect(cid, { _uid: "fresh-1", plan: "pro" });
    expect(await user(cid, "fresh-1")).toMatchObject({ plan: "pro", segments: ["all", "pro"] });
  });

  it("an audience added to the account", async () => {
    const cid = await newAccount();
    await collect(cid, { _uid: "fresh-2", plan: "pro" });
    expect((await readTwice(cid, "fresh-2")).segments).toEqual(["all"]);
    expect((await audience(cid, "pro", 'FILTER plan = "pro"')).status).toBe(201);
    expect((await user(cid, "fresh-2")).segments).toEqual(["all", "pro"]);
  });

  it("an audience assigned by hand (SegmentHub API)", async () => {
    const cid = await newAccount();
    const vip = await admin(`/v2/segment?cid=${cid}`, "POST", {
      slug_name: "vip",
      name: "VIP",
      kind: "manual",
      is_public: true,
    });
    expect(vip.status).toBe(201);
    const token = (await (await admin(`/api/token?cid=${cid}`, "POST", { name: "dm", role: "data_manager" })).json())
      .data.token;
    await collect(cid, { _uid: "fresh-3", plan: "pro" });
    expect((await readTwice(cid, "fresh-3")).segments).toEqual(["all"]);
    const assigned = await call("/visitors/segments", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ account: cid, visitorId: "fresh-3", token, assignees: ["VIP"] }),
    });
    expect(assigned.status).toBe(200);
    expect((await user(cid, "fresh-3")).segments).toEqual(["all", "vip"]);
  });

  it("a merge: the browser's profile folded into the person a server event names", async () => {
    const cid = await newAccount();
    // The server knows the person as user 77, with a plan.
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { user_id: "77", plan: "pro", name: "Grace" });
    await collect(cid, { _uid: "fresh-4", page: "/home" });
    expect(await readTwice(cid, "fresh-4")).not.toHaveProperty("plan");
    // The server links the browser's cookie id to user 77: two profiles become one.
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { user_id: "77", _uid: "fresh-4" });
    expect(await user(cid, "fresh-4")).toMatchObject({ plan: "pro", name: "Grace" });
  });

  it("an erasure: nothing of the person is shown", async () => {
    const cid = await newAccount();
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { user_id: "88", _uid: "fresh-5", plan: "pro" });
    expect(await readTwice(cid, "fresh-5")).toMatchObject({ plan: "pro" });
    expect((await admin(`/api/entity/user/user_id/88?cid=${cid}`, "DELETE")).status).toBe(200);
    const after = await user(cid, "fresh-5");
    expect(after).not.toHaveProperty("plan");
    expect(after.segments).toEqual(["all"]);
  });

  it("a time boundary passing, before the profile's alarm has to fire", { timeout: 20_000 }, async () => {
    const cid = await newAccount();
    expect((await audience(cid, "recent", 'FILTER last_visit > "now-2s"')).status).toBe(201);
    await collect(cid, { _uid: "fresh-6" });
    expect((await readTwice(cid, "fresh-6")).segments).toEqual(["all", "recent"]);
    await new Promise((r) => setTimeout(r, 2_200));
    expect((await user(cid, "fresh-6")).segments).toEqual(["all"]);
  });
});
