// A membership message carries the person's fields, audiences and changes.
// Cloudflare Queues refuse a message over 128 KB on every retry (the local
// broker does too), so a person with large fields or in many audiences made
// a message the queue never took: their change never reached the audience
// index or a webhook through the queue, and every later change of theirs
// waited behind it for good. Such a message now goes as a reference, and the
// consumer reads it from the person's outbox: receivers get the same message.
//
// The real local queue carries the messages here. Where a test wants the
// queue to be the only path to the webhook, the profile's first change is
// made while delivery objects cannot be reached directly (as in
// test/worker/webhooks/direct-handoff.test.ts).
import { env as testEnv, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../../edge/platform/env";
import type { MembershipMessage } from "../../../edge/profiles/contract";
import type { ProfileObject } from "../../../edge/profiles/profile-object";
import { consumeAudienceChanges } from "../../../edge/queue";
import { admin, eventually, newAccount } from "../helpers";
import { accepted, audience, bodyOf, hookPath, receiver, subscribe } from "../webhooks/helpers";

const env = testEnv as unknown as Env;
/** The profile object's environment, as it sends through it (a private field, swapped to cut the direct path). */
type Wired = { env: Env; runtime: { env: Env } };

const deliveryDown = {
  idFromName: () => {
    throw new Error("delivery objects unreachable");
  },
} as unknown as DurableObjectNamespace;

/** Runs `ingest` on profile `id` of `cid`, with the environment `patch` applied to what the object sends through. */
async function ingestWith(cid: string, id: string, event: Record<string, unknown>, patch: Partial<Env> = {}) {
  const stub = env.PROFILE.get(env.PROFILE.idFromName(`${cid}/${id}`));
  await runInDurableObject(stub, async (instance) => {
    const o = instance as unknown as Wired;
    o.runtime.env = { ...o.env, ...patch };
    await (instance as unknown as ProfileObject).ingest(
      cid,
      id,
      [{ _e: "pv", ...event }],
      [{ field: "_uid", value: id }],
    );
  });
}

/** Profile ids in the audience index's member list of audience `id`. */
async function indexMembers(cid: string, id: string): Promise<string[]> {
  const res = await admin(`/v2/segment/${id}/members?cid=${cid}&limit=50`);
  return ((await res.json()).data as { id: string }[]).map((m) => m.id);
}

/** Audience sizes in the audience index, by slug. */
async function indexSizes(cid: string): Promise<Record<string, number>> {
  const list = (await (await admin(`/api/segment?cid=${cid}`)).json()).data as { slug_name: string; size: number }[];
  return Object.fromEntries(list.map((a) => [a.slug_name, a.size]));
}

/** The webhook messages `path` accepted, in `seq` order, as "seq:events". */
const story = (path: string) =>
  accepted(path).then((rs) =>
    rs
      .map(bodyOf)
      .sort((a, b) => a.meta.seq - b.meta.seq)
      .map((m) => `${m.meta.seq}:${m.data.segment_events.map((e: { event: string }) => e.event).join(",")}`),
  );

/** Ten fields of 15,000 characters (each within the 16 KiB string limit): 150 KB of fields. */
const largeFields = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`note_${i}`, `${i}`.repeat(15_000)]));

describe("audience changes too large for one queue message", { timeout: 60_000 }, () => {
  it("a person with 150 KB of fields: the change reaches the audience index and the webhook through the queue, and so does the next one, in order", async () => {
    const cid = await newAccount();
    const members = await audience(cid, "members", "FILTER member = true");
    const path = hookPath("oversize-fields");
    await subscribe(cid, { channel: "webhook", segment_ids: ["members"], webhook_url: `${receiver()}${path}` });
    const id = "big-fields";

    // Enters, while only the queue can carry the change to the webhook.
    await ingestWith(cid, id, { _eid: "e-1", member: true, ...largeFields }, { DELIVERY: deliveryDown });
    expect(
      await eventually(
        () => indexMembers(cid, members.id),
        (m) => m.includes(id),
        20_000,
      ),
    ).toContain(id);
    expect(
      await eventually(
        () => story(path),
        (s) => s.length >= 1,
        20_000,
      ),
    ).toEqual(["1:enter"]);

    // Leaves: the next change, as large, gets through after it.
    await ingestWith(cid, id, { _eid: "e-2", member: false });
    expect(
      await eventually(
        () => indexMembers(cid, members.id),
        (m) => !m.includes(id),
        20_000,
      ),
    ).not.toContain(id);
    expect(
      await eventually(
        () => story(path),
        (s) => s.length >= 2,
        20_000,
      ),
    ).toEqual(["1:enter", "2:exit"]);

    // Receivers get the message as it was: the person's fields at the time of each change, whole.
    const messages = (await accepted(path)).map(bodyOf).sort((a, b) => a.meta.seq - b.meta.seq);
    for (const m of messages) {
      for (const [field, value] of Object.entries(largeFields)) expect(m.data[field]).toBe(value);
      expect(m.meta.profile_id).toBe(id);
    }
    expect(messages[0].data.member).toBe(true);
    expect(messages[1].data.member).toBe(false);
    expect(messages[0].data.segment_events[0]).toMatchObject({ id: members.id, event: "enter", slug: "members" });
  });

  it("a person entering 700 audiences at once (a 140 KB message): the index gets every one, and the next change follows", async () => {
    const cid = await newAccount();
    const pad = "x".repeat(48);
    const slugs = Array.from({ length: 700 }, (_, i) => `aud_${String(i).padStart(3, "0")}_${pad}`);
    for (const slug of slugs) await audience(cid, slug, "FILTER member = true");
    const last = await audience(cid, "last_one", "FILTER member = true");
    const id = "many-audiences";

    await ingestWith(cid, id, { _eid: "a-1", member: true });
    await eventually(
      () => indexMembers(cid, last.id),
      (m) => m.includes(id),
      30_000,
    );
    const sizes = await indexSizes(cid);
    expect(
      Object.keys(sizes)
        .filter((slug) => sizes[slug] === 1)
        .sort(),
    ).toEqual([...slugs, "last_one"].sort());

    await ingestWith(cid, id, { _eid: "a-2", member: false });
    expect(
      await eventually(
        () => indexMembers(cid, last.id),
        (m) => !m.includes(id),
        30_000,
      ),
    ).not.toContain(id);
  });
});

describe("the queue consumer", { timeout: 30_000 }, () => {
  /** A batch of the segment-events queue holding `bodies`; records whether it was acknowledged. */
  function batchOf(bodies: unknown[]) {
    const state = { acked: false };
    const batch = {
      queue: "pathlight-segment-events",
      messages: bodies.map((body, i) => ({
        id: `m${i}`,
        timestamp: new Date(),
        attempts: 1,
        body,
        ack() {},
        retry() {},
      })),
      ackAll: () => void (state.acked = true),
      retryAll() {},
    } as unknown as MessageBatch<MembershipMessage>;
    return { batch, state };
  }

  it("consumes a whole message in the shape queued before references existed", async () => {
    const cid = await newAccount();
    const members = await audience(cid, "members", "FILTER member = true");
    const path = hookPath("old-shape");
    await subscribe(cid, { channel: "webhook", segment_ids: ["members"], webhook_url: `${receiver()}${path}` });
    const at = new Date().toISOString();
    // As a profile queued it before this change (no `stored`, everything inline).
    const old: MembershipMessage = {
      type: "membership",
      cid,
      profile: "old-shape-1",
      seq: 1,
      outbox: { profile: "old-shape-1", seq: 1 },
      at,
      changes: [{ slug: "members", event: "enter", enter: at, exit: null }],
      fields: { _uids: ["old-shape-1"], plan: "pro" },
      segments: ["members"],
    };
    const { batch, state } = batchOf([old]);
    await consumeAudienceChanges(batch, env);
    expect(state.acked).toBe(true);
    // The index counts the profile it names (the preview of members reads profiles; this one was never stored).
    expect(
      (
        await eventually(
          () => indexSizes(cid),
          (s) => s.members === 1,
        )
      ).members,
    ).toBe(1);
    const got = await eventually(
      () => accepted(path),
      (r) => r.length >= 1,
    );
    const body = bodyOf(got[0]!);
    expect(body.data.plan).toBe("pro");
    expect(body.data.segment_events).toMatchObject([{ id: members.id, event: "enter", slug: "members" }]);
    expect(body.meta).toMatchObject({ profile_id: "old-shape-1", seq: 1 });
  });

  it("acknowledges a reference whose message its profile no longer holds (already handled), delivering nothing for it", async () => {
    const cid = await newAccount();
    await audience(cid, "members", "FILTER member = true");
    const path = hookPath("gone-reference");
    await subscribe(cid, { channel: "webhook", segment_ids: ["members"], webhook_url: `${receiver()}${path}` });
    const at = new Date().toISOString();
    const reference = {
      type: "membership",
      cid,
      profile: "nobody-1",
      seq: 4,
      outbox: { profile: "nobody-1", seq: 4 },
      at,
      stored: true,
    };
    const { batch, state } = batchOf([reference]);
    await consumeAudienceChanges(batch, env);
    expect(state.acked).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(await accepted(path)).toEqual([]);
    expect((await indexSizes(cid)).members).toBe(0);
  });
});
