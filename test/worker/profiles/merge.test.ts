import { describe, expect, it } from "vitest";
import { admin, collect, newAccount, personalize } from "../helpers";

const entity = async (cid: string, field: string, value: string) =>
  (await (await admin(`/api/entity/user/${field}/${value}?cid=${cid}&meta=true`)).json()) as any;

describe("identity merges", () => {
  it("the oldest profile survives; fields, ids and counts combine; old ids answer as aliases", async () => {
    const cid = await newAccount();
    await collect(cid, { _uid: "old", color: "red", _eid: "a" });
    await collect(cid, { _uid: "new", size: "L", _eid: "b" });
    const oldId = (await entity(cid, "_uid", "old")).meta.id;
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { _uid: "new", user_id: "p1" });
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { _uid: "old", user_id: "p1" });
    const merged = await entity(cid, "_uid", "new");
    expect(merged.meta.id).toBe(oldId);
    expect(merged.data).toMatchObject({ color: "red", size: "L", user_id: "p1" });
    expect([...merged.data._uids].sort()).toEqual(["new", "old"]);
    expect(merged.meta.merged).toHaveLength(1);
    expect(merged.meta.events).toBe(4);
    // Replaying the same merge changes nothing (idempotent), and the dedup memory survived the merge.
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { _uid: "old", user_id: "p1" });
    await collect(cid, { _uid: "new", size: "XL", _eid: "b" });
    const again = await entity(cid, "user_id", "p1");
    expect(again.meta.merged).toHaveLength(1);
    expect(again.data.size).toBe("L");
    expect((await personalize(cid, "new")).body.data.user._uids.sort()).toEqual(["new", "old"]);
  });

  it("concurrent events racing to merge the same people end in one profile with every value", async () => {
    const cid = await newAccount();
    const n = 12;
    await Promise.all(Array.from({ length: n }, (_, i) => collect(cid, { _uid: `r${i}`, [`f${i}`]: i })));
    // Every browser id is claimed by the same person at once, in racing pairs.
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        admin(`/collect/json/crm?cid=${cid}`, "POST", {
          _uid: `r${i}`,
          user_id: "racer",
          email: i % 2 ? "racer@x.io" : undefined,
        }),
      ),
    );
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        admin(`/collect/json/crm?cid=${cid}`, "POST", { _uid: `r${(i + 1) % n}`, user_id: "racer" }),
      ),
    );
    const ids = new Set<string>();
    for (let i = 0; i < n; i++) ids.add((await entity(cid, "_uid", `r${i}`)).meta.id);
    expect(ids.size).toBe(1);
    const person = await entity(cid, "user_id", "racer");
    for (let i = 0; i < n; i++) expect(person.data[`f${i}`]).toBe(i);
    expect(person.data._uids).toHaveLength(n);
    expect(person.meta.merged).toHaveLength(n - 1);
    expect((await entity(cid, "email", "racer@x.io")).meta.id).toBe(person.meta.id);
  });
});

describe("identity guard rails", () => {
  it("refuses a merge that would give one person too many identifiers of a kind, and shows it", async () => {
    const cid = await newAccount({ max_identifiers_per_kind: 2 });
    for (const u of ["s0", "s1", "s2"]) await collect(cid, { _uid: u, [`seen_${u}`]: true });
    for (const u of ["s0", "s1", "s2"])
      await admin(`/collect/json/crm?cid=${cid}`, "POST", { _uid: u, email: "test@test.com" });
    const shared = await entity(cid, "email", "test@test.com");
    expect([...shared.data._uids].sort()).toEqual(["s0", "s1"]);
    const third = await entity(cid, "_uid", "s2");
    expect(third.meta.id).not.toBe(shared.meta.id);
    expect(third.data.seen_s0).toBeUndefined();
    expect(third.meta.refused_merges).toEqual([
      {
        with: [shared.meta.id],
        reason: "merging would give one person 3 _uid identifiers (limit 2)",
        at: expect.any(String),
      },
    ]);
  });
});
