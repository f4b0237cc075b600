import { describe, expect, it } from "vitest";
import { admin, call, collect, newAccount } from "../helpers";
import { audience, deliveries, eventually, hookPath, received, receiver, script, subscribe } from "./helpers";

/** Creates a webhook subscription with the given custom headers (as raw JSON text, so `__proto__` is sent as a key). */
function withHeaders(cid: string, headersJson: string) {
  return call(`/api/subscription?cid=${cid}`, {
    method: "POST",
    headers: { authorization: "test-admin-token", "content-type": "application/json" },
    body: `{"channel":"webhook","webhook_url":"https://hooks.example.com/in","segmentql":"FILTER EXISTS plan FROM user ALIAS has_plan","headers":${headersJson}}`,
  });
}

describe("Trust #8: subscription headers that cannot be sent are refused at creation", () => {
  it("refuses control characters and DEL in header values with 422 naming the header", async () => {
    const cid = await newAccount();
    for (const value of ["a\\u0001b", "a\\u007fb", "a\\u001bb"]) {
      const res = await withHeaders(cid, `{"x-token":"${value}"}`);
      expect(`${value} ${res.status}`).toBe(`${value} 422`);
      const body = (await res.json()) as { errors: { path?: string }[] };
      expect(body.errors.map((e) => e.path)).toContain("headers.x-token");
    }
  });

  it("refuses __proto__ as a header name with 422 instead of dropping it", async () => {
    const cid = await newAccount();
    const res = await withHeaders(cid, `{"__proto__":"x","x-ok":"1"}`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: { path?: string }[] }).errors.map((e) => e.path)).toContain(
      "headers.__proto__",
    );
  });

  it("still accepts ordinary headers with tabs and visible characters", async () => {
    const cid = await newAccount();
    const res = await withHeaders(cid, `{"x-api-key":"k-123\\tv=1;a=\\"b\\""}`);
    expect(res.status).toBe(200);
    expect((await admin(`/api/subscription?cid=${cid}`)).status).toBe(200);
  });
});

describe("Trust #13: a delivery error never stores the target's response body", { timeout: 40_000 }, () => {
  it("records the status and the body's length, not its text (the tests run in development mode)", async () => {
    const cid = await newAccount();
    await audience(cid, "members", "FILTER member = true");
    const path = hookPath("no-body");
    // The receiver answers a failure with the body "nope".
    await script(path, [500]);
    const sub = (
      await subscribe(cid, { channel: "webhook", segment_ids: ["members"], webhook_url: `${receiver()}${path}` })
    ).body.data;
    await collect(cid, { _uid: "b-1", member: true });
    await eventually(
      () => received(path),
      (r) => r.some((x) => x.status === 200),
    );
    const log = await eventually(
      () => deliveries(cid, sub.id),
      (d) => d.counts.delivered === 1,
    );
    const first = log.deliveries[0].log[0];
    expect(first.status).toBe(500);
    expect(first.error).toBe("HTTP 500 (response body of 4 bytes, not stored)");
    expect(JSON.stringify(log)).not.toContain("nope");
  });
});
