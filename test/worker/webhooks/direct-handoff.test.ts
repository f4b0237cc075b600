// A profile hands its audience changes to webhook delivery objects directly
// (PRODUCT.md §8: p99 change → delivered ≤ 500 ms, and a queue batch alone
// waits up to a second), while the queue stays the durable path (§7,
// at-least-once): the outbox keeps a change until the queue consumer
// confirmed it, and the delivery object drops the second copy.
//
// The queue is taken down by handing the profile object an environment
// whose queue refuses every message (and, in one test, whose delivery
// objects cannot be reached), as a real outage would.
import { env as testEnv, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../../edge/platform/env";
import type { ProfileObject } from "../../../edge/profiles/profile-object";
import { collect, newAccount } from "../helpers";
import { accepted, audience, bodyOf, eventually, hookPath, receiver, sleep, subscribe } from "./helpers";

const env = testEnv as unknown as Env;
type Stub = DurableObjectStub;
/** The profile object's environment, as it sends through it (a private field, swapped to simulate outages). */
type Wired = { env: Env; runtime: { env: Env } };

const queueDown = {
  send: () => Promise.reject(new Error("queue unavailable")),
  sendBatch: () => Promise.reject(new Error("queue unavailable")),
} as unknown as Queue;

const deliveryDown = {
  idFromName: () => {
    throw new Error("delivery objects unreachable");
  },
} as unknown as DurableObjectNamespace;

async function setup(name: string) {
  const cid = await newAccount();
  await audience(cid, "members", `FILTER member = true`);
  const path = hookPath(name);
  await subscribe(cid, { channel: "webhook", segment_ids: ["members"], webhook_url: `${receiver()}${path}` });
  return { cid, path };
}

/** Runs `ingest` on profile `id` of `cid` with the environment `patch` applied (what the object then sends through). */
async function ingestWith(cid: string, id: string, event: Record<string, unknown>, patch: Partial<Env>) {
  const stub = env.PROFILE.get(env.PROFILE.idFromName(`${cid}/${id}`));
  await runInDurableObject(stub, async (instance) => {
    const object = instance as unknown as ProfileObject;
    const o = instance as unknown as Wired;
    o.runtime.env = { ...o.env, ...patch };
    await object.ingest(cid, id, [{ _e: "pv", ...event }], [{ field: "_uid", value: id }]);
  });
  return stub;
}

/** The queue is back: the profile sends its outbox (as its retry alarm does). */
async function queueBack(stub: Stub) {
  await runInDurableObject(stub, (instance) => {
    const o = instance as unknown as Wired;
    o.runtime.env = o.env;
  });
  await runDurableObjectAlarm(stub);
}

/** Messages in the profile's outbox (sent or not, not yet confirmed by the queue consumer). */
const outboxSize = (stub: Stub) =>
  runInDurableObject(stub, (_o, state) => {
    const sql = state.storage.sql;
    const exists = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").toArray().length;
    return exists ? sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n : 0;
  });

const story = (path: string) =>
  accepted(path).then((rs) =>
    rs
      .map(bodyOf)
      .sort((a, b) => a.meta.seq - b.meta.seq)
      .map((m) => `${m.meta.seq}:${m.data.segment_events.map((e: { event: string }) => e.event).join(",")}`),
  );

describe("webhooks without waiting for the queue", { timeout: 30_000 }, () => {
  it("delivers an audience change while the queue refuses every message, and keeps it in the outbox until the queue takes it", async () => {
    const { cid, path } = await setup("direct");
    const stub = await ingestWith(cid, "d-1", { _eid: "d-1-a", member: true }, { SEGMENT_EVENTS: queueDown });
    // Only the direct hand-off can have delivered it: the queue never accepted anything.
    expect(
      await eventually(
        () => story(path),
        (s) => s.length >= 1,
      ),
    ).toEqual(["1:enter"]);
    // At-least-once: the change stays in the profile's outbox, the queue's to confirm.
    expect(await outboxSize(stub)).toBe(1);

    await queueBack(stub);
    expect(
      await eventually(
        () => outboxSize(stub),
        (n) => n === 0,
      ),
    ).toBe(0);
    // The queue's copy reached the delivery object too, and was dropped there.
    await sleep(500);
    expect(await story(path)).toEqual(["1:enter"]);
  });

  it("leaves later changes to the queue while an older one is still on its way through it (order per profile)", async () => {
    const { cid, path } = await setup("direct-order");
    // The person enters while neither path works: the change waits in the outbox.
    const stub = await ingestWith(
      cid,
      "o-1",
      { _eid: "o-1-a", member: true },
      { SEGMENT_EVENTS: queueDown, DELIVERY: deliveryDown },
    );
    // Then leaves with delivery objects reachable again, the queue still down.
    await ingestWith(cid, "o-1", { _eid: "o-1-b", member: false }, { SEGMENT_EVENTS: queueDown });
    await sleep(1_000);
    // The exit must not overtake the enter still waiting in the outbox.
    expect(await story(path)).toEqual([]);

    await queueBack(stub);
    expect(
      await eventually(
        () => story(path),
        (s) => s.length >= 2,
      ),
    ).toEqual(["1:enter", "2:exit"]);
  });

  it("delivers each change of a collected event once when both paths carry it", async () => {
    const { cid, path } = await setup("direct-once");
    await collect(cid, [
      { _uid: "w-1", _eid: "w-1-a", member: true },
      { _uid: "w-2", _eid: "w-2-a", member: true },
    ]);
    const got = await eventually(
      () => story(path),
      (s) => s.length >= 2,
    );
    expect(got).toHaveLength(2);
    // Wait until the queue consumer handled (and confirmed) both changes, then count again.
    for (const m of (await accepted(path)).map(bodyOf)) {
      const stub = env.PROFILE.get(env.PROFILE.idFromName(`${cid}/${m.meta.profile_id}`));
      await eventually(
        () => outboxSize(stub),
        (n) => n === 0,
      );
    }
    await sleep(500);
    expect(await accepted(path)).toHaveLength(2);
  });
});
