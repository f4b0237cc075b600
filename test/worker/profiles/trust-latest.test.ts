import { describe, expect, it } from "vitest";
import { admin, collect, newAccount, ok } from "../helpers";

const entity = async (cid: string, uid: string) =>
  (await ok(await admin(`/api/entity/user/_uid/${uid}?cid=${cid}`))).data as Record<string, unknown>;

describe("Trust #4: 'latest' is decided by event time, then arrival order", () => {
  it("the last event of a batch wins", async () => {
    const cid = await newAccount();
    await ok(
      await collect(cid, [
        { _uid: "o1", plan: "zzz" },
        { _uid: "o1", plan: "aaa" },
      ]),
    );
    expect((await entity(cid, "o1")).plan).toBe("aaa");
  });

  it("a 200-event batch reads back its last value", async () => {
    const cid = await newAccount();
    await ok(
      await collect(
        cid,
        Array.from({ length: 200 }, (_, i) => ({ _uid: "o2", i })),
      ),
    );
    expect((await entity(cid, "o2")).i).toBe(199);
  });

  it("the first strategy keeps the first event of a batch", async () => {
    const cid = await newAccount({ fields: { plan: { merge: "first" } } });
    await ok(
      await collect(cid, [
        { _uid: "o3", plan: "zzz" },
        { _uid: "o3", plan: "aaa" },
      ]),
    );
    expect((await entity(cid, "o3")).plan).toBe("zzz");
  });

  it("through /collect/json too", async () => {
    const cid = await newAccount();
    await ok(
      await admin(
        `/collect/json/crm?cid=${cid}`,
        "POST",
        Array.from({ length: 50 }, (_, i) => ({ _uid: "o4", step: `s${i}` })),
      ),
    );
    expect((await entity(cid, "o4")).step).toBe("s49");
  });

  it("concurrent requests: the event with the latest time wins whatever order they arrive in", async () => {
    const cid = await newAccount();
    const base = Date.now() - 60_000;
    const order = [7, 2, 9, 0, 5, 3, 8, 1, 6, 4];
    await Promise.all(order.map((i) => collect(cid, { _uid: "o5", step: i, _ts: base + i * 1000 })));
    expect((await entity(cid, "o5")).step).toBe(9);
  });

  it("across requests: an older event arriving later does not replace a newer one", async () => {
    const cid = await newAccount();
    const now = Date.now();
    await ok(await collect(cid, { _uid: "o6", plan: "new", _ts: now - 1000 }));
    await ok(await collect(cid, { _uid: "o6", plan: "old", _ts: now - 3_600_000 }));
    expect((await entity(cid, "o6")).plan).toBe("new");
    await ok(await collect(cid, { _uid: "o6", plan: "newest" }));
    expect((await entity(cid, "o6")).plan).toBe("newest");
  });
});
