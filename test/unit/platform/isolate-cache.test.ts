import { describe, expect, it } from "vitest";
import { IsolateCache } from "../../../edge/platform/isolate-cache";

describe("IsolateCache", () => {
  it("serves an entry until its time is up, then only through peek", () => {
    const cache = new IsolateCache<string | null>(1_000);
    cache.set("a", null, undefined, 0);
    expect(cache.get("a", 999)).toBeNull();
    expect(cache.has("a", 999)).toBe(true);
    expect(cache.get("a", 1_000)).toBeUndefined();
    expect(cache.peek("a")).toBeNull();
    expect(cache.get("missing", 0)).toBeUndefined();
  });

  it("evicts the least recently used entry, not everything, when full", () => {
    const cache = new IsolateCache<number>(60_000, 3);
    cache.set("a", 1, undefined, 0);
    cache.set("b", 2, undefined, 0);
    cache.set("c", 3, undefined, 0);
    expect(cache.get("a", 1)).toBe(1); // a is now the most recent
    cache.set("d", 4, undefined, 1);
    expect(cache.size).toBe(3);
    expect(cache.get("b", 2)).toBeUndefined();
    expect([cache.get("a", 2), cache.get("c", 2), cache.get("d", 2)]).toEqual([1, 3, 4]);
  });

  it("forgets one key or all", () => {
    const cache = new IsolateCache<number>(60_000);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.delete("a");
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("b")).toBe(2);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
