// The pure rules of webhook delivery: which targets are allowed, and the
// retry schedule. (Production-mode target checks are tested here: the
// worker tests run in development mode.)
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { checkWebhookUrl } from "../../../edge/webhooks/delivery/url-policy";
import {
  MAX_ATTEMPTS,
  parseRetryAfter,
  RETRY_SCHEDULE_MS,
  retryDelay,
  retryScale,
  verdictOf,
} from "../../../edge/webhooks/delivery/retry-policy";
import { newSecret, signatureHeaders } from "../../../edge/webhooks/delivery/signing";
import { renderBody, type DeliveryItem } from "../../../edge/webhooks/delivery/message";

const production = (url: string) => checkWebhookUrl(url, { development: false });

describe("webhook target policy", () => {
  it("in production accepts only https to public hosts", () => {
    for (const ok of [
      "https://hooks.example.com/pathlight",
      "https://example.com:8443/x?y=1",
      "https://8.8.8.8/hook",
      "https://[2606:4700::1111]/hook",
    ]) {
      expect(production(ok), ok).toMatchObject({ ok: true });
    }
    const refused = [
      "http://hooks.example.com/x", // not https
      "https://localhost/x",
      "https://api.localhost/x",
      "https://printer.local/x",
      "https://metadata.google.internal/x",
      "https://intranet/x",
      "https://127.0.0.1/x",
      "https://127.1/x",
      "https://2130706433/x", // 127.0.0.1 as one number
      "https://0x7f000001/x",
      "https://0.0.0.0/x",
      "https://10.1.2.3/x",
      "https://172.16.0.1/x",
      "https://172.31.255.255/x",
      "https://192.168.1.1/x",
      "https://169.254.169.254/latest/meta-data",
      "https://100.64.0.1/x",
      "https://[::1]/x",
      "https://[::]/x",
      "https://[fd00::1]/x",
      "https://[fe80::1]/x",
      "https://[::ffff:127.0.0.1]/x",
      "https://[::ffff:10.0.0.1]/x",
      "https://user:secret@example.com/x",
      "ftp://example.com/x",
      "not a url",
    ];
    for (const bad of refused) expect(production(bad), bad).toMatchObject({ ok: false });
    expect(production("https://172.32.0.1/x")).toMatchObject({ ok: true });
  });

  it("in development mode allows http and local receivers", () => {
    expect(checkWebhookUrl("http://127.0.0.1:9000/hook", { development: true })).toMatchObject({ ok: true });
    expect(checkWebhookUrl("http://localhost/hook", { development: true })).toMatchObject({ ok: true });
    expect(checkWebhookUrl("file:///etc/passwd", { development: true })).toMatchObject({ ok: false });
  });
});

describe("retry policy", () => {
  it("follows the Standard Webhooks schedule: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h", () => {
    expect(MAX_ATTEMPTS).toBe(10);
    const h = 3_600_000;
    expect(RETRY_SCHEDULE_MS).toEqual([0, 5_000, 300_000, 1_800_000, 2 * h, 5 * h, 10 * h, 14 * h, 20 * h, 24 * h]);
    const mid = () => 0.5; // no jitter
    expect(Array.from({ length: 9 }, (_, i) => retryDelay(i + 1, { random: mid }))).toEqual(RETRY_SCHEDULE_MS.slice(1));
    expect(retryDelay(10)).toBeNull();
  });

  it("jitters by ±20%, scales, and treats Retry-After as a lower bound", () => {
    expect(retryDelay(1, { random: () => 0 })).toBe(4_000);
    expect(retryDelay(1, { random: () => 0.999999 })).toBe(6_000);
    expect(retryDelay(2, { scale: 0.001, random: () => 0.5 })).toBe(300);
    expect(retryDelay(1, { retryAfterMs: 60_000, random: () => 0.5 })).toBe(60_000);
    expect(retryDelay(3, { retryAfterMs: 1_000, random: () => 0.5 })).toBe(1_800_000);
    expect(parseRetryAfter("120", 0)).toBe(120_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 0)).toBe(10_000);
    expect(parseRetryAfter("999999999", 0)).toBe(86_400_000);
    expect(parseRetryAfter("soon", 0)).toBeNull();
    expect(parseRetryAfter(null, 0)).toBeNull();
  });

  it("retries network errors, timeouts, 429 and 5xx; not other 4xx; 410 disables", () => {
    expect(verdictOf(200)).toBe("delivered");
    expect(verdictOf(204)).toBe("delivered");
    expect(verdictOf(null)).toBe("retry");
    expect(verdictOf(429)).toBe("retry");
    expect(verdictOf(500)).toBe("retry");
    expect(verdictOf(503)).toBe("retry");
    expect(verdictOf(400)).toBe("fail");
    expect(verdictOf(401)).toBe("fail");
    expect(verdictOf(404)).toBe("fail");
    expect(verdictOf(301)).toBe("fail");
    expect(verdictOf(410)).toBe("gone");
  });

  it("lets only development mode shrink the schedule", () => {
    expect(retryScale({ PATHLIGHT_ENV: "development", WEBHOOK_RETRY_SCALE: "0.01" })).toBe(0.01);
    expect(retryScale({ PATHLIGHT_ENV: "production", WEBHOOK_RETRY_SCALE: "0.01" })).toBe(1);
    expect(retryScale({ PATHLIGHT_ENV: "development", WEBHOOK_RETRY_SCALE: "nonsense" })).toBe(1);
  });
});

describe("signing and rendering", () => {
  it("signs so the standardwebhooks verifier accepts it, with one signature per secret", async () => {
    const a = newSecret();
    const b = newSecret();
    const item: DeliveryItem = {
      event_id: "evt_1",
      profile_id: "p1",
      seq: 3,
      at: "2026-01-01T00:00:00.000Z",
      backfill: false,
      fields: { email: "x@y.z" },
      segment_events: [{ id: "s1", event: "enter", enter: "2026-01-01T00:00:00.000Z", exit: null, slug: "s" }],
    };
    const { body, contentType } = renderBody([item], {
      subscriptionId: "sub1",
      format: "lytics",
      cloudeventsType: "t",
      cloudeventsSource: "/s",
      batch: false,
    });
    expect(contentType).toBe("application/json");
    expect(JSON.parse(body)).toEqual({
      // An enter shows the far-future exit of Lytics' messages.
      data: { email: "x@y.z", segment_events: [{ ...item.segment_events[0], exit: "2099-12-31T23:59:59Z" }] },
      meta: {
        object: "user",
        source: "subscription",
        subscription_id: "sub1",
        event_id: "evt_1",
        profile_id: "p1",
        seq: 3,
      },
    });
    const headers = await signatureHeaders([a, b], "msg_1", Math.floor(Date.now() / 1000), body);
    expect(headers["webhook-signature"]).toMatch(/^v1,\S+ v1,\S+$/);
    expect(new Webhook(a).verify(body, headers)).toBeTruthy();
    expect(new Webhook(b).verify(body, headers)).toBeTruthy();
    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow();
    const batch = renderBody([item, item], {
      subscriptionId: "sub1",
      format: "cloudevents",
      cloudeventsType: "t",
      cloudeventsSource: "/s",
      batch: true,
    });
    expect(batch.contentType).toBe("application/cloudevents-batch+json");
    expect(JSON.parse(batch.body)).toHaveLength(2);
  });
});
