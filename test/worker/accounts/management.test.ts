import { describe, expect, it } from "vitest";
import { admin, call, collect, newAccount } from "../helpers";

describe("GET /api/entity/:table/:field/:value", () => {
  it("returns the profile by any identifier, with fields, segments and meta on request", async () => {
    const cid = await newAccount();
    await collect(cid, { _uid: "e1", email: "e@x.io", name: "Eve", plan: "pro" });
    const res = await admin(`/api/entity/user/email/e@x.io?cid=${cid}&fields=name,plan&segments=true&meta=true`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.data).toEqual({ name: "Eve", plan: "pro", segments: ["all"] });
    expect(body.meta).toMatchObject({ events: 1, merged: [] });
    expect(body.message).toBe("success");
    const all = await (await admin(`/api/entity/user/_uid/e1?cid=${cid}`)).json();
    expect(all.data).toMatchObject({ _uids: ["e1"], visitct: 1, _sessions: 1 });
    for (const k of ["_created", "_modified", "first_visit", "last_visit"])
      expect(Date.parse(all.data[k])).toBeGreaterThan(0);
    expect(all.meta).toBeUndefined();
  });

  it("/api/me/:field/:value is an alias", async () => {
    const cid = await newAccount();
    await collect(cid, { _uid: "me1", name: "Mo" });
    const res = await admin(`/api/me/_uid/me1?cid=${cid}`);
    expect((await res.json()).data.name).toBe("Mo");
  });

  it("404 for unknown tables and profiles, 401 without token", async () => {
    const cid = await newAccount();
    const table = await admin(`/api/entity/content/url/x?cid=${cid}`);
    expect(table.status).toBe(404);
    expect((await table.json()).message).toContain('unknown table "content"');
    expect((await admin(`/api/entity/user/_uid/none?cid=${cid}`)).status).toBe(404);
    expect((await call(`/api/entity/user/_uid/none?cid=${cid}`)).status).toBe(401);
    expect((await admin(`/api/entity/user/_uid/none?cid=not-an-account`)).status).toBe(404);
  });
});

describe("/api/account", () => {
  it("creates (201), updates (200) and reads an account", async () => {
    const created = await admin("/api/account", "POST", { cid: "acme-co", name: "Acme", domains: ["acme.com"] });
    expect(created.status).toBe(201);
    const again = await admin("/api/account", "POST", { cid: "acme-co", surfaced_fields: ["tier"] });
    expect(again.status).toBe(200);
    const read = await (await admin("/api/account?cid=acme-co")).json();
    expect(read.data).toMatchObject({
      cid: "acme-co",
      name: "Acme",
      domains: ["acme.com"],
      surfaced_fields: ["tier"],
      identifier_fields: ["_uid", "email", "user_id"],
    });
    const put = await admin("/api/account?cid=acme-co", "PUT", { tag: { sessecs: 900 } });
    expect((await put.json()).data.tag).toEqual({ cookie: "_uid", cookie_expires_days: 365, sessecs: 900 });
  });

  it("refuses invalid settings with 422 naming the field, and changes nothing", async () => {
    const cid = await newAccount();
    const res = await admin(`/api/account?cid=${cid}`, "PUT", { domains: ["not a domain"], color: "red" });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.errors.map((e: any) => e.path ?? "")).toEqual(expect.arrayContaining(["domains.0"]));
    expect(body.errors.some((e: any) => /color/.test(e.message))).toBe(true);
    expect((await (await admin(`/api/account?cid=${cid}`)).json()).data.domains).toEqual(["localhost"]);
    const badCid = await admin("/api/account", "POST", { cid: "Has Spaces" });
    expect(badCid.status).toBe(422);
  });

  it("415 for non-JSON bodies, 400 for malformed JSON, 413 for huge ones", async () => {
    const text = await call("/api/account", {
      method: "POST",
      headers: { authorization: "test-admin-token", "content-type": "text/plain" },
      body: "{}",
    });
    expect(text.status).toBe(415);
    const bad = await call("/api/account", {
      method: "POST",
      headers: { authorization: "test-admin-token", "content-type": "application/json" },
      body: "{",
    });
    expect(bad.status).toBe(400);
    const huge = await admin("/api/account", "POST", { cid: "huge", name: "x".repeat(1_100_000) });
    expect(huge.status).toBe(413);
  });
});

describe("API reference and errors", () => {
  it("documents every route in /openapi.json and renders /docs", async () => {
    const doc = await (await call("/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    for (const path of [
      "/c/{cid}",
      "/c/{cid}/{stream}",
      "/collect/json/{stream}",
      "/personalize",
      "/cid/{cid}",
      "/api/entity/{table}/{field}/{value}",
      "/api/me/{field}/{value}",
      "/api/account",
      "/api/tag/{cid}/latest.min.js",
      "/api/experience",
      "/api/experience/{id}",
      "/api/experience/{id}/report",
      "/api/experience/candidate/{cid}/config.js",
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    // /docs is Swagger UI served from this worker's own files: no script from elsewhere.
    const html = await (await call("/docs")).text();
    expect(html).toContain('src="/docs/swagger-ui-bundle.js"');
    expect(html).not.toMatch(/src="(https?:)?\/\//);
    const bundle = await call("/docs/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    await bundle.arrayBuffer();
  });

  it("answers unknown routes with a JSON 404", async () => {
    const res = await call("/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ status: 404, message: "no route for GET /nope", errors: [] });
  });
});
