import { describe, expect, it } from "vitest";
import { call } from "../helpers";

describe("Trust #14: every HTML page sends a strict CSP with frame-ancestors and a Referrer-Policy, never ACAO *", () => {
  it.each(["/demo/", "/admin", "/docs"])("%s", async (path) => {
    const res = await call(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const csp = res.headers.get("content-security-policy") ?? "";
    // The console and the docs load nothing they do not name; the demo's script policy is in its pages'
    // <meta> (its inline snippet allowed by hash: test/browser/demo-csp.test.ts), framing is refused here.
    if (path !== "/demo/") expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(res.headers.get("referrer-policy")).toMatch(/^(no-referrer|strict-origin-when-cross-origin|same-origin)$/);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    await res.arrayBuffer();
  });
});
