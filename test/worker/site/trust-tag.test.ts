import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newAccount } from "../helpers";

describe("Trust #11: the served tag's collect URL is never a forged Host shared with everyone", () => {
  it("a tag built from the request's Host is never publicly cacheable, and varies on Host", async () => {
    const cid = await newAccount();
    const res = await SELF.fetch(`http://evil.example/api/tag/${cid}/latest.min.js`);
    expect(res.status).toBe(200);
    const body = await res.text();
    const cache = res.headers.get("cache-control") ?? "";
    if (body.includes("evil.example")) {
      expect(cache).not.toMatch(/public/);
      expect(cache).toMatch(/private|no-store/);
      expect(res.headers.get("vary") ?? "").toMatch(/host/i);
    }
  });
});
