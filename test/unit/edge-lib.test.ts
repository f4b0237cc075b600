import { describe, expect, it } from "vitest";
import { hostAllowed } from "../../edge/lib/cors";
import { combine, type Observation } from "../../edge/lib/merge-strategy";
import { identifiersOf, normalizeIdentifier } from "../../edge/lib/identifiers";
import { defaultSettings } from "../../edge/lib/account-schema";
import { fnv1a, shardOf, IDENTITY_SHARDS } from "../../edge/lib/identity-directory";
import { jsLiteral } from "../../edge/routes/assets";

const account = { ...defaultSettings("t"), cid: "t", created: "", updated: "" };

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

describe("merge strategies", () => {
  const obs: Observation[] = [
    { value: "red", first: 1, last: 5, count: 3 },
    { value: "blue", first: 2, last: 9, count: 1 },
    { value: ["green", "red"], first: 3, last: 4, count: 1 },
  ];
  it("first, latest, frequent, unique", () => {
    expect(combine(obs, "first")).toBe("red");
    expect(combine(obs, "latest")).toBe("blue");
    expect(combine(obs, "frequent")).toBe("red");
    expect(combine(obs, "unique")).toEqual(["red", "blue", "green"]);
    expect(combine([], "latest")).toBeNull();
  });
});

describe("identifiers", () => {
  it("normalizes emails and refuses placeholders and junk", () => {
    expect(normalizeIdentifier("email", " Ada@X.IO ", account)).toBe("ada@x.io");
    expect(normalizeIdentifier("user_id", 42, account)).toBe("42");
    for (const bad of ["anonymous", "NULL", "-1", "0000", "", "x".repeat(257), {}, true])
      expect(normalizeIdentifier("user_id", bad, account)).toBeNull();
  });

  it("browser events: only the cookie id is strong (_uido is a claim to check); server events: every identifier", () => {
    const event = { _uid: "u", _uido: "old", email: "e@x.io", user_id: "7" };
    expect(identifiersOf(event, account, false)).toEqual({
      strong: [{ field: "_uid", value: "u" }],
      previous: { field: "_uid", value: "old" },
      weak: [
        { field: "email", value: "e@x.io" },
        { field: "user_id", value: "7" },
      ],
    });
    expect(identifiersOf(event, account, true).weak).toEqual([]);
  });
});

describe("identity shards", () => {
  it("spread identifiers evenly and stably", () => {
    expect(fnv1a("abc")).toBe(fnv1a("abc"));
    const counts = new Array(IDENTITY_SHARDS).fill(0);
    for (let i = 0; i < 64_000; i++) counts[shardOf({ field: "_uid", value: `uid-${i}` })]++;
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
  });
});

describe("jsLiteral", () => {
  it("cannot close a script element or break a line", () => {
    const out = jsLiteral({ a: "</script><script>alert(1)</script>", b: "\u2028" });
    expect(out).not.toContain("</script>");
    expect(out).not.toContain("\u2028");
    expect(JSON.parse(out)).toEqual({ a: "</script><script>alert(1)</script>", b: "\u2028" });
  });
});

import { takeToken } from "../../edge/lib/rate-limit";
import { ApiError } from "../../edge/lib/errors";

describe("rate limit", () => {
  it("allows a burst of one second's worth, then 429 with Retry-After, then refills", () => {
    const t = 1_000_000;
    for (let i = 0; i < 5; i++) takeToken("k", 5, t);
    let err: unknown;
    try {
      takeToken("k", 5, t);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(429);
    expect((err as ApiError).headers["Retry-After"]).toBe("1");
    expect(() => takeToken("k", 5, t + 400)).not.toThrow();
  });
});
