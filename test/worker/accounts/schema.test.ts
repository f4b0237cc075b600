import { describe, expect, it } from "vitest";
import { admin, collect, newAccount, personalize } from "../helpers";

const entity = async (cid: string, uid: string) =>
  (await (await admin(`/api/entity/user/_uid/${uid}?cid=${cid}`)).json()).data;

describe("/api/schema/user/fields", () => {
  it("applies every merge strategy, and a changed strategy without re-ingesting", async () => {
    const cid = await newAccount();
    for (const color of ["red", "blue", "blue", "green"]) await collect(cid, { _uid: "m", color, tags: [color] });
    expect((await entity(cid, "m")).color).toBe("green");
    const expected: Record<string, unknown> = {
      first: "red",
      latest: "green",
      frequent: "blue",
      unique: ["red", "blue", "green"],
    };
    for (const [merge, value] of Object.entries(expected)) {
      const res = await admin(`/api/schema/user/fields/color?cid=${cid}`, "PUT", { merge });
      expect(res.status).toBe(200);
      expect((await res.json()).data).toMatchObject({ name: "color", merge });
      expect((await entity(cid, "m")).color).toEqual(value);
    }
    await admin(`/api/schema/user/fields/tags?cid=${cid}`, "PUT", { merge: "unique" });
    expect((await entity(cid, "m")).tags).toEqual(["red", "blue", "green"]);
  });

  it("coerces values to the declared type", async () => {
    const cid = await newAccount();
    await collect(cid, { _uid: "t", age: "41", vip: "true", signup: 1700000000 });
    await admin(`/api/schema/user/fields/age?cid=${cid}`, "PUT", { type: "number" });
    await admin(`/api/schema/user/fields/vip?cid=${cid}`, "PUT", { type: "boolean" });
    await admin(`/api/schema/user/fields/signup?cid=${cid}`, "PUT", { type: "date" });
    expect(await entity(cid, "t")).toMatchObject({ age: 41, vip: true, signup: "2023-11-14T22:13:20.000Z" });
  });

  it("surfaces fields to /personalize and marks identifiers", async () => {
    const cid = await newAccount({ surfaced_fields: [] });
    await collect(cid, { _uid: "s", tier: "gold", member_no: "M-1" });
    expect((await personalize(cid, "s")).body.data.user.tier).toBeUndefined();
    await admin(`/api/schema/user/fields/tier?cid=${cid}`, "PUT", { surfaced: true });
    expect((await personalize(cid, "s")).body.data.user.tier).toBe("gold");
    await admin(`/api/schema/user/fields/member_no?cid=${cid}`, "PUT", { identifier: true });
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { member_no: "M-2", plan: "x" });
    expect((await (await admin(`/api/entity/user/member_no/M-2?cid=${cid}`)).json()).data.plan).toBe("x");
    const list = (await (await admin(`/api/schema/user/fields?cid=${cid}`)).json()).data;
    expect(list.find((f: any) => f.name === "member_no")).toMatchObject({ identifier: true, builtin: false });
    expect(list.find((f: any) => f.name === "visitct")).toMatchObject({ builtin: true });
    expect((await admin(`/api/schema/user/fields/tier?cid=${cid}`, "DELETE")).status).toBe(204);
    expect((await personalize(cid, "s")).body.data.user.tier).toBeUndefined();
  });

  it("refuses bad settings, built-ins, and removing the last identifier", async () => {
    const cid = await newAccount({ identifier_fields: ["_uid"] });
    expect((await admin(`/api/schema/user/fields/x?cid=${cid}`, "PUT", { merge: "average" })).status).toBe(422);
    expect((await admin(`/api/schema/user/fields/visitct?cid=${cid}`, "PUT", { type: "number" })).status).toBe(422);
    expect((await admin(`/api/schema/user/fields/_uid?cid=${cid}`, "PUT", { identifier: false })).status).toBe(422);
    expect(
      (await admin(`/api/schema/user/fields/${encodeURIComponent("bad name")}?cid=${cid}`, "PUT", {})).status,
    ).toBe(400);
    expect((await admin(`/api/schema/user/fields/nothing?cid=${cid}`, "DELETE")).status).toBe(404);
  });
});
