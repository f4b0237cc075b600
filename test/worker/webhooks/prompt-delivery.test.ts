// A healthy receiver gets each change as soon as the delivery object has
// it (PRODUCT.md §8: p99 change → delivered ≤ 500 ms): sending must not wait
// for an alarm tick, and a request the receiver accepted is never sent again.
// The alarm is only the backstop for retries and restarts, so these tests
// delete it and expect the delivery anyway.
import { env as testEnv, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { IncomingChange } from "../../../edge/webhooks/contract";
import type { DeliveryObject } from "../../../edge/webhooks/delivery-object";
import { MessageStore } from "../../../edge/webhooks/delivery/storage/message-store";
import { newAccount } from "../helpers";
import { accepted, audience, eventually, hookPath, receiver, sleep, subscribe } from "./helpers";

const env = testEnv as unknown as { DELIVERY: DurableObjectNamespace<DeliveryObject> };

async function setup(name: string) {
  const cid = await newAccount();
  const seg = await audience(cid, "members", `FILTER member = true`);
  const path = hookPath(name);
  const sub = (
    await subscribe(cid, { channel: "webhook", segment_ids: ["members"], webhook_url: `${receiver()}${path}` })
  ).body.data;
  const stub = env.DELIVERY.get(env.DELIVERY.idFromName(`${cid}/${sub.id}`));
  return { cid, path, sub, seg, stub };
}

const change = (
  profile: string,
  seq: number,
  segmentId: string,
  event: "enter" | "exit" = "enter",
): IncomingChange => ({
  profile,
  seq,
  at: new Date().toISOString(),
  fields: { _uids: [profile] },
  segment_events: [{ id: segmentId, event, enter: new Date().toISOString(), exit: null, slug: "members" }],
});

describe("prompt delivery to a healthy receiver", { timeout: 20_000 }, () => {
  it("sends a change as soon as it is accepted, without waiting for an alarm", async () => {
    const { path, seg, stub } = await setup("prompt");
    await runInDurableObject(stub, async (object: DeliveryObject, state) => {
      await object.accept([change("p-1", 1, seg.id)]);
      // No alarm will ever fire: only a send started by `accept` itself can deliver.
      await state.storage.deleteAlarm();
    });
    const got = await eventually(
      () => accepted(path),
      (r) => r.length >= 1,
      5_000,
    );
    expect(got.map((r) => JSON.parse(r.body).data._uids)).toEqual([["p-1"]]);
  });

  it("sends changes accepted while earlier ones are in flight, still without an alarm", async () => {
    const { path, seg, stub } = await setup("prompt-busy");
    for (let i = 1; i <= 40; i++)
      await runInDurableObject(stub, async (object: DeliveryObject, state) => {
        await object.accept([change(`b-${i}`, i, seg.id)]);
        await state.storage.deleteAlarm();
      });
    const got = await eventually(
      () => accepted(path),
      (r) => r.length >= 40,
      8_000,
    );
    expect(new Set(got.map((r) => JSON.parse(r.body).data._uids[0])).size).toBe(40);
  });

  it("keeps its connections to the receiver open: changes sent one after another reuse them", async () => {
    const { path, seg, stub } = await setup("prompt-keepalive");
    for (let i = 1; i <= 4; i++) {
      await runInDurableObject(stub, (object: DeliveryObject) => object.accept([change(`k-${i}`, i, seg.id)]));
      await eventually(
        () => accepted(path),
        (r) => r.length >= i,
        5_000,
      );
    }
    const got = await accepted(path);
    expect(got.map((r) => JSON.parse(r.body).data._uids[0])).toEqual(["k-1", "k-2", "k-3", "k-4"]);
    // A 2xx answer is read to its end, so its connection goes back to the pool: not one new connection per change.
    expect(new Set(got.map((r) => r.connection)).size).toBeLessThan(got.length);
  });
});

describe("backfill against live changes", { timeout: 20_000 }, () => {
  it("drops a backfill message read before a live change of the same person arrived", async () => {
    const { path, seg, stub } = await setup("stale-backfill");
    const readAt = new Date(Date.now() - 1_000).toISOString();
    await runInDurableObject(stub, async (object: DeliveryObject, state) => {
      // A backfill read "stale-1" (still a member then), and "fresh-1" whom nothing changed since.
      const store = new MessageStore(state.storage.sql);
      for (const profile of ["stale-1", "fresh-1"])
        store.addItem(
          {
            event_id: `evt_backfill_${profile}`,
            profile_id: profile,
            seq: 0,
            at: readAt,
            backfill: true,
            fields: { _uids: [profile] },
            segment_events: [{ id: seg.id, event: "enter", enter: readAt, exit: null, slug: "members" }],
          },
          Date.now(),
        );
      // Then "stale-1" left: the live change arrives before the backfill message is sent.
      await object.accept([change("stale-1", 7, seg.id, "exit")]);
    });
    await eventually(
      () => accepted(path),
      (r) => r.length >= 2,
      5_000,
    );
    await sleep(500);
    const messages = (await accepted(path)).map((r) => JSON.parse(r.body));
    expect(
      messages.map((m) => `${m.data._uids[0]}:${m.meta.backfill === true}:${m.data.segment_events[0].event}`).sort(),
    ).toEqual(["fresh-1:true:enter", "stale-1:false:exit"]);
  });
});
