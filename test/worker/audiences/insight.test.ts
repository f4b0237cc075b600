import { describe, expect, it } from "vitest";
import { admin, call, collect, eventually, newAccount } from "../helpers";

const v2 = (cid: string, path: string, method = "GET", body?: unknown) =>
  admin(`/v2/segment${path}${path.includes("?") ? "&" : "?"}cid=${cid}`, method, body);
const validate = async (cid: string, text: string) => {
  const res = await v2(cid, "/validate", "POST", { segment_ql: text });
  expect(res.status).toBe(200);
  return (await res.json()).data;
};

describe("console audience routes", () => {
  it("validation names the line and column of a syntax error, and gives the ast of valid text", async () => {
    const cid = await newAccount();
    const bad = await validate(cid, `FILTER AND (\n  plan = "pro",\n  visitct >= ,\n)\nFROM user`);
    expect(bad.valid).toBe(false);
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]).toMatchObject({ line: 3, column: 14 });
    expect(bad.errors[0].message).not.toMatch(/at line/);
    const good = await validate(cid, `FILTER AND (visitct >= 2, last_visit > "now-30d") FROM user ALIAS returning`);
    expect(good).toMatchObject({ valid: true, table: "user", alias: "returning", errors: [] });
    expect(good.ast).toEqual({
      op: "and",
      args: [
        { op: ">=", args: [{ ident: "visitct" }, { val: 2 }] },
        { op: ">", args: [{ ident: "last_visit" }, { val: "now-30d" }] },
      ],
    });
    expect(good.segment_ql).toContain("ALIAS returning");
  });

  it("validation refuses an INCLUDE of an unknown audience at its place, and accepts a known one", async () => {
    const cid = await newAccount();
    const unknown = await validate(cid, `FILTER AND (\n  visitct > 1,\n  INCLUDE ghosts\n) ALIAS x`);
    expect(unknown.valid).toBe(false);
    expect(unknown.errors).toEqual([{ line: 3, column: 3, message: "unknown audience ghosts" }]);
    await v2(cid, "", "POST", { slug_name: "ghosts", segment_ql: "FILTER EXISTS email" });
    expect((await validate(cid, `FILTER INCLUDE ghosts ALIAS x`)).valid).toBe(true);
    expect((await validate(cid, `FILTER visitct > 1 FROM content`)).errors[0].message).toMatch(/user table/);
  });

  it("a reader may not validate; a missing body field answers 400", async () => {
    const cid = await newAccount();
    const reader = (await (await admin(`/api/token?cid=${cid}`, "POST", { name: "r", role: "reader" })).json()).data
      .token as string;
    const refused = await call(`/v2/segment/validate?cid=${cid}`, {
      method: "POST",
      headers: { authorization: reader, "content-type": "application/json" },
      body: JSON.stringify({ segment_ql: "FILTER x = 1" }),
    });
    expect(refused.status).toBe(403);
    const seen = await call(`/v2/segment/validate?cid=${cid}`, { headers: { authorization: reader } });
    expect(seen.status).not.toBe(200);
    const res = await v2(cid, "/validate", "POST", { text: "FILTER x = 1" });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.length).toBeGreaterThan(0);
  });

  it("previews members with their fields and keeps today's size in the history", async () => {
    const cid = await newAccount();
    const seg = (await (await v2(cid, "", "POST", { slug_name: "pros", segment_ql: `FILTER plan = "pro"` })).json())
      .data;
    for (let i = 0; i < 3; i++) await collect(cid, { _uid: `m${i}`, plan: i < 2 ? "pro" : "free", name: `N${i}` });
    const members = await eventually(
      async () => (await (await v2(cid, `/${seg.id}/members?limit=10`)).json()).data as any[],
      (m) => m.length === 2,
    );
    expect(members.map((m) => m.fields.name).sort()).toEqual(["N0", "N1"]);
    expect(members.map((m) => m.identifiers.find((i: any) => i.field === "_uid")?.value).sort()).toEqual(["m0", "m1"]);
    const history = (await (await v2(cid, "/pros/size-history?days=7")).json()).data as any[];
    expect(history).toHaveLength(7);
    expect(history[6]).toEqual({ day: new Date().toISOString().slice(0, 10), size: 2 });
    expect(history[0].size).toBeNull();
    await collect(cid, { _uid: "m0", plan: "free" });
    const after = await eventually(
      async () => (await (await v2(cid, "/pros/size-history?days=1")).json()).data as any[],
      (h) => h[0].size === 1,
    );
    expect(after[0].size).toBe(1);
    expect((await v2(cid, "/pros/size-history?days=0")).status).toBe(400);
    expect((await v2(cid, "/nope/members")).status).toBe(404);
  });
});
