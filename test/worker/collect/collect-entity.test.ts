import { describe, expect, it } from "vitest";
import { admin, call, newAccount, ok, ORIGIN, personalize } from "../helpers";

/** A tag's page-view batch to `/c/:cid?_entity=1`, as the tag sends it (text/plain JSON). */
function collectWithEntity(cid: string, events: unknown[], origin = ORIGIN): Promise<Response> {
  return call(`/c/${cid}/default?_entity=1`, {
    method: "POST",
    headers: { origin, "content-type": "text/plain;charset=UTF-8" },
    body: JSON.stringify(events),
  });
}

describe("POST /c/:cid?_entity=1 (page view and entity in one round trip)", () => {
  it("stores the batch and answers the entity /personalize gives, reflecting the batch", async () => {
    const cid = await newAccount({ public_personalization: true });
    await ok(
      await admin(`/v2/segment?cid=${cid}`, "POST", {
        slug_name: "pro_users",
        segment_ql: 'FILTER plan = "pro"',
        is_public: true,
      }),
      201,
    );
    const res = await collectWithEntity(cid, [{ _e: "pv", _uid: "v1", plan: "pro", url: "shop.test/" }]);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.json();
    expect(body).toMatchObject({ status: 200, message: "success", data: { received: 1, anonymous: 0 } });
    expect(body.entity.data.user).toMatchObject({ _uid: "v1", plan: "pro" });
    expect(body.entity.data.user.segments).toEqual(["all", "pro_users"]);
    // The same body /personalize answers now.
    expect(body.entity).toEqual((await personalize(cid, "v1")).body);
  });

  it("never stores the flag as a field, and answers a plain collect result without it", async () => {
    const cid = await newAccount({ public_personalization: true });
    await collectWithEntity(cid, [{ _uid: "v2", n: 1 }]);
    const stored = await ok(await admin(`/api/entity/user/_uid/v2?cid=${cid}`));
    expect(stored.data.n).toBe(1);
    expect(stored.data._entity).toBeUndefined();
    const plain = await call(`/c/${cid}/default`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "text/plain" },
      body: JSON.stringify([{ _uid: "v2", n: 2 }]),
    });
    expect(await plain.json()).toEqual({ status: 200, message: "success", data: { received: 1, anonymous: 0 } });
  });

  it("stores the batch but answers no entity when the account does not allow public personalization", async () => {
    const cid = await newAccount({ public_personalization: false });
    const res = await collectWithEntity(cid, [{ _uid: "v3", plan: "pro" }]);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.entity).toBeUndefined();
    expect(body.data.received).toBe(1);
    expect((await ok(await admin(`/api/entity/user/_uid/v3?cid=${cid}`))).data.plan).toBe("pro");
  });

  it("refuses origins off the allowlist, as /personalize does", async () => {
    const cid = await newAccount({ public_personalization: true });
    const res = await collectWithEntity(cid, [{ _uid: "v4" }], "https://evil.test");
    expect(res.status).toBe(403);
    expect((await res.json()).entity).toBeUndefined();
  });

  it("rejects another flag value with a clear 400", async () => {
    const cid = await newAccount({ public_personalization: true });
    const res = await call(`/c/${cid}?_entity=yes`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json" },
      body: JSON.stringify({ _uid: "v5" }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].path).toBe("_entity");
  });
});
