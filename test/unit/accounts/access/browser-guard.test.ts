import { describe, expect, it } from "vitest";
import { hostAllowed } from "../../../../edge/accounts/access/browser-guard";

describe("domain allowlist", () => {
  it("covers the host and its sub-domains, not look-alikes", () => {
    expect(hostAllowed("example.com", ["example.com"])).toBe(true);
    expect(hostAllowed("WWW.Example.com", ["example.com"])).toBe(true);
    expect(hostAllowed("a.b.example.com", ["*.example.com"])).toBe(true);
    expect(hostAllowed("evilexample.com", ["example.com"])).toBe(false);
    expect(hostAllowed("example.com.evil.io", ["example.com"])).toBe(false);
    expect(hostAllowed("localhost", [])).toBe(false);
  });
});
