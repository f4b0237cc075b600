// The audience-changes queue's consumer (edge/queue.ts): a batch is indexed,
// handed to the webhook sink and acknowledged; then each sending profile is
// told its messages were handled. Those confirmations are best effort (an
// unconfirmed message is resent and dropped as a redelivery), so the batch
// must not wait for them: a slow profile must not hold the next batch back.
import { env as testEnv } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../edge/platform/env";
import type { MembershipMessage } from "../../edge/profiles/contract";
import { consumeAudienceChanges } from "../../edge/queue";
import { admin, newAccount } from "./helpers";

const env = testEnv as unknown as Env;

describe("the audience-changes queue's consumer", () => {
  it("acknowledges and returns without waiting for the profiles' confirmations, which go on after it", async () => {
    const cid = await newAccount();
    expect(
      (await admin(`/v2/segment?cid=${cid}`, "POST", { slug_name: "members", segment_ql: "FILTER member = true" }))
        .status,
    ).toBe(201);
    const now = new Date().toISOString();
    const message: MembershipMessage = {
      type: "membership",
      cid,
      profile: "q-profile",
      seq: 1,
      outbox: { profile: "q-profile", seq: 1 },
      at: now,
      changes: [{ slug: "members", event: "enter", enter: now, exit: null }],
      fields: { _uids: ["q-1"] },
      segments: ["members"],
    };
    let acked = false;
    const batch = {
      queue: "pathlight-segment-events",
      messages: [{ id: "m1", timestamp: new Date(), attempts: 1, body: message, ack() {}, retry() {} }],
      ackAll: () => void (acked = true),
      retryAll() {},
    } as unknown as MessageBatch<MembershipMessage>;
    // A profile that takes its confirmation and never answers.
    const confirmed: number[][] = [];
    const slowProfiles = {
      idFromName: (name: string) => name,
      get: () => ({ confirm: (seqs: number[]) => (confirmed.push(seqs), new Promise<void>(() => {})) }),
    } as unknown as DurableObjectNamespace;
    const later: Promise<unknown>[] = [];

    const consumed = consumeAudienceChanges(
      batch,
      { ...env, PROFILE: slowProfiles },
      { waitUntil: (p: Promise<unknown>) => void later.push(p) },
    ).then(() => "returned");
    const hung = new Promise((r) => setTimeout(() => r("still waiting for the profile"), 5_000));
    expect(await Promise.race([consumed, hung])).toBe("returned");
    expect(acked).toBe(true);
    // The confirmation was sent, and left to run after the handler (waitUntil).
    expect(confirmed).toEqual([[1]]);
    expect(later).toHaveLength(1);
  });
});
