import { describe, expect, it } from "vitest";
import { admin, call, newAccount, ok } from "../helpers";

/** An account with one person holding a secret, and a token limited to `name`. */
async function limitedToken(role: "admin" | "data_manager" | "reader" = "data_manager") {
  const cid = await newAccount();
  await ok(
    await admin(`/collect/json/crm?cid=${cid}`, "POST", {
      _uid: "c1",
      email: "carol@corp.example",
      name: "Carol",
      secret_note: "salary 1M",
    }),
  );
  const created = await ok(
    await admin(`/api/token?cid=${cid}`, "POST", { name: "names only", role, attributes: ["name"] }),
    201,
  );
  return { cid, token: created.data.token as string };
}

const as = (token: string, path: string, method = "GET", body?: unknown) =>
  call(path, {
    method,
    headers: { authorization: token, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("Trust #3: a token limited to some attributes reads only those, on every path", () => {
  it("entity API: answers only the allowed fields, refuses others (403)", async () => {
    const { cid, token } = await limitedToken();
    const body = await ok(await as(token, `/api/entity/user/email/carol@corp.example`));
    expect(body.data).toEqual({ name: "Carol" });
    expect((await as(token, `/api/entity/user/email/carol@corp.example?fields=secret_note`)).status).toBe(403);
    expect(cid).toBeTruthy();
  });

  it("webhooks: a limited token cannot create a subscription (with or without backfill)", async () => {
    const { token } = await limitedToken();
    const res = await as(token, "/api/subscription", "POST", {
      channel: "webhook",
      webhook_url: "https://hooks.example.com/in",
      segmentql: "FILTER EXISTS email FROM user ALIAS has_email",
      withbackfill: true,
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/attributes/);
  });

  it("webhooks: a limited token cannot list subscriptions nor their delivery logs", async () => {
    const { token } = await limitedToken("reader");
    expect((await as(token, "/api/subscription")).status).toBe(403);
  });

  it("export: an admin token limited to attributes cannot export a whole person", async () => {
    const { token } = await limitedToken("admin");
    expect((await as(token, `/api/entity/user/email/carol@corp.example/export`)).status).toBe(403);
  });

  it("collections feeds: a limited token cannot read or write collections", async () => {
    const { cid, token } = await limitedToken();
    expect((await as(token, `/v1/${cid}/collections`)).status).toBe(403);
    expect((await as(token, `/v1/${cid}/events/matches?profileId=x`)).status).toBe(403);
  });

  it("SegmentHub: profile queries answer only the allowed attributes", async () => {
    const { cid, token } = await limitedToken();
    const res = await call("/visitors/query", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ account: cid, token, visitorId: "c1" }),
    });
    const body = await ok(res);
    expect(Object.keys(body.attributes)).toEqual(["name"]);
    const denied = await call("/visitors/query", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ account: cid, token, visitorId: "c1", attributes: ["secret_note"] }),
    });
    expect(denied.status).toBe(403);
  });
});
