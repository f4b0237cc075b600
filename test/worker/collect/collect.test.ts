import { describe, expect, it } from "vitest";
import { admin, call, collect, eventually, newAccount, ORIGIN, personalize } from "../helpers";

async function profile(cid: string, field: string, value: string) {
  const res = await admin(`/api/entity/user/${field}/${encodeURIComponent(value)}?cid=${cid}&meta=true`);
  return { status: res.status, body: (await res.json()) as any };
}

describe("POST /c/:cid", () => {
  it("accepts one event, an array and {events: [...]}, as JSON or text/plain", async () => {
    const cid = await newAccount();
    expect((await collect(cid, { _uid: "a", n: 1 })).status).toBe(200);
    expect(
      (
        await collect(
          cid,
          [
            { _uid: "a", n: 2 },
            { _uid: "a", m: 3 },
          ],
          { type: "text/plain" },
        )
      ).status,
    ).toBe(200);
    const res = await collect(cid, { events: [{ _uid: "a", o: 4 }] });
    expect(await res.json()).toEqual({ status: 200, message: "success", data: { received: 1, anonymous: 0 } });
    const { body } = await profile(cid, "_uid", "a");
    expect(body.data).toMatchObject({ n: 2, m: 3, o: 4 });
    expect(body.meta.events).toBe(4);
  });

  it("accepts the legacy Lytics wire format: query string, form, k_json, _js", async () => {
    const cid = await newAccount();
    const get = await call(
      `/c/${cid}?_uid=legacy&_e=pv&color=blue&tags_json=${encodeURIComponent('["x","y"]')}&tags_len=2&a.b=nested`,
    );
    expect(get.status).toBe(200);
    const form = await call(`/c/${cid}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _uid: "legacy", _js: JSON.stringify({ size: "L", big: "payload" }) }).toString(),
    });
    expect(form.status).toBe(200);
    const { body } = await profile(cid, "_uid", "legacy");
    expect(body.data).toMatchObject({ color: "blue", tags: ["x", "y"], "a.b": "nested", size: "L", big: "payload" });
    expect(body.data.tags_len).toBeUndefined();
  });

  it("stores an event id once: retried sends are deduplicated", async () => {
    const cid = await newAccount();
    const event = { _uid: "dup", _eid: "evt-1", clicks: 1 };
    await collect(cid, event);
    await collect(cid, event);
    await collect(cid, [event, { ...event, _eid: "evt-2" }]);
    const { body } = await profile(cid, "_uid", "dup");
    expect(body.meta.events).toBe(2);
  });

  it("a large batch counts each event id once: ids repeated within it and ids sent before", async () => {
    const cid = await newAccount();
    await collect(cid, [
      { _uid: "bulk", _eid: "b-0", step: 0 },
      { _uid: "bulk", _eid: "b-1", step: 1 },
    ]);
    // 150 events: ids b-0 .. b-99 each once, then b-50 .. b-99 again (50 repeats, 2 of them sent before).
    const batch = [
      ...Array.from({ length: 100 }, (_, i) => ({ _uid: "bulk", _eid: `b-${i}`, step: i })),
      ...Array.from({ length: 50 }, (_, i) => ({ _uid: "bulk", _eid: `b-${50 + i}`, step: 1000 + i })),
    ];
    expect((await collect(cid, batch)).status).toBe(200);
    const { body } = await profile(cid, "_uid", "bulk");
    expect(body.meta.events).toBe(100);
    // A repeated id is dropped, not re-applied: the last new event wins the field.
    expect(body.data.step).toBe(99);
  });

  it("counts events without any identifier and stores nothing for them", async () => {
    const cid = await newAccount();
    const res = await collect(cid, [{ color: "red" }, { _uid: "x", color: "green" }]);
    expect((await res.json()).data).toEqual({ received: 2, anonymous: 1 });
  });

  it("links _uid and email from one event; lookups by either reach the profile", async () => {
    const cid = await newAccount();
    await collect(cid, { _uid: "u-mail", email: "Ada@Example.com", name: "Ada" });
    const byEmail = await profile(cid, "email", "ada@example.com");
    const byUid = await profile(cid, "_uid", "u-mail");
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.meta.id).toBe(byUid.body.meta.id);
    expect(byEmail.body.data.email).toBe("Ada@Example.com");
  });

  it("never merges a browser into someone else's profile by a typed-in email", async () => {
    const cid = await newAccount();
    // The site's backend knows Ada.
    await admin(`/collect/json/crm?cid=${cid}`, "POST", {
      email: "ada@example.com",
      user_id: "42",
      name: "Ada Lovelace",
    });
    // A stranger types Ada's email into a form.
    await collect(cid, { _uid: "stranger", email: "ada@example.com" });
    const { body } = await personalize(cid, "stranger");
    expect(body.data.user.name).toBeUndefined();
    const ada = await profile(cid, "email", "ada@example.com");
    expect(ada.body.data._uids).toEqual([]);
    expect(ada.body.data.name).toBe("Ada Lovelace");
  });

  it("ignores placeholder identifiers", async () => {
    const cid = await newAccount();
    await collect(cid, { _uid: "p1", email: "anonymous" });
    await collect(cid, { _uid: "p2", email: "anonymous" });
    expect((await profile(cid, "email", "anonymous")).status).toBe(404);
    const one = await profile(cid, "_uid", "p1");
    const two = await profile(cid, "_uid", "p2");
    expect(one.body.meta.id).not.toBe(two.body.meta.id);
  });

  describe("errors leave nothing stored", () => {
    it("404 for an unknown account", async () => {
      const res = await collect("no-such-account", { _uid: "x" });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ status: 404, message: 'unknown account "no-such-account"', errors: [] });
    });

    it("400 for malformed JSON, 415 for other content types", async () => {
      const cid = await newAccount();
      const bad = await collect(cid, '{"_uid": "m",');
      expect(bad.status).toBe(400);
      expect((await bad.json()).message).toBe("request body is not valid JSON");
      const xml = await collect(cid, "<event/>", { type: "application/xml" });
      expect(xml.status).toBe(415);
      expect((await profile(cid, "_uid", "m")).status).toBe(404);
    });

    it("413 past the body limit, declared or not", async () => {
      const cid = await newAccount();
      const big = JSON.stringify({ _uid: "big", blob: "x".repeat(300 * 1024) });
      expect((await collect(cid, big)).status).toBe(413);
      const stream = new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(big));
          c.close();
        },
      });
      const res = await call(`/c/${cid}`, {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(res.status).toBe(413);
      expect((await profile(cid, "_uid", "big")).status).toBe(404);
    });

    it("422 naming the bad event and field; the good events of the batch are not stored either", async () => {
      const cid = await newAccount();
      const fields = Object.fromEntries(Array.from({ length: 301 }, (_, i) => [`f${i}`, i]));
      const res = await collect(cid, [
        { _uid: "v", ok: 1 },
        7,
        { _uid: "v", n: Infinity === 1 ? 0 : "x".repeat(20000) },
        { _uid: "v", ...fields },
      ]);
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.errors).toEqual([
        { path: "[1]", message: "an event must be a JSON object" },
        { path: "[2].n", message: "strings may have at most 16384 characters" },
        { path: "[3]", message: "at most 300 fields per event, got 302" },
      ]);
      expect((await profile(cid, "_uid", "v")).status).toBe(404);
    });
  });

  describe("CORS", () => {
    it("answers allowed origins with credentials and refuses others with 403", async () => {
      const cid = await newAccount({ domains: ["example.com"] });
      const ok = await collect(cid, { _uid: "c1" }, { origin: "https://shop.example.com" });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
      expect(ok.headers.get("access-control-allow-credentials")).toBe("true");
      const evil = await collect(cid, { _uid: "c2" }, { origin: "https://evil-example.com" });
      expect(evil.status).toBe(403);
      expect(evil.headers.get("access-control-allow-origin")).toBeNull();
      expect((await profile(cid, "_uid", "c2")).status).toBe(404);
    });

    it("answers preflights for allowed origins only", async () => {
      const cid = await newAccount({ domains: ["example.com"] });
      const pre = await call(`/c/${cid}`, {
        method: "OPTIONS",
        headers: {
          origin: "https://example.com",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
      const denied = await call(`/c/${cid}`, {
        method: "OPTIONS",
        headers: { origin: "https://other.org", "access-control-request-method": "POST" },
      });
      expect(denied.status).toBe(403);
    });
  });
});

describe("POST /collect/json/:stream", () => {
  it("needs a token with a writing role", async () => {
    const cid = await newAccount();
    const none = await call(`/collect/json/s?cid=${cid}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ status: 401, message: "a valid API token is required", errors: [] });
    const wrong = await call(`/collect/json/s?cid=${cid}`, {
      method: "POST",
      headers: { authorization: "nope-nope-nope-nope", "content-type": "application/json" },
      body: "{}",
    });
    expect(wrong.status).toBe(401);
  });

  it("takes an object or an array; ?key= works as well as the header", async () => {
    const cid = await newAccount();
    const one = await call(`/collect/json/crm?cid=${cid}&key=test-admin-token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user_id: "9", plan: "pro" }),
    });
    expect(one.status).toBe(200);
    const many = await admin(`/collect/json/crm?cid=${cid}`, "POST", [
      { user_id: "9", seats: 3 },
      { user_id: "10", seats: 1 },
    ]);
    expect((await many.json()).data.received).toBe(2);
    expect((await profile(cid, "user_id", "9")).body.data).toMatchObject({ plan: "pro", seats: 3 });
  });

  it("merges profiles that a verified event shows to be one person", async () => {
    const cid = await newAccount();
    await collect(cid, { _uid: "browser-1", color: "red" });
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { user_id: "77", name: "Lin" });
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { user_id: "77", _uid: "browser-1" });
    const byUid = await profile(cid, "_uid", "browser-1");
    const byUser = await profile(cid, "user_id", "77");
    expect(byUid.body.meta.id).toBe(byUser.body.meta.id);
    expect(byUser.body.data).toMatchObject({ color: "red", name: "Lin", _uids: ["browser-1"] });
    expect(byUser.body.meta.merged).toHaveLength(1);
  });

  it("a bulk call of many people keeps each person's events in order and links people within the batch", async () => {
    const cid = await newAccount();
    // 30 people, three events each, interleaved the way an export arrives: round 1, round 2, round 3.
    const rounds: Record<string, unknown>[] = [1, 2, 3].flatMap((round) =>
      Array.from({ length: 30 }, (_, i) => ({ user_id: `u${i}`, step: round, [`seen_${round}`]: true })),
    );
    // Within the same batch, u0's second event tells its email, and a later event by that email alone lands on u0.
    rounds.splice(31, 0, { user_id: "u0", email: "u0@x.io" });
    rounds.push({ email: "u0@x.io", plan: "gold" });
    const res = await admin(`/collect/json/crm?cid=${cid}`, "POST", rounds);
    expect(res.status).toBe(200);
    expect((await res.json()).data.received).toBe(92);
    for (const i of [0, 7, 29]) {
      const p = await profile(cid, "user_id", `u${i}`);
      expect(p.body.data).toMatchObject({ step: 3, seen_1: true, seen_2: true, seen_3: true });
    }
    const byEmail = await profile(cid, "email", "u0@x.io");
    expect(byEmail.body.data).toMatchObject({ user_id: "u0", plan: "gold", step: 3 });
    expect(byEmail.body.meta.merged).toHaveLength(0);
  }, 60_000);

  it("a bulk call of new people counts each one exactly once in the audience sizes", async () => {
    const cid = await newAccount();
    const seg = await admin(`/v2/segment?cid=${cid}`, "POST", { slug_name: "even", segment_ql: "FILTER n < 1000" });
    expect(seg.status).toBe(201);
    const people = Array.from({ length: 60 }, (_, i) => ({ user_id: `b${i}`, _eid: `b${i}`, n: i % 2 ? 5000 : i }));
    expect((await admin(`/collect/json/crm?cid=${cid}`, "POST", people)).status).toBe(200);
    // Sent again (a retried export): nothing changes.
    expect((await admin(`/collect/json/crm?cid=${cid}`, "POST", people)).status).toBe(200);
    const size = async () => (await (await admin(`/v2/segment/even?cid=${cid}`)).json()).data.size;
    expect(await eventually(size, (n) => n === 30, 30_000)).toBe(30);
  }, 60_000);

  it("answers 400/415 for a missing account or a wrong content type", async () => {
    const noCid = await admin(`/collect/json/crm`, "POST", { user_id: "1" });
    expect(noCid.status).toBe(400);
    const cid = await newAccount();
    const text = await call(`/collect/json/crm?cid=${cid}`, {
      method: "POST",
      headers: { authorization: "test-admin-token", "content-type": "text/csv" },
      body: "a,b",
    });
    expect(text.status).toBe(415);
  });
});

describe("signed identities", () => {
  it("a browser link signed by the site's backend is verified and merges with the known person", async () => {
    const cid = await newAccount();
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { email: "sig@x.io", name: "Signed Sam" });
    const secret = (await (await admin(`/api/account/identity-secret?cid=${cid}`, "POST")).json()).data.secret;
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const raw = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode("email:sig@x.io")));
    const sig = btoa(String.fromCharCode(...raw))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    // A wrong signature changes nothing.
    await collect(cid, { _uid: "sam-browser", email: "sig@x.io", _idsig: { email: sig.slice(0, -2) + "AA" } });
    expect((await personalize(cid, "sam-browser")).body.data.user.name).toBeUndefined();
    await collect(cid, { _uid: "sam-browser", email: "sig@x.io", _idsig: { email: sig } });
    expect((await personalize(cid, "sam-browser")).body.data.user.name).toBe("Signed Sam");
    // Rotation invalidates old signatures.
    await admin(`/api/account/identity-secret?cid=${cid}&rotate=true`, "POST");
    await collect(cid, { _uid: "other-browser", email: "sig@x.io", _idsig: { email: sig } });
    expect((await personalize(cid, "other-browser")).body.data.user.name).toBeUndefined();
  });
});
