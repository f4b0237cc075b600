import { describe, expect, it } from "vitest";
import { fnv1a } from "../../../edge/platform/sharding";
import { shardOf, IDENTITY_SHARDS } from "../../../edge/identity/directory";

describe("identity shards", () => {
  it("spread identifiers evenly and stably", () => {
    expect(fnv1a("abc")).toBe(fnv1a("abc"));
    const counts = new Array(IDENTITY_SHARDS).fill(0);
    for (let i = 0; i < 64_000; i++) counts[shardOf({ field: "_uid", value: `uid-${i}` })]++;
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
  });
});
