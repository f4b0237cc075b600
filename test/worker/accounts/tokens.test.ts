import { describe, expect, it } from "vitest";
import { admin, call, collect, newAccount } from "../helpers";

async function token(cid: string, body: Record<string, unknown>): Promise<string> {
  const res = await admin(`/api/token?cid=${cid}`, "POST", body);
  expect(res.status).toBe(201);
  return (await res.json()).data.token;
}

const as = (tok: string, path: string, method = "GET", body?: unknown) =>
  call(path, {
    method,
    headers: { authorization: tok, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

describe("/api/token and roles", () => {
  it("creates tokens shown once, lists them without secrets, deletes them", async () => {
    const cid = await newAccount();
    const tok = await token(cid, { name: "ci", role: "reader" });
    expect(tok).toMatch(new RegExp(`^pl_${cid}\\.`));
    const list = await (await admin(`/api/token?cid=${cid}`)).json();
    expect(list.data).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain(tok.split(".")[1]);
    expect((await as(tok, "/api/account")).status).toBe(200);
    expect((await admin(`/api/token/${list.data[0].id}?cid=${cid}`, "DELETE")).status).toBe(204);
    expect((await as(tok, "/api/account")).status).toBe(401);
    expect((await admin(`/api/token/${list.data[0].id}?cid=${cid}`, "DELETE")).status).toBe(404);
  });

  it("gives each role exactly its rights", async () => {
    const cid = await newAccount();
    const roles = {
      admin: await token(cid, { name: "a", role: "admin" }),
      data_manager: await token(cid, { name: "d", role: "data_manager" }),
      reader: await token(cid, { name: "r", role: "reader" }),
    };
    await collect(cid, { _uid: "rm", name: "R" });
    const matrix: [string, string, unknown, Record<string, number>][] = [
      ["GET", "/api/entity/user/_uid/rm", undefined, { admin: 200, data_manager: 200, reader: 200 }],
      ["GET", "/api/account", undefined, { admin: 200, data_manager: 200, reader: 200 }],
      ["POST", "/collect/json/s", { user_id: "1" }, { admin: 200, data_manager: 200, reader: 403 }],
      ["PUT", "/api/account", { name: "x" }, { admin: 200, data_manager: 403, reader: 403 }],
      ["GET", "/api/token", undefined, { admin: 200, data_manager: 403, reader: 403 }],
      ["POST", "/api/token", { name: "n", role: "reader" }, { admin: 201, data_manager: 403, reader: 403 }],
      ["POST", "/api/account", { cid: "stolen" }, { admin: 403, data_manager: 403, reader: 403 }],
    ];
    for (const [method, path, body, expected] of matrix) {
      for (const [role, tok] of Object.entries(roles)) {
        const res = await as(tok, path, method, body);
        expect(`${role} ${method} ${path} → ${res.status}`).toBe(`${role} ${method} ${path} → ${expected[role]}`);
        if (res.status >= 400)
          expect(await res.json()).toMatchObject({ status: res.status, message: expect.any(String), errors: [] });
      }
    }
  });

  it("keeps a token inside its own account", async () => {
    const a = await newAccount();
    const b = await newAccount();
    const tok = await token(a, { name: "a", role: "admin" });
    expect((await as(tok, `/api/account?cid=${b}`)).status).toBe(403);
  });

  it("limits a token to named attributes", async () => {
    const cid = await newAccount();
    await collect(cid, { _uid: "attr", name: "N", email: "n@x.io", score: 9 });
    const tok = await token(cid, { name: "limited", role: "reader", attributes: ["name", "score"] });
    const all = await (await as(tok, "/api/entity/user/_uid/attr")).json();
    expect(all.data).toEqual({ name: "N", score: 9 });
    const denied = await as(tok, "/api/entity/user/_uid/attr?fields=email");
    expect(denied.status).toBe(403);
  });

  it("refuses expired tokens and invalid token requests", async () => {
    const cid = await newAccount();
    const past = await admin(`/api/token?cid=${cid}`, "POST", {
      name: "old",
      role: "reader",
      expires: "2001-01-01T00:00:00Z",
    });
    expect(past.status).toBe(422);
    const soon = await token(cid, { name: "soon", role: "reader", expires: new Date(Date.now() + 1500).toISOString() });
    expect((await as(soon, "/api/account")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await as(soon, "/api/account")).status).toBe(401);
    const badRole = await admin(`/api/token?cid=${cid}`, "POST", { name: "x", role: "owner" });
    expect(badRole.status).toBe(422);
    expect((await badRole.json()).errors[0].path).toBe("role");
  });
});

describe("every management route checks its token", () => {
  it("answers 401 without a token on every route the OpenAPI document marks as secured", async () => {
    const doc = await (await call("/openapi.json")).json();
    const fill = (path: string) => path.replace(/\{[^}]+\}/g, "x");
    let checked = 0;
    for (const [path, item] of Object.entries<Record<string, { security?: unknown[] }>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!op.security) continue;
        const res = await call(fill(path), {
          method: method.toUpperCase(),
          headers: { "content-type": "application/json" },
          body: method === "get" || method === "delete" ? undefined : "{}",
        });
        expect(`${method.toUpperCase()} ${path} → ${res.status}`).toBe(`${method.toUpperCase()} ${path} → 401`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(25);
  });

  it("readers read audiences, fields and tokens they may, and write nothing", async () => {
    const cid = await newAccount();
    const reader = await token(cid, { name: "r", role: "reader" });
    const dm = await token(cid, { name: "d", role: "data_manager" });
    const rows: [string, string, unknown, number, number][] = [
      ["GET", "/v2/segment", undefined, 200, 200],
      ["POST", "/v2/segment", { slug_name: "rm_x", segment_ql: "FILTER a = 1" }, 403, 201],
      ["GET", "/api/schema/user/fields", undefined, 200, 200],
      ["PUT", "/api/schema/user/fields/color", { merge: "first" }, 403, 403],
      ["POST", "/api/token", { name: "n", role: "reader" }, 403, 403],
      ["DELETE", "/api/entity/user/_uid/x", undefined, 403, 403],
    ];
    for (const [method, path, body, readerCode, dmCode] of rows) {
      expect(`reader ${method} ${path} → ${(await as(reader, path, method, body)).status}`).toBe(
        `reader ${method} ${path} → ${readerCode}`,
      );
      expect(`data_manager ${method} ${path} → ${(await as(dm, path, method, body)).status}`).toBe(
        `data_manager ${method} ${path} → ${dmCode}`,
      );
    }
  });
});
