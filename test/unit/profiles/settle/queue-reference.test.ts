import { describe, expect, it } from "vitest";
import type { MembershipMessage } from "../../../../edge/profiles/contract";
import { bodyBytes, QUEUE_BATCH_LIMITS } from "../../../../edge/profiles/settle/queue-batches";
import { isReference, queueBody } from "../../../../edge/profiles/settle/queue-reference";

const at = "2026-11-30T08:00:00.000Z";
function message(fields: Record<string, string>, audiences = 1): MembershipMessage {
  const slugs = Array.from({ length: audiences }, (_, i) => `audience_${i}`);
  return {
    type: "membership",
    cid: "acct",
    profile: "p-1",
    seq: 7,
    outbox: { profile: "p-1", seq: 7 },
    at,
    changes: slugs.map((slug) => ({ slug, event: "enter" as const, enter: at, exit: null })),
    fields,
    segments: slugs,
  };
}

describe("queueBody: what the queue gets for an outbox message", () => {
  it("sends a message within the per-message limit as it is", () => {
    const body = JSON.stringify(message({ plan: "pro" }));
    expect(queueBody(body)).toBe(body);
  });

  it("sends a reference naming the stored message when the message is over the limit, whatever makes it large", () => {
    for (const m of [message({ bio: "b".repeat(130_000) }), message({}, 5_000), message({ bio: "€".repeat(43_000) })]) {
      const body = JSON.stringify(m);
      expect(bodyBytes(body)).toBeGreaterThan(QUEUE_BATCH_LIMITS.messageBytes);
      const sent = JSON.parse(queueBody(body));
      expect(isReference(sent)).toBe(true);
      expect(sent).toEqual({
        type: "membership",
        cid: "acct",
        profile: "p-1",
        seq: 7,
        outbox: { profile: "p-1", seq: 7 },
        at,
        stored: true,
      });
    }
  });

  it("counts UTF-8 bytes: 43,000 three-byte characters (129 KB) go as a reference, 43,000 ASCII ones as they are", () => {
    expect(isReference(JSON.parse(queueBody(JSON.stringify(message({ bio: "€".repeat(43_000) })))))).toBe(true);
    expect(isReference(JSON.parse(queueBody(JSON.stringify(message({ bio: "e".repeat(43_000) })))))).toBe(false);
  });

  it("tells a whole message from a reference", () => {
    expect(isReference(message({}))).toBe(false);
    expect(isReference({ type: "forget", cid: "acct", profiles: ["p-1"], reason: "erased" })).toBe(false);
  });
});
