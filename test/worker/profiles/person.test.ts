import { describe, expect, it } from "vitest";
import { admin, call, collect, newAccount } from "../helpers";

const person = (cid: string, field: string, value: string, token?: string) =>
  token
    ? call(`/api/person/${field}/${encodeURIComponent(value)}`, { headers: { authorization: token } })
    : admin(`/api/person/${field}/${encodeURIComponent(value)}?cid=${cid}`);

async function tokenFor(cid: string, body: Record<string, unknown>): Promise<string> {
  const res = await admin(`/api/token?cid=${cid}`, "POST", { name: "t", ...body });
  expect(res.status).toBe(201);
  return (await res.json()).data.token;
}

describe("a person as the console shows them (/api/person)", () => {
  it("fields with their merge strategy and every observed value, audiences with entered-at, timeline newest first", async () => {
    const cid = await newAccount({ fields: { color: { merge: "first" }, plan: { merge: "latest" } } });
    const seg = await admin(`/v2/segment?cid=${cid}`, "POST", {
      slug_name: "gold",
      segment_ql: 'FILTER plan = "gold" FROM user',
    });
    expect(seg.status).toBe(201);
    await collect(cid, {
      _uid: "p1",
      _e: "pv",
      _ts: 1_700_000_000_000,
      color: "red",
      plan: "free",
      url: "shop.example/a",
    });
    await collect(cid, {
      _uid: "p1",
      _e: "pv",
      _ts: 1_700_000_100_000,
      color: "blue",
      plan: "gold",
      url: "shop.example/b",
    });
    const res = await person(cid, "_uid", "p1");
    expect(res.status).toBe(200);
    const data = (await res.json()).data;
    const color = data.fields.find((f: any) => f.name === "color");
    expect(color).toMatchObject({ value: "red", merge: "first" });
    expect(color.observed.map((o: any) => [o.value, o.count])).toEqual([
      ["blue", 1],
      ["red", 1],
    ]);
    expect(color.observed[1].first).toBe(new Date(1_700_000_000_000).toISOString());
    const plan = data.fields.find((f: any) => f.name === "plan");
    expect(plan).toMatchObject({ value: "gold", merge: "latest" });
    expect(data.fields.find((f: any) => f.name === "visitct")).toMatchObject({ merge: "computed", observed: [] });
    expect(data.audiences).toEqual([{ slug: "gold", member: true, entered: expect.any(String), exited: null }]);
    expect(data.timeline.map((e: any) => [e.type, e.fields.url])).toEqual([
      ["pv", "shop.example/b"],
      ["pv", "shop.example/a"],
    ]);
    expect(data.timeline[0].at).toBe(new Date(1_700_000_100_000).toISOString());
    expect(data.identifiers).toEqual([{ field: "_uid", value: "p1" }]);
  });

  it("a batch of 60 events after a first one: every sighting counted, the 50 most recent values of a field kept, the 50 newest events on the timeline", async () => {
    const cid = await newAccount();
    const base = 1_700_000_000_000;
    // 55 distinct colours, then the first five again: the least recently seen values are dropped past 50.
    const events = Array.from({ length: 60 }, (_, i) => ({
      _uid: "batch1",
      _ts: base + i * 1000,
      color: `c${i % 55}`,
      plan: "pro",
      page: `p${i}`,
    }));
    // A value already stored before the batch, and seen by every event of it.
    expect((await collect(cid, { _uid: "batch1", _ts: base - 1000, plan: "pro", page: "first" })).status).toBe(200);
    expect((await collect(cid, events)).status).toBe(200);
    const data = (await (await person(cid, "_uid", "batch1")).json()).data;
    const observed = (name: string) => data.fields.find((f: any) => f.name === name).observed;
    const colors = observed("color").map((o: any) => [o.value, o.count]);
    const expected = [0, 1, 2, 3, 4, ...Array.from({ length: 45 }, (_, i) => i + 10)].map((n) => [`c${n}`, 1]);
    expect(colors.sort()).toEqual(expected.sort());
    expect(observed("plan")).toEqual([
      expect.objectContaining({
        value: "pro",
        count: 61,
        first: new Date(base - 1000).toISOString(),
        last: new Date(base + 59_000).toISOString(),
      }),
    ]);
    expect(data.timeline.map((e: any) => e.fields.page)).toEqual(Array.from({ length: 50 }, (_, i) => `p${59 - i}`));
    // What is stored, not only what the object holds in memory: the export reads the rows.
    const exported = (await (await admin(`/api/entity/user/_uid/batch1/export?cid=${cid}`)).json()).data;
    const rows = exported.stored[0].observations;
    const stored = (name: string) =>
      rows.filter((r: any) => r.name === name).map((r: any) => [JSON.parse(r.value), r.count]);
    expect(stored("color").sort()).toEqual(expected.sort());
    expect(stored("plan")).toEqual([["pro", 61]]);
    expect(exported.stored[0].recent).toHaveLength(50);
  });

  it("the timeline keeps the 50 newest events however many arrive, in batches or one by one, and out of order", async () => {
    const cid = await newAccount();
    const base = 1_700_000_000_000;
    const ev = (i: number) => ({ _uid: "long1", _ts: base + i * 1000, page: `p${i}` });
    // 130 events: three batches, then single events, one of them older than all the rest.
    for (const from of [0, 40, 80])
      await collect(
        cid,
        Array.from({ length: 40 }, (_, k) => ev(from + k)),
      );
    for (let i = 120; i < 129; i++) expect((await collect(cid, ev(i))).status).toBe(200);
    await collect(cid, { _uid: "long1", _ts: base - 5000, page: "old" });
    const newest = Array.from({ length: 50 }, (_, i) => `p${128 - i}`);
    const data = (await (await person(cid, "_uid", "long1")).json()).data;
    expect(data.timeline.map((e: any) => e.fields.page)).toEqual(newest);
    const exported = (await (await admin(`/api/entity/user/_uid/long1/export?cid=${cid}`)).json()).data;
    expect(exported.stored[0].recent.map((e: any) => e.fields.page)).toEqual(newest);
  });

  it("lists merged profiles and identifiers, and the merged-away profile's events stay on the timeline", async () => {
    const cid = await newAccount();
    await collect(cid, { _uid: "laptop", _e: "pv", page: "from-laptop" });
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { email: "ann@x.io", page: "from-crm" });
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { email: "ann@x.io", _uid: "laptop" });
    const data = (await (await person(cid, "email", "ann@x.io")).json()).data;
    expect(data.merged).toHaveLength(1);
    expect(data.identifiers).toEqual(
      expect.arrayContaining([
        { field: "_uid", value: "laptop" },
        { field: "email", value: "ann@x.io" },
      ]),
    );
    const pages = data.timeline.map((e: any) => e.fields.page).filter(Boolean);
    expect(pages.sort()).toEqual(["from-crm", "from-laptop"]);
    // The export holds the timeline too: it is data kept about the person.
    const exported = (await (await admin(`/api/entity/user/email/ann@x.io/export?cid=${cid}`)).json()).data;
    expect(exported.stored.some((s: any) => s.recent?.some((e: any) => e.fields.page === "from-laptop"))).toBe(true);
  });

  it("shows experiences reached and converted", async () => {
    const cid = await newAccount();
    const created = await admin(`/api/experience?cid=${cid}`, "POST", {
      name: "Promo",
      tactic: "present_message",
      variations: [{ widget: { layout: "slideout", msg: "Hi" } }],
      targeting: { include: [] },
      status: "published",
    });
    expect(created.status).toBe(201);
    const exp = (await created.json()).data;
    const w = `${exp.id}-a`;
    await collect(cid, { _uid: "x1", _eid: "e1", _e: "pf-widget", "pf-widget-id": w, "pf-widget-event": "show" });
    await collect(cid, { _uid: "x1", _eid: "e2", _e: "pf-widget", "pf-widget-id": w, "pf-widget-event": "confirm" });
    await collect(cid, { _uid: "x2", _eid: "e3", _e: "pf-widget", "pf-widget-id": w, "pf-widget-event": "show" });
    const x1 = (await (await person(cid, "_uid", "x1")).json()).data;
    expect(x1.experiences).toEqual([{ id: exp.id, variation: "a", converted: true, goal: false }]);
    const x2 = (await (await person(cid, "_uid", "x2")).json()).data;
    expect(x2.experiences).toEqual([{ id: exp.id, variation: "a", converted: false, goal: false }]);
  });

  it("a token limited to attributes sees only those fields, identifiers and event fields", async () => {
    const cid = await newAccount();
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { email: "lim@x.io", name: "Lim", secret_note: "vip" });
    const limited = await tokenFor(cid, { role: "reader", attributes: ["name"] });
    const data = (await (await person(cid, "email", "lim@x.io", limited)).json()).data;
    expect(data.fields.map((f: any) => f.name)).toEqual(["name"]);
    expect(data.identifiers).toEqual([]);
    expect(JSON.stringify(data.timeline)).not.toContain("vip");
    expect(JSON.stringify(data)).not.toContain("lim@x.io");
    const full = (await (await person(cid, "email", "lim@x.io")).json()).data;
    expect(full.timeline[0].fields).toMatchObject({ secret_note: "vip", email: "lim@x.io" });
  });

  it("answers 401 without a token, 403 for another account's token, 404 for unknown and erased people", async () => {
    const cid = await newAccount();
    const other = await newAccount();
    await collect(cid, { _uid: "gone" });
    expect((await call(`/api/person/_uid/gone?cid=${cid}`)).status).toBe(401);
    const foreign = await tokenFor(other, { role: "admin" });
    const res = await call(`/api/person/_uid/gone?cid=${cid}`, { headers: { authorization: foreign } });
    expect(res.status).toBe(403);
    expect((await person(cid, "_uid", "nobody")).status).toBe(404);
    expect((await admin(`/api/entity/user/_uid/gone?cid=${cid}`, "DELETE")).status).toBe(200);
    const after = await person(cid, "_uid", "gone");
    expect(after.status).toBe(404);
    expect(await after.json()).toMatchObject({ status: 404, message: "no profile with _uid = gone" });
  });
});
