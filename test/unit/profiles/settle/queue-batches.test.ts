import { describe, expect, it } from "vitest";
import { bodyBytes, QUEUE_BATCH_LIMITS, queueBatches } from "../../../../edge/profiles/settle/queue-batches";

const row = (seq: number, bytes: number) => ({ seq, body: "x".repeat(bytes) });
const total = (batch: { body: string }[]) => batch.reduce((n, r) => n + bodyBytes(r.body), 0);

describe("queueBatches: an outbox page split into batches the queue accepts", () => {
  it("keeps a small page in one batch", () => {
    const rows = [row(1, 500), row(2, 500), row(3, 500)];
    expect(queueBatches(rows)).toEqual([rows]);
  });

  it("splits 100 messages of 5 KB (500 KB) into batches under 256 KB, in order, none lost", () => {
    const rows = Array.from({ length: 100 }, (_, i) => row(i + 1, 5_000));
    const batches = queueBatches(rows);
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect(total(b)).toBeLessThanOrEqual(QUEUE_BATCH_LIMITS.bytes);
    expect(batches.flat().map((r) => r.seq)).toEqual(rows.map((r) => r.seq));
  });

  it("never puts more than 100 messages in a batch", () => {
    const rows = Array.from({ length: 250 }, (_, i) => row(i + 1, 10));
    expect(queueBatches(rows).map((b) => b.length)).toEqual([100, 100, 50]);
  });

  it("gives a message over the per-message limit a batch of its own, so the others still go", () => {
    const rows = [row(1, 100), row(2, 200_000), row(3, 100)];
    expect(queueBatches(rows).map((b) => b.map((r) => r.seq))).toEqual([[1], [2], [3]]);
  });

  it("counts UTF-8 bytes, not characters", () => {
    expect(bodyBytes('"é"')).toBe(4);
    expect(bodyBytes('"€"')).toBe(5);
    expect(bodyBytes('"ab"')).toBe(4);
    // 60,000 three-byte characters are 180 KB: two of them cannot share a batch.
    const wide = (seq: number) => ({ seq, body: "€".repeat(60_000) });
    expect(queueBatches([wide(1), wide(2)]).length).toBe(2);
  });
});
