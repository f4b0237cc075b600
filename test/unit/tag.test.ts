import { describe, expect, it } from "vitest";
import { topicMatches, createEmitter } from "../../tag/emitter";
import { chunk, CHUNK_BYTES } from "../../tag/transport";
import type { OutboxEntry } from "../../tag/outbox";
import { backoff } from "../../tag/outbox";

describe("tag emitter", () => {
  it("matches exact topics and wildcards", () => {
    expect(topicMatches("*", "entity.loaded")).toBe(true);
    expect(topicMatches("entity.*", "entity.loaded")).toBe(true);
    expect(topicMatches("entity.*", "send.finished")).toBe(false);
    expect(topicMatches("entity.loaded", "entity.loaded")).toBe(true);
  });

  it("on returns an unsubscribe function; once fires once", () => {
    const e = createEmitter();
    const seen: string[] = [];
    const off = e.on("a.*", (x) => seen.push(`on:${x}`));
    e.once("*", (x) => seen.push(`once:${x}`));
    e.emit("a.b", 1);
    off();
    e.emit("a.b", 2);
    expect(seen).toEqual(["on:1", "once:1"]);
  });
});

describe("tag transport", () => {
  const entry = (i: number, s = "default", size = 10): OutboxEntry => ({
    i: `e${i}`,
    s,
    e: { pad: "x".repeat(size) },
    n: 0,
    a: 0,
  });

  it("splits batches by stream and under the keepalive quota", () => {
    const entries = [
      entry(1),
      entry(2, "other"),
      ...Array.from({ length: 10 }, (_, i) => entry(i + 3, "default", 20_000)),
    ];
    const chunks = chunk(entries);
    expect(chunks.map(([s]) => s)).toEqual(["default", "default", "default", "default", "default", "other"]);
    for (const [, , body] of chunks) expect(body.length).toBeLessThanOrEqual(CHUNK_BYTES);
    expect(chunks.flatMap(([, b]) => b.map((e) => e.i)).sort()).toEqual(entries.map((e) => e.i).sort());
  });

  it("backs off exponentially with jitter, capped at five minutes", () => {
    for (let a = 0; a < 20; a++) {
      const d = backoff(a);
      const base = Math.min(300_000, 1000 * 2 ** a);
      expect(d).toBeGreaterThanOrEqual(base / 2);
      expect(d).toBeLessThanOrEqual(base);
    }
  });
});
