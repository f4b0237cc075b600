// A profile's outbox is sent to the queue a page at a time. Cloudflare Queues
// refuse a whole `sendBatch` over 100 messages or 256 KB, so a page of large
// messages (a person in many audiences, with large fields) has to go in
// several batches; sent as one, the queue refused it on every retry and the
// person's audience changes never reached the index or any webhook.
//
// The queue here enforces those limits, can be taken down and back up, and
// delivers nothing (it only records what it accepted, in order).
import { env as testEnv } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../../edge/platform/env";
import { admin, eventually, newAccount } from "../helpers";
import { ingestWithQueue } from "./ingest-with-queue";

const env = testEnv as unknown as Env;
const WAIT = 60_000;

/** A queue with Cloudflare's batch limits that records what it accepted and delivers nothing; `setDown` makes it refuse all. */
function strictQueue() {
  const accepted: number[] = [];
  let refused = 0;
  let down = false;
  const sendBatch = async (messages: { body: unknown }[]) => {
    if (down) throw new Error("queue unavailable");
    const bytes = messages.reduce((n, m) => n + new TextEncoder().encode(JSON.stringify(m.body)).byteLength, 0);
    if (messages.length > 100 || bytes > 256_000) {
      refused++;
      throw new Error(`batch of ${messages.length} messages, ${bytes} bytes: over the queue's limits`);
    }
    for (const m of messages) accepted.push((m.body as { seq: number }).seq);
  };
  const queue = { send: async (body: unknown) => sendBatch([{ body }]), sendBatch } as unknown as Queue;
  return { queue, accepted, refused: () => refused, setDown: (d: boolean) => void (down = d) };
}

describe("outbox pages larger than one queue batch", { timeout: 60_000 }, () => {
  it("after a queue outage, sends the 61 waiting changes of 6 KB each (~400 KB) in batches the queue accepts, in order", async () => {
    const cid = await newAccount();
    expect(
      (await admin(`/v2/segment?cid=${cid}`, "POST", { slug_name: "members", segment_ql: "FILTER member = true" }))
        .status,
    ).toBe(201);
    const { queue, accepted, refused, setDown } = strictQueue();
    const id = "big-outbox";
    const stub = env.PROFILE.get(env.PROFILE.idFromName(`${cid}/${id}`));
    const bio = "b".repeat(6_000);
    const ingest = (member: boolean, eid: string) =>
      ingestWithQueue(stub, cid, id, queue, WAIT, { _e: "pv", _eid: eid, member, bio: `${bio}${eid}` });

    // The queue is down while the person enters and leaves 60 times: every change waits in the outbox.
    setDown(true);
    for (let i = 0; i < 60; i++) await ingest(i % 2 === 0, `e-${i}`);
    expect(accepted.length).toBe(0);

    // It is back: the next change's flush sends the whole page (61 changes, over 256 KB together).
    setDown(false);
    await ingest(true, "e-60");
    const sent = await eventually(
      async () => [...accepted],
      (a) => a.length >= 61,
    );
    expect(refused()).toBe(0);
    expect(sent.slice(0, 61)).toEqual(Array.from({ length: 61 }, (_, i) => sent[0]! + i));
  });
});
