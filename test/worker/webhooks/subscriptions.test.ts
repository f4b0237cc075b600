import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { admin, call, collect, newAccount } from "../helpers";
import { accepted, audience, bodyOf, eventually, hookPath, receiver, subscribe } from "./helpers";

describe("webhook delivery", { timeout: 30_000 }, () => {
  it("delivers enter and exit in the Lytics shape, signed per Standard Webhooks, with custom headers", async () => {
    const cid = await newAccount();
    const seg = await audience(cid, "paying", `FILTER plan = "pro"`);
    const path = hookPath("shape");
    const created = await subscribe(cid, {
      channel: "webhook",
      name: "crm",
      description: "to the CRM",
      segment_ids: [seg.id],
      webhook_url: `${receiver()}${path}`,
      headers: { "x-api-key": "k-123" },
    });
    expect(created.status).toBe(200);
    const sub = created.body.data;
    expect(sub).toMatchObject({
      name: "crm",
      description: "to the CRM",
      segment_ids: [seg.id],
      workflow: "webhook_triggers",
      account_id: cid,
      state: "active",
    });
    expect(sub.config).toMatchObject({
      channel: "webhook",
      webhook_url: `${receiver()}${path}`,
      headers: { "x-api-key": "k-123" },
      format: "lytics",
      batch: false,
      batch_size: 10,
    });
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32,}$/);
    expect(typeof sub.created).toBe("string");

    await collect(cid, { _uid: "shape-1", plan: "pro", email: "ann@example.com" });
    const first = await eventually(
      () => accepted(path),
      (r) => r.length >= 1,
    );
    expect(first).toHaveLength(1);
    const req = first[0]!;
    expect(req.method).toBe("POST");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["x-api-key"]).toBe("k-123");
    expect(req.headers["webhook-id"]).toMatch(/^msg_/);
    expect(Math.abs(Number(req.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(60);
    // The maintained verifier accepts the signature; a wrong secret or a changed body does not.
    const verified = new Webhook(sub.secret).verify(req.body, req.headers) as any;
    expect(verified.meta).toMatchObject({
      object: "user",
      source: "subscription",
      subscription_id: sub.id,
      profile_id: expect.any(String),
      seq: expect.any(Number),
    });
    expect(verified.data).toMatchObject({ plan: "pro", email: "ann@example.com", _uids: ["shape-1"] });
    expect(verified.data.segment_events).toEqual([
      { id: seg.id, event: "enter", enter: expect.any(String), exit: "2099-12-31T23:59:59Z", slug: "paying" },
    ]);
    expect(() => new Webhook("whsec_" + btoa("another-secret-of-24-bytes")).verify(req.body, req.headers)).toThrow();
    expect(() => new Webhook(sub.secret).verify(req.body.replace("pro", "free"), req.headers)).toThrow();

    await collect(cid, { _uid: "shape-1", plan: "free" });
    const both = await eventually(
      () => accepted(path),
      (r) => r.length >= 2,
    );
    const exit = new Webhook(sub.secret).verify(both[1]!.body, both[1]!.headers) as any;
    expect(exit.data.plan).toBe("free");
    expect(exit.data.segment_events).toEqual([
      {
        id: seg.id,
        event: "exit",
        enter: verified.data.segment_events[0].enter,
        exit: expect.any(String),
        slug: "paying",
      },
    ]);
    expect(exit.meta.seq).toBeGreaterThan(verified.meta.seq);
    expect(exit.meta.profile_id).toBe(verified.meta.profile_id);
    expect(both[1]!.headers["webhook-id"]).not.toBe(req.headers["webhook-id"]);
    // Audiences the subscription does not name send nothing.
    await audience(cid, "others", `FILTER plan = "team"`);
    await collect(cid, { _uid: "shape-2", plan: "team" });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await accepted(path)).toHaveLength(2);
  });

  it("sends CloudEvents 1.0 in structured mode with the configured type and source", async () => {
    const cid = await newAccount();
    const seg = await audience(cid, "vip", `FILTER tier = "gold"`);
    const path = hookPath("ce");
    const sub = (
      await subscribe(cid, {
        channel: "webhook",
        segment_ids: ["vip"],
        webhook_url: `${receiver()}${path}`,
        format: "cloudevents",
        cloudevents_type: "com.example.audience",
      })
    ).body.data;
    expect(sub.config).toMatchObject({
      format: "cloudevents",
      cloudevents_type: "com.example.audience",
      cloudevents_source: `/accounts/${cid}/subscriptions/${sub.id}`,
      segment_ids: [seg.id],
    });
    await collect(cid, { _uid: "ce-1", tier: "gold" });
    const [req] = await eventually(
      () => accepted(path),
      (r) => r.length >= 1,
    );
    expect(req!.headers["content-type"]).toBe("application/cloudevents+json");
    const event = new Webhook(sub.secret).verify(req!.body, req!.headers) as any;
    expect(event).toMatchObject({
      specversion: "1.0",
      id: expect.stringMatching(/^evt_/),
      type: "com.example.audience",
      source: `/accounts/${cid}/subscriptions/${sub.id}`,
      subject: expect.any(String),
      time: expect.any(String),
      datacontenttype: "application/json",
      subscriptionid: sub.id,
      seq: expect.any(Number),
    });
    expect(event.data.tier).toBe("gold");
    expect(event.data.segment_events).toEqual([
      { id: seg.id, event: "enter", enter: expect.any(String), exit: "2099-12-31T23:59:59Z", slug: "vip" },
    ]);
    // The default type is Lytics'.
    const plain = (
      await subscribe(cid, {
        channel: "webhook",
        segment_ids: ["vip"],
        webhook_url: `${receiver()}${hookPath("ce2")}`,
        format: "cloudevents",
      })
    ).body.data;
    expect(plain.config.cloudevents_type).toBe("com.lytics.audience.user.event");
  });

  it("batches up to batch_size messages per request and sends partial batches within the window", async () => {
    const cid = await newAccount();
    await audience(cid, "readers", `FILTER EXISTS topic`);
    const path = hookPath("batch");
    const sub = (
      await subscribe(cid, {
        channel: "webhook",
        segment_ids: ["readers"],
        webhook_url: `${receiver()}${path}`,
        batch: true,
        batch_size: 3,
      })
    ).body.data;
    expect(sub.config).toMatchObject({ batch: true, batch_size: 3 });
    for (let i = 0; i < 7; i++) await collect(cid, { _uid: `batch-${i}`, topic: "news" });
    const count = (reqs: { body: string }[]) => reqs.reduce((n, r) => n + JSON.parse(r.body).length, 0);
    const reqs = await eventually(
      () => accepted(path),
      (r) => count(r) >= 7,
    );
    expect(count(reqs)).toBe(7);
    for (const r of reqs) {
      const batch = new Webhook(sub.secret).verify(r.body, r.headers) as any[];
      expect(Array.isArray(batch)).toBe(true);
      expect(batch.length).toBeGreaterThanOrEqual(1);
      expect(batch.length).toBeLessThanOrEqual(3);
      for (const m of batch) expect(m.meta.subscription_id).toBe(sub.id);
    }
    // Fewer requests than messages: they were batched.
    expect(reqs.length).toBeLessThan(7);
    const uids = reqs.flatMap((r) => bodyOf(r).map((m: any) => m.data._uids[0])).sort();
    expect(uids).toEqual(Array.from({ length: 7 }, (_, i) => `batch-${i}`));
  });

  it("rotates the secret: both signatures are sent while the previous one is valid", async () => {
    const cid = await newAccount();
    await audience(cid, "rot", `FILTER n > 0`);
    const path = hookPath("rotate");
    const sub = (
      await subscribe(cid, { channel: "webhook", segment_ids: ["rot"], webhook_url: `${receiver()}${path}` })
    ).body.data;
    const rotated = await admin(`/api/subscription/${sub.id}/secret?cid=${cid}`, "POST", {});
    expect(rotated.status).toBe(200);
    const fresh = (await rotated.json()).data.secret;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(sub.secret);
    await collect(cid, { _uid: "rot-1", n: 1 });
    const [req] = await eventually(
      () => accepted(path),
      (r) => r.length >= 1,
    );
    expect(req!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(new Webhook(fresh).verify(req!.body, req!.headers)).toBeTruthy();
    expect(new Webhook(sub.secret).verify(req!.body, req!.headers)).toBeTruthy();
    // Rotating with no grace drops the previous secret at once.
    const again = (
      await (
        await admin(`/api/subscription/${sub.id}/secret?cid=${cid}`, "POST", { expire_previous_after_seconds: 0 })
      ).json()
    ).data.secret;
    await collect(cid, { _uid: "rot-2", n: 1 });
    const reqs = await eventually(
      () => accepted(path),
      (r) => r.length >= 2,
    );
    expect(reqs[1]!.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(new Webhook(again).verify(reqs[1]!.body, reqs[1]!.headers)).toBeTruthy();
    expect(() => new Webhook(fresh).verify(reqs[1]!.body, reqs[1]!.headers)).toThrow();
  });
});

describe("Subscription API", { timeout: 30_000 }, () => {
  it("creates, lists (by audience id or slug), reads, updates and deletes", async () => {
    const cid = await newAccount();
    const a = await audience(cid, "aud_a", `FILTER x = 1`);
    const b = await audience(cid, "aud_b", `FILTER x = 2`);
    const url = `${receiver()}${hookPath("crud")}`;
    const one = (await subscribe(cid, { channel: "webhook", name: "one", segment_ids: [a.id], webhook_url: url })).body
      .data;
    const two = (
      await subscribe(cid, { channel: "webhook", name: "two", segment_ids: ["aud_a", "aud_b"], webhook_url: url })
    ).body.data;
    expect(two.segment_ids).toEqual([a.id, b.id]);
    const list = async (q = "") => (await (await admin(`/api/subscription?cid=${cid}${q}`)).json()).data;
    expect((await list()).map((s: any) => s.name)).toEqual(["one", "two"]);
    expect((await list()).every((s: any) => s.secret === undefined)).toBe(true);
    expect((await list(`&segment_id=${b.id}`)).map((s: any) => s.name)).toEqual(["two"]);
    expect((await list("&segment_id=aud_a")).map((s: any) => s.name)).toEqual(["one", "two"]);
    expect(await list("&segment_id=nope")).toEqual([]);

    const got = await admin(`/api/subscription/${one.id}?cid=${cid}`);
    expect(got.status).toBe(200);
    const data = (await got.json()).data;
    expect(data).toMatchObject({
      id: one.id,
      name: "one",
      workflow: "webhook_triggers",
      config: { channel: "webhook", name: "one", segment_ids: [a.id] },
      delivery: { counts: { pending: 0, dead: 0 } },
    });
    expect(data.secret).toBeUndefined();

    const updated = await subscribe(cid, { id: one.id, description: "now both", segment_ids: [a.id, b.id] });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({
      id: one.id,
      name: "one",
      description: "now both",
      segment_ids: [a.id, b.id],
      created: one.created,
    });
    expect(updated.body.data.secret).toBeUndefined();
    expect((await subscribe(cid, { id: "0123456789abcdef0123456789abcdef", channel: "webhook" })).status).toBe(404);

    expect((await admin(`/api/subscription/${one.id}?cid=${cid}`, "DELETE")).status).toBe(204);
    expect((await admin(`/api/subscription/${one.id}?cid=${cid}`)).status).toBe(404);
    expect((await admin(`/api/subscription/${one.id}?cid=${cid}`, "DELETE")).status).toBe(404);
    expect((await list()).map((s: any) => s.name)).toEqual(["two"]);
  });

  it("creates the audience of an inline segmentql and delivers its changes", async () => {
    const cid = await newAccount();
    const path = hookPath("inline");
    const res = await subscribe(cid, {
      channel: "webhook",
      segmentql: `FILTER AND (score > 25) FROM user ALIAS high_score`,
      webhook_url: `${receiver()}${path}`,
    });
    expect(res.status).toBe(200);
    const seg = (await (await admin(`/v2/segment/high_score?cid=${cid}`)).json()).data;
    expect(res.body.data.segment_ids).toEqual([seg.id]);
    expect(res.body.data.segmentql).toContain("ALIAS high_score");
    await collect(cid, { _uid: "inline-1", score: 30 });
    const [req] = await eventually(
      () => accepted(path),
      (r) => r.length >= 1,
    );
    expect(bodyOf(req!).data.segment_events[0]).toMatchObject({ id: seg.id, slug: "high_score", event: "enter" });
    const bad = await subscribe(cid, {
      channel: "webhook",
      segmentql: `FILTER AND (score >> 25) ALIAS x`,
      webhook_url: `${receiver()}${path}`,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toMatch(/^line 1, column \d+/);
    expect(
      (await subscribe(cid, { channel: "webhook", segmentql: `FILTER score > 1`, webhook_url: `${receiver()}${path}` }))
        .status,
    ).toBe(400);
  });

  it("refuses what would deliver nothing or is unsafe: 422 for other channels, unknown audiences, bad URLs and headers", async () => {
    const cid = await newAccount();
    await audience(cid, "some", `FILTER x = 1`);
    const url = `${receiver()}${hookPath("refuse")}`;
    const kinesis = await subscribe(cid, {
      channel: "kinesis",
      segment_ids: ["some"],
      stream: "s",
      region: "us-east-1",
    });
    expect(kinesis.status).toBe(422);
    expect(kinesis.body.message).toBe("channel not supported");
    expect(kinesis.body.errors[0]).toMatchObject({ path: "channel" });
    expect((await subscribe(cid, { channel: "pubsub", segment_ids: ["some"], webhook_url: url })).status).toBe(422);
    expect((await subscribe(cid, { segment_ids: ["some"], webhook_url: url })).body.message).toBe(
      "channel is required",
    );
    const unknown = await subscribe(cid, { channel: "webhook", segment_ids: ["ghost"], webhook_url: url });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].message).toContain("ghost");
    expect((await subscribe(cid, { channel: "webhook", webhook_url: url })).status).toBe(422);
    expect((await subscribe(cid, { channel: "webhook", segment_ids: ["some"] })).body.message).toBe(
      "webhook_url is required",
    );
    expect(
      (await subscribe(cid, { channel: "webhook", segment_ids: ["some"], webhook_url: "ftp://example.com/x" })).status,
    ).toBe(422);
    expect(
      (
        await subscribe(cid, {
          channel: "webhook",
          segment_ids: ["some"],
          webhook_url: "https://user:pw@example.com/x",
        })
      ).status,
    ).toBe(422);
    const reserved = await subscribe(cid, {
      channel: "webhook",
      segment_ids: ["some"],
      webhook_url: url,
      headers: { "Webhook-Signature": "x" },
    });
    expect(reserved.status).toBe(422);
    expect(reserved.body.errors[0].path).toBe("headers.Webhook-Signature");
    expect(
      (await subscribe(cid, { channel: "webhook", segment_ids: ["some"], webhook_url: url, batch_size: 0 })).status,
    ).toBe(422);
    expect(
      (await subscribe(cid, { channel: "webhook", segment_ids: ["some"], webhook_url: url, unknown_option: 1 })).status,
    ).toBe(422);
    expect((await (await admin(`/api/subscription?cid=${cid}`)).json()).data).toEqual([]);
  });

  it("checks roles: any token reads (readers without header values), admin and data_manager write", async () => {
    const cid = await newAccount();
    await audience(cid, "roles", `FILTER x = 1`);
    const token = async (role: string) =>
      (await (await admin(`/api/token?cid=${cid}`, "POST", { name: role, role })).json()).data.token;
    const reader = await token("reader");
    const dm = await token("data_manager");
    const body = JSON.stringify({
      channel: "webhook",
      segment_ids: ["roles"],
      webhook_url: `${receiver()}${hookPath("roles")}`,
      headers: { authorization: "Bearer receiver-secret" },
    });
    const post = (tok: string | null) =>
      call("/api/subscription", {
        method: "POST",
        headers: { ...(tok ? { authorization: tok } : {}), "content-type": "application/json" },
        body,
      });
    expect((await post(null)).status).toBe(401);
    expect((await post(reader)).status).toBe(403);
    const made = await post(dm);
    expect(made.status).toBe(200);
    const id = (await made.json()).data.id;
    const asReader = await call(`/api/subscription/${id}`, { headers: { authorization: reader } });
    expect(asReader.status).toBe(200);
    expect((await asReader.json()).data.config.headers).toEqual({ authorization: "[redacted]" });
    expect(
      (await (await call(`/api/subscription`, { headers: { authorization: dm } })).json()).data[0].config.headers,
    ).toEqual({ authorization: "Bearer receiver-secret" });
    expect((await call(`/api/subscription/${id}/deliveries`, { headers: { authorization: reader } })).status).toBe(200);
    expect(
      (await call(`/api/subscription/${id}/replay`, { method: "POST", headers: { authorization: reader } })).status,
    ).toBe(403);
    expect(
      (await call(`/api/subscription/${id}/secret`, { method: "POST", headers: { authorization: reader } })).status,
    ).toBe(403);
    expect(
      (await call(`/api/subscription/${id}`, { method: "DELETE", headers: { authorization: reader } })).status,
    ).toBe(403);
    expect((await call(`/api/subscription/${id}`, { method: "DELETE", headers: { authorization: dm } })).status).toBe(
      204,
    );
  });

  it("documents every subscription route in /openapi.json", async () => {
    const doc = await (await call("/openapi.json")).json();
    expect(Object.keys(doc.paths["/api/subscription"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/subscription/{id}"]).sort()).toEqual(["delete", "get"]);
    for (const p of [
      "/api/subscription/{id}/deliveries",
      "/api/subscription/{id}/replay",
      "/api/subscription/{id}/secret",
    ])
      expect(doc.paths[p]).toBeDefined();
  });
});
