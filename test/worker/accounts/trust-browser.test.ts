import { describe, expect, it } from "vitest";
import { admin, collect, newAccount } from "../helpers";

const from = async (cid: string, origin: string) => (await collect(cid, { _uid: "o", a: 1 }, { origin })).status;

describe("Trust #12: browser endpoints compare scheme, host and port against the allowlist", () => {
  it("a bare host entry admits its https origins only", async () => {
    const cid = await newAccount({ domains: ["example.com"] });
    expect(await from(cid, "https://example.com")).toBe(200);
    expect(await from(cid, "https://shop.example.com")).toBe(200);
    expect(await from(cid, "http://example.com")).toBe(403);
    expect(await from(cid, "https://example.com:8443")).toBe(403);
    expect(await from(cid, "http://localhost:9999")).toBe(403);
  });

  it("refuses Origin: null (sandboxed frames, file: pages)", async () => {
    const cid = await newAccount({ domains: ["example.com"] });
    expect(await from(cid, "null")).toBe(403);
  });

  it("an entry with a scheme and port admits exactly that origin", async () => {
    const cid = await newAccount({ domains: ["http://staging.example.com:8080"] });
    expect(await from(cid, "http://staging.example.com:8080")).toBe(200);
    expect(await from(cid, "https://staging.example.com")).toBe(403);
    expect(await from(cid, "http://staging.example.com")).toBe(403);
  });

  it("loopback entries admit any local port and scheme (development)", async () => {
    const cid = await newAccount({ domains: ["localhost"] });
    expect(await from(cid, "http://localhost:9999")).toBe(200);
  });

  it("a domains entry that is a bare public suffix is refused (422)", async () => {
    for (const suffix of ["com", "co.uk", "*.com"]) {
      const res = await admin("/api/account", "POST", { cid: `sfx${Date.now().toString(36)}`, domains: [suffix] });
      expect(`${suffix} ${res.status}`).toBe(`${suffix} 422`);
    }
  });
});
