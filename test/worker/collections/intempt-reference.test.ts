// Intempt's API root, segmentations/latest and "list all data items", as reference 002 shows them.
import { describe, expect, it } from "vitest";
import { admin, call, collect, newAccount, ok, v1 } from "../helpers";

const rooms = {
  name: "bookings",
  source: "hotel",
  primaryKey: "id",
  schema: {
    type: "record",
    name: "booking",
    fields: [
      { name: "id", type: "long" },
      { name: "guestId", type: "long" },
      { name: "roomId", type: "long" },
    ],
  },
};

describe("Intempt API as reference 002 documents it", () => {
  it("GET /v1/:org/ answers the API details with _links", async () => {
    const cid = await newAccount();
    for (const path of [`/v1/${cid}/`, `/v1/${cid}`]) {
      const root = await ok(await call(path, { headers: { authorization: "test-admin-token" } }));
      expect(root).toMatchObject({ service: "metadata", version: "v1", status: "ok" });
      expect(root._links.sources.href).toBe(`http://pathlight.test/v1/${cid}/sources/`);
      expect(root._links.collections.href).toBe(`http://pathlight.test/v1/${cid}/collections/`);
    }
    expect((await call(`/v1/${cid}/`)).status).toBe(401);
  });

  it("segmentations/latest by profileId and masterId lists the person's latest segmentation", async () => {
    const cid = await newAccount();
    await admin(`/v2/segment?cid=${cid}`, "POST", { slug_name: "bookers", segment_ql: `FILTER plan = "pro"` });
    await collect(cid, { _uid: "seg-1", plan: "pro" });
    const id = (await ok(await admin(`/api/entity/user/_uid/seg-1?cid=${cid}&meta=true`))).meta.id;
    for (const q of [`profileId=${id}`, `masterId=${id}`]) {
      const body = await ok(await v1(cid, `/segmentations/latest?${q}`));
      const [s] = body._embedded.segmentations;
      expect(s).toMatchObject({ masterId: id, profileIds: [id], segments: expect.arrayContaining(["bookers"]) });
      expect(Date.parse(s.created)).not.toBeNaN();
      expect(s._links.self.href).toContain(`/v1/${cid}/segmentations/`);
      expect(body._links.self.href).toBe(`http://pathlight.test/v1/${cid}/segmentations`);
    }
    expect((await v1(cid, "/segmentations/latest")).status).toBe(400);
    const bySource = await v1(cid, `/segmentations/latest?sourceId=1&profile=${encodeURIComponent('{"a":1}')}`);
    expect(bySource.status).toBe(400);
    expect((await bySource.json()).message).toContain("not supported");
    expect((await v1(cid, "/segmentations/latest?profileId=nobody")).status).toBe(404);
  });

  it("lists every data item by default (no paging parameters, as the reference's example)", async () => {
    const cid = await newAccount();
    await ok(await v1(cid, "/collections", "POST", rooms), 201);
    const rows = Array.from({ length: 1500 }, (_, i) => ({ id: i + 1, guestId: i, roomId: 10 }));
    await ok(await v1(cid, "/collections/bookings/data", "POST", rows.slice(0, 750)), 201);
    await ok(await v1(cid, "/collections/bookings/data", "POST", rows.slice(750)), 201);
    const all = await ok(await v1(cid, "/collections/bookings/data"));
    expect(all._embedded.dataItemList).toHaveLength(1500);
    const [first] = all._embedded.dataItemList;
    expect(typeof first.collId).toBe("number");
    expect(first.id).toBe(first.data.id);
    expect(all._links.next).toBeUndefined();
    expect(all._links.self.href).toContain("/collections/");
    // Explicit paging still works.
    const page = await ok(await v1(cid, "/collections/bookings/data?limit=10"));
    expect(page._embedded.dataItemList).toHaveLength(10);
    expect(page._links.next).toBeDefined();
  }, 30_000);

  it("documents the root and segmentations in /openapi.json", async () => {
    const doc = await ok(await call("/openapi.json"));
    expect(doc.paths).toHaveProperty(["/v1/{org}/"]);
    expect(doc.paths).toHaveProperty(["/v1/{org}/segmentations/latest"]);
  });
});
