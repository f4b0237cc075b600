// Retries, dead letters, replay, 410 and erasure against a real receiver.
// The worker tests shrink retry delays 100,000× (WEBHOOK_RETRY_SCALE in
// vitest.config.mts): the ten attempts of the schedule take ~3 s.
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { admin, collect, newAccount } from "../helpers";
import {
  accepted,
  audience,
  bodyOf,
  deliveries,
  eventually,
  hookPath,
  received,
  receiver,
  script,
  sleep,
  subscribe,
} from "./helpers";

async function setup(name: string, statuses: number[], fallback = 200, retryAfter?: string) {
  const cid = await newAccount();
  await audience(cid, "members", `FILTER member = true`);
  const path = hookPath(name);
  await script(path, statuses, fallback, retryAfter);
  const sub = (
    await subscribe(cid, { channel: "webhook", segment_ids: ["members"], webhook_url: `${receiver()}${path}` })
  ).body.data;
  return { cid, path, sub };
}

describe("retries and dead letters", { timeout: 40_000 }, () => {
  it("retries after a 500 and a dropped connection, then delivers the same message (same webhook-id)", async () => {
    const { cid, path, sub } = await setup("retry", [500, 0]);
    await collect(cid, { _uid: "r-1", member: true });
    const reqs = await eventually(
      () => received(path),
      (r) => r.some((x) => x.status === 200),
    );
    expect(reqs.map((r) => r.status)).toEqual([500, 0, 200]);
    expect(new Set(reqs.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect(new Webhook(sub.secret).verify(reqs[2]!.body, reqs[2]!.headers)).toBeTruthy();
    const log = await eventually(
      () => deliveries(cid, sub.id),
      (d) => d.counts.delivered === 1,
    );
    expect(log.counts).toMatchObject({ delivered: 1, pending: 0, dead: 0 });
    const d = log.deliveries[0];
    expect(d).toMatchObject({ id: reqs[0]!.headers["webhook-id"], state: "delivered", attempts: 3, last_status: 200 });
    expect(d.log.map((a: any) => a.status)).toEqual([500, null, 200]);
    expect(d.log[0].error).toContain("HTTP 500");
    expect(d.log[1].error).toMatch(/network error/);
    for (const a of d.log) expect(a.latency_ms).toBeGreaterThanOrEqual(0);
    expect(d.messages[0]).toMatchObject({
      seq: expect.any(Number),
      backfill: false,
      segment_events: [{ slug: "members", event: "enter" }],
    });
  });

  it("does not retry a 400: the request is dead-lettered at once", async () => {
    const { cid, path, sub } = await setup("no-retry", [], 400);
    await collect(cid, { _uid: "n-1", member: true });
    await eventually(
      () => received(path),
      (r) => r.length >= 1,
    );
    const log = await eventually(
      () => deliveries(cid, sub.id),
      (d) => d.counts.dead === 1,
    );
    await sleep(1500); // retries, were there any, would have come by now
    expect(await received(path)).toHaveLength(1);
    expect(log.deliveries[0]).toMatchObject({ state: "dead", attempts: 1, last_status: 400 });
  });

  it("honours Retry-After on a 429", async () => {
    const { cid, path } = await setup("429", [429], 200, "1");
    await collect(cid, { _uid: "t-1", member: true });
    const reqs = await eventually(
      () => received(path),
      (r) => r.length >= 2,
    );
    expect(reqs.map((r) => r.status)).toEqual([429, 200]);
    // The schedule alone (5 s × 1e-5) would have retried within milliseconds.
    expect(reqs[1]!.at - reqs[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("gives up after ten attempts on the schedule, then replays the dead letters on request", async () => {
    const { cid, path, sub } = await setup("dead", [], 503);
    await collect(cid, { _uid: "d-1", member: true });
    const log = await eventually(
      () => deliveries(cid, sub.id, "dead"),
      (d) => d.counts.dead === 1,
      20_000,
    );
    expect(log.deliveries[0]).toMatchObject({ state: "dead", attempts: 10, last_status: 503 });
    expect(log.deliveries[0].last_error).toContain("gave up after 10 attempts");
    expect(log.deliveries[0].log).toHaveLength(10);
    const reqs = await received(path);
    expect(reqs).toHaveLength(10);
    // Delays grow along the schedule (5 s, 5 min, 30 min, 2 h, ... scaled): the last gap is the longest.
    const gaps = reqs.slice(1).map((r, i) => r.at - reqs[i]!.at);
    expect(gaps[8]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[8]!).toBeGreaterThan(500);

    await script(path, [], 200);
    const replay = await admin(`/api/subscription/${sub.id}/replay?cid=${cid}`, "POST");
    expect(replay.status).toBe(202);
    expect((await replay.json()).data.replayed).toBe(1);
    const ok = await eventually(
      () => accepted(path),
      (r) => r.length >= 1,
    );
    expect(ok[0]!.headers["webhook-id"]).toBe(reqs[0]!.headers["webhook-id"]);
    expect(bodyOf(ok[0]!).data._uids).toEqual(["d-1"]);
    expect(
      (
        await eventually(
          () => deliveries(cid, sub.id),
          (d) => d.counts.delivered === 1,
        )
      ).counts,
    ).toMatchObject({ delivered: 1, dead: 0 });

    // A time range re-sends delivered messages too.
    const again = await admin(`/api/subscription/${sub.id}/replay?cid=${cid}`, "POST", {
      from: new Date(Date.now() - 60_000).toISOString(),
    });
    expect((await again.json()).data.replayed).toBe(1);
    expect(
      await eventually(
        () => accepted(path),
        (r) => r.length >= 2,
      ),
    ).toHaveLength(2);
    expect((await admin(`/api/subscription/${sub.id}/replay?cid=${cid}`, "POST", { from: "yesterday" })).status).toBe(
      422,
    );
  });

  it("disables the subscription on 410 Gone and sends nothing more until it is updated", async () => {
    const { cid, path, sub } = await setup("gone", [], 410);
    await collect(cid, { _uid: "g-1", member: true });
    await eventually(
      () => received(path),
      (r) => r.length >= 1,
    );
    const read = async () => (await (await admin(`/api/subscription/${sub.id}?cid=${cid}`)).json()).data;
    const disabled = await eventually(read, (s) => s.state === "disabled");
    expect(disabled.state).toBe("disabled");
    expect(disabled.state_reason).toContain("410");
    expect(disabled.delivery.counts.dead).toBe(1);
    await collect(cid, { _uid: "g-2", member: true });
    await sleep(2500);
    expect(await received(path)).toHaveLength(1);
    expect((await admin(`/api/subscription/${sub.id}/replay?cid=${cid}`, "POST")).status).toBe(409);
    // Updating re-enables it; replay sends what was dead-lettered.
    await script(path, [], 200);
    expect((await subscribe(cid, { id: sub.id, name: "back" })).body.data.state).toBe("active");
    expect((await (await admin(`/api/subscription/${sub.id}/replay?cid=${cid}`, "POST")).json()).data.replayed).toBe(1);
    const ok = await eventually(
      () => accepted(path),
      (r) => r.length >= 1,
    );
    expect(bodyOf(ok[0]!).data._uids).toEqual(["g-1"]);
  });
});

describe("privacy", { timeout: 40_000 }, () => {
  it("erasing a person removes their queued and dead-lettered messages from every subscription", async () => {
    const cid = await newAccount();
    await audience(cid, "members", `FILTER member = true`);
    const deadPath = hookPath("erase-dead");
    const slowPath = hookPath("erase-pending");
    await script(deadPath, [], 400);
    await script(slowPath, [], 429, "2"); // keeps them pending: every retry waits 2 s
    const dead = (
      await subscribe(cid, { channel: "webhook", segment_ids: ["members"], webhook_url: `${receiver()}${deadPath}` })
    ).body.data;
    // Batched: both people in one request that keeps being retried — pending, not delivered.
    const pending = (
      await subscribe(cid, {
        channel: "webhook",
        segment_ids: ["members"],
        webhook_url: `${receiver()}${slowPath}`,
        batch: true,
        batch_size: 100,
      })
    ).body.data;
    await collect(cid, { _uid: "keep-me", member: true, email: "keep@example.com" });
    await collect(cid, { _uid: "erase-me", member: true, email: "erase@example.com" });
    await eventually(
      () => deliveries(cid, dead.id),
      (d) => d.counts.dead === 2,
    );
    const profilesIn = async (id: string) =>
      (await deliveries(cid, id)).deliveries.flatMap((d: any) => d.messages.map((m: any) => m.profile_id));
    expect(
      await eventually(
        () => profilesIn(pending.id),
        (p) => p.length === 2,
      ),
    ).toHaveLength(2);

    const erased = await admin(`/api/entity/user/_uid/erase-me?cid=${cid}`, "DELETE");
    expect(erased.status).toBe(200);
    const [erasedId] = (await erased.json()).data.erased_profiles;
    expect(
      await eventually(
        () => profilesIn(dead.id),
        (p) => !p.includes(erasedId),
      ),
    ).not.toContain(erasedId);
    expect(
      await eventually(
        () => profilesIn(pending.id),
        (p) => !p.includes(erasedId),
      ),
    ).not.toContain(erasedId);
    expect((await deliveries(cid, dead.id)).counts.dead).toBe(1);

    // Replaying the dead letters sends only the person who was kept.
    await script(deadPath, [], 200);
    await admin(`/api/subscription/${dead.id}/replay?cid=${cid}`, "POST");
    const ok = await eventually(
      () => accepted(deadPath),
      (r) => r.length >= 1,
    );
    await sleep(500);
    expect((await accepted(deadPath)).map((r) => bodyOf(r).data.email)).toEqual(["keep@example.com"]);
    await script(slowPath, [], 200);
    const batches = await eventually(
      () => accepted(slowPath),
      (r) => r.length >= 1,
      15_000,
    );
    const emails = batches.flatMap((r) => bodyOf(r).map((m: any) => m.data.email));
    expect(emails).toContain("keep@example.com");
    expect(emails).not.toContain("erase@example.com");
    expect(ok).toBeTruthy();
  });
});
