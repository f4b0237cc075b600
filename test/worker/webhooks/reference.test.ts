// The Subscription API with reference 000's own example bodies, and the
// webhook job options of the web reference (003): trigger events, HTTP method,
// up to 75 trigger fields.
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { admin, call, collect, newAccount } from "../helpers";
import { accepted, audience, eventually, hookPath, receiver, sleep, subscribe } from "./helpers";

describe("Subscription API as reference 000 documents it", { timeout: 30_000 }, () => {
  it("the upsert example: 200 with the documented fields in data", async () => {
    const cid = await newAccount();
    // The example's ids are placeholders: these audiences' ids take their place.
    const a = await audience(cid, "demo_segment", `FILTER paying_user = "t"`);
    const b = await audience(cid, "another_segment", `FILTER paying_user = "f"`);
    const res = await subscribe(cid, {
      segment_ids: [a.id, b.id],
      name: "test2",
      channel: "webhook",
      withbackfill: false,
      description: "hello world",
      webhook_url: "https://somewebhook.com/test",
    });
    expect(res.status).toBe(200);
    const data = res.body.data;
    for (const key of [
      "id",
      "segment_ids",
      "description",
      "name",
      "updated",
      "created",
      "user_id",
      "account_id",
      "workflow",
      "config",
    ])
      expect(data).toHaveProperty(key);
    expect(data).toMatchObject({ name: "test2", description: "hello world", workflow: "webhook_triggers" });
    expect(data.segment_ids).toHaveLength(2);
    expect(data.config).toMatchObject({
      channel: "webhook",
      description: "hello world",
      name: "test2",
      segment_ids: data.segment_ids,
      webhook_url: "https://somewebhook.com/test",
      headers: {},
    });
  });

  it("the walkthrough: v1 SegmentQL upsert, find its id by name in GET /api/segment, subscribe to it", async () => {
    const cid = await newAccount();
    const res = await call(`/api/segment?cid=${cid}`, {
      method: "POST",
      headers: { authorization: "test-admin-token", "content-type": "text/plain" },
      body: `

-- Paying Users Segment
FILTER AND (
    paying_user = "t"
)
FROM user
ALIAS demo_segment

`,
    });
    expect(res.status).toBe(201);
    // Not API-enabled: browsers do not see it until is_public is set (README, Migrating from Lytics).
    expect((await res.json()).data.is_public).toBe(false);
    const list = (await (await admin(`/api/segment?cid=${cid}`)).json()).data as any[];
    const segid = list.find((s) => s.name === "demo_segment")?.id;
    expect(segid).toMatch(/^[0-9a-f]{32}$/);
    const sub = await subscribe(cid, {
      webhook_url: "https://somewebhook.com/test",
      segment_ids: [segid],
      withbackfill: false,
      channel: "webhook",
      name: "webhooktest1",
      description: "What is this subscription for?",
    });
    expect(sub.status).toBe(200);
    expect(sub.body.data.segment_ids).toEqual([segid]);
  });

  it("the inline SegmentQL example with custom headers: 200, segmentql kept", async () => {
    const cid = await newAccount();
    const res = await subscribe(cid, {
      segmentql: "FILTER AND ( score_momentum > 25, score_quantity > 25 ) ALIAS seg_webhook1",
      name: "test1",
      channel: "webhook",
      description: "hello world",
      webhook_url: "https://somewebhook.com/test",
      headers: { Authorization: "{API Token}" },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.segmentql).toContain("score_momentum > 25");
    expect(res.body.data.config.headers).toEqual({ Authorization: "{API Token}" });
  });

  it("segmentio_writekey: a clear 422 (no delivery to Segment.io), nothing stored", async () => {
    const cid = await newAccount();
    await audience(cid, "demo_segment", `FILTER paying_user = "t"`);
    const res = await subscribe(cid, {
      segment_ids: ["demo_segment"],
      channel: "webhook",
      name: "to segment",
      webhook_url: "https://somewebhook.com/test",
      segmentio_writekey: "wk_abc",
    });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe("delivery to Segment.io is not supported");
    expect(res.body.errors[0].path).toBe("segmentio_writekey");
    expect((await (await admin(`/api/subscription?cid=${cid}`)).json()).data).toEqual([]);
    // An empty key asks for nothing and is accepted.
    expect(
      (
        await subscribe(cid, {
          segment_ids: ["demo_segment"],
          channel: "webhook",
          webhook_url: "https://somewebhook.com/test",
          segmentio_writekey: "",
        })
      ).status,
    ).toBe(200);
  });

  it("trigger fields: up to 75 as the web reference allows, 76 answers 422", async () => {
    const cid = await newAccount();
    await audience(cid, "demo_segment", `FILTER paying_user = "t"`);
    const fields = (n: number) => Array.from({ length: n }, (_, i) => `field_${i}`);
    const ok75 = await subscribe(cid, {
      segment_ids: ["demo_segment"],
      channel: "webhook",
      webhook_url: "https://somewebhook.com/test",
      trigger_fields: fields(75),
    });
    expect(ok75.status).toBe(200);
    expect(ok75.body.data.config.trigger_fields).toHaveLength(75);
    const over = await subscribe(cid, {
      segment_ids: ["demo_segment"],
      channel: "webhook",
      webhook_url: "https://somewebhook.com/test",
      trigger_fields: fields(76),
    });
    expect(over.status).toBe(422);
  });

  it("only exits, sent with PUT: the enter is not sent, the exit is, by the chosen method", async () => {
    const cid = await newAccount();
    const seg = await audience(cid, "demo_segment", `FILTER paying_user = "t"`);
    const path = hookPath("exits");
    const res = await subscribe(cid, {
      segment_ids: [seg.id],
      channel: "webhook",
      webhook_url: `${receiver()}${path}`,
      trigger_events: ["exit"],
      method: "PUT",
    });
    expect(res.status).toBe(200);
    expect(res.body.data.config).toMatchObject({ trigger_events: ["exit"], method: "PUT" });
    // The reference's toggling example.
    await admin(`/collect/json/demo?cid=${cid}`, "POST", { paying_user: "t", user_id: "user123" });
    await sleep(1500);
    expect(await accepted(path)).toEqual([]);
    await admin(`/collect/json/demo?cid=${cid}`, "POST", { paying_user: "f", user_id: "user123" });
    const got = await eventually(
      () => accepted(path),
      (r) => r.length >= 1,
    );
    expect(got).toHaveLength(1);
    expect(got[0]!.method).toBe("PUT");
    const msg = new Webhook(res.body.data.secret).verify(got[0]!.body, got[0]!.headers) as any;
    expect(msg.data.segment_events.map((e: any) => e.event)).toEqual(["exit"]);
    // Backfill sends enters, which an exits-only subscription does not send.
    const refused = await subscribe(cid, {
      segment_ids: [seg.id],
      channel: "webhook",
      webhook_url: `${receiver()}${path}`,
      trigger_events: ["exit"],
      withbackfill: true,
    });
    expect(refused.status).toBe(422);
  });

  it("only enters: an enter's exit is the far-future time the reference's message shows", async () => {
    const cid = await newAccount();
    const seg = await audience(cid, "another_segment", `FILTER paying_user = "t"`);
    const path = hookPath("enters");
    const res = await subscribe(cid, {
      segment_ids: [seg.id],
      channel: "webhook",
      webhook_url: `${receiver()}${path}`,
      trigger_events: ["enter"],
    });
    await collect(cid, { _uid: "en-1", paying_user: "t" });
    const got = await eventually(
      () => accepted(path),
      (r) => r.length >= 1,
    );
    await collect(cid, { _uid: "en-1", paying_user: "f" });
    await sleep(1500);
    expect(await accepted(path)).toHaveLength(1);
    expect(got[0]!.method).toBe("POST");
    const msg = new Webhook(res.body.data.secret).verify(got[0]!.body, got[0]!.headers) as any;
    const [event] = msg.data.segment_events;
    expect(event).toMatchObject({ event: "enter", slug: "another_segment" });
    expect(Date.parse(event.exit)).toBeGreaterThan(Date.parse("2099-01-01T00:00:00Z"));
    expect(Date.parse(event.enter)).toBeLessThanOrEqual(Date.now());
  });
});
