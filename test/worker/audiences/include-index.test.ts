import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AudienceRecord } from "../../../edge/accounts/records/audience-records";
import { admin, newAccount, ok } from "../helpers";

/**
 * An audience INCLUDEd by others can be neither renamed nor deleted (409
 * naming who INCLUDEs it). The account object answers "who INCLUDEs this
 * slug" from an index, built on first use for accounts stored before it.
 */
const v2 = (cid: string, path: string, method = "GET", body?: unknown) =>
  admin(`/v2/segment${path}${path.includes("?") ? "&" : "?"}cid=${cid}`, method, body);

const T = "2026-01-01T00:00:00.000Z";
const record = (id: string, slug: string, ast: AudienceRecord["ast"]): AudienceRecord => ({
  id,
  slug_name: slug,
  name: slug,
  description: "",
  table: "user",
  is_public: false,
  kind: "rule",
  ast,
  segment_ql: "",
  groups: [],
  created: T,
  updated: T,
});

describe("audiences INCLUDEd by others", () => {
  it("refuses renaming and deleting them, and allows both once nothing INCLUDEs them", async () => {
    const cid = await newAccount();
    const base = (await ok(await v2(cid, "", "POST", { slug_name: "base", segment_ql: "FILTER visitct > 1" }), 201))
      .data.id;
    const b = (await ok(await v2(cid, "", "POST", { slug_name: "b_user", segment_ql: "FILTER INCLUDE base" }), 201))
      .data.id;
    await ok(
      await v2(cid, "", "POST", { slug_name: "a_user", segment_ql: 'FILTER AND ( INCLUDE base, plan = "pro" )' }),
      201,
    );
    await ok(await v2(cid, "", "POST", { slug_name: "other", segment_ql: "FILTER visitct > 2" }), 201);

    const renamed = await v2(cid, `/${base}`, "PUT", { slug_name: "base2" });
    expect(renamed.status).toBe(409);
    const why = await renamed.json();
    expect(why.errors.map((e: { message: string }) => e.message)).toEqual([
      expect.stringContaining("INCLUDEd by a_user"),
      expect.stringContaining("INCLUDEd by b_user"),
    ]);
    expect((await v2(cid, `/${base}`, "DELETE")).status).toBe(409);

    // b_user stops INCLUDing base; a_user is deleted: nothing INCLUDEs base any more.
    await ok(await v2(cid, `/${b}`, "PUT", { segment_ql: "FILTER visitct > 5 ALIAS b_user" }));
    const a = (await ok(await v2(cid, "/a_user"))).data.id;
    expect((await v2(cid, `/${a}`, "DELETE")).status).toBeLessThan(300);
    await ok(await v2(cid, `/${base}`, "PUT", { slug_name: "base2" }));
    expect((await v2(cid, `/${base}`, "DELETE")).status).toBeLessThan(300);
  });

  it("knows who INCLUDEs an audience in an account stored before the index existed", async () => {
    const cid = await newAccount();
    // Audiences as older code stored them: rows in `segments`, no INCLUDE index.
    const ns = (env as unknown as { ACCOUNT: DurableObjectNamespace }).ACCOUNT;
    await runInDurableObject(ns.get(ns.idFromName(cid)), (_o, state) => {
      const sql = state.storage.sql;
      sql.exec(
        "CREATE TABLE IF NOT EXISTS segments (id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, record TEXT NOT NULL)",
      );
      const put = (r: AudienceRecord) =>
        sql.exec("INSERT INTO segments VALUES (?, ?, ?)", r.id, r.slug_name, JSON.stringify(r));
      put(record("old1", "old_base", { op: ">", args: [{ ident: "visitct" }, { val: 1 }] }));
      put(record("old2", "old_user", { op: "include", args: [{ ident: "old_base" }] }));
      put(record("old3", "loner", { op: ">", args: [{ ident: "visitct" }, { val: 3 }] }));
    });

    const renamed = await v2(cid, "/old1", "PUT", { slug_name: "new_base" });
    expect(renamed.status).toBe(409);
    expect((await renamed.json()).errors[0].message).toContain("INCLUDEd by old_user (old2)");
    expect((await v2(cid, "/old1", "DELETE")).status).toBe(409);
    // An audience nobody INCLUDEs renames as before, and the index follows later changes.
    await ok(await v2(cid, "/old3", "PUT", { slug_name: "loner2" }));
    await ok(await v2(cid, "", "POST", { slug_name: "fresh", segment_ql: "FILTER INCLUDE loner2" }), 201);
    expect((await v2(cid, "/old3", "PUT", { slug_name: "loner3" })).status).toBe(409);
  });
});
