// withbackfill: current members first (as `enter`), then live changes —
// including changes made while the backfill runs.
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { admin, collect, newAccount } from "../helpers";
import { accepted, audience, bodyOf, eventually, hookPath, receiver, sleep, subscribe } from "./helpers";

/** Membership each person ends with, replaying the received messages in per-person `seq` order (backfill = 0). */
function finalState(messages: any[]): Map<string, boolean> {
  const byUid = new Map<string, any[]>();
  for (const m of messages) {
    const uid = m.data._uids[0];
    byUid.set(uid, [...(byUid.get(uid) ?? []), m]);
  }
  const out = new Map<string, boolean>();
  for (const [uid, list] of byUid) {
    list.sort((a, b) => a.meta.seq - b.meta.seq);
    out.set(uid, list[list.length - 1].data.segment_events[0].event === "enter");
  }
  return out;
}

describe("backfill", { timeout: 40_000 }, () => {
  it("sends every current member as enter, then live changes, missing none made during the backfill", async () => {
    const cid = await newAccount();
    const seg = await audience(cid, "gold", `FILTER tier = "gold"`);
    for (let i = 0; i < 12; i++) await collect(cid, { _uid: `bf-${i}`, tier: i < 10 ? "gold" : "silver" });
    const size = async () => (await (await admin(`/v2/segment/gold?cid=${cid}`)).json()).data.size;
    expect(await eventually(size, (n) => n === 10)).toBe(10);

    const path = hookPath("backfill");
    const created = await subscribe(cid, {
      channel: "webhook",
      segment_ids: [seg.id],
      webhook_url: `${receiver()}${path}`,
      withbackfill: true,
    });
    expect(created.status).toBe(200);
    const sub = created.body.data;
    expect(sub.config.withbackfill).toBe(true);
    // Changes before, while and after the backfill runs (it starts ~1.5 s after creation): members
    // leave and come back, newcomers enter.
    const expected = new Map<string, boolean>(Array.from({ length: 12 }, (_, i) => [`bf-${i}`, i < 10]));
    for (let step = 0; step < 12; step++) {
      const uid = [`bf-0`, `bf-1`, `bf-10`][step % 3]!;
      const gold = !expected.get(uid);
      await collect(cid, { _uid: uid, tier: gold ? "gold" : "silver" });
      expected.set(uid, gold);
      await collect(cid, { _uid: `bf-new-${step}`, tier: "gold" });
      expected.set(`bf-new-${step}`, true);
      await sleep(250);
    }

    const read = async () => (await (await admin(`/api/subscription/${sub.id}?cid=${cid}`)).json()).data.delivery;
    const status = await eventually(
      read,
      (d) =>
        d.backfill?.state === "done" &&
        d.counts.pending === 0 &&
        d.counts.queued_messages === 0 &&
        d.counts.sending === 0,
      20_000,
    );
    expect(status.backfill.state).toBe("done");
    // The last live changes may still be on their way through the queue: wait for all 24 (12 changes, 12 newcomers).
    await eventually(
      () => accepted(path),
      (r) => r.filter((x) => !JSON.parse(x.body).meta.backfill).length >= 24,
      20_000,
    );
    await sleep(500);
    const messages = (await accepted(path)).map((r) => new Webhook(sub.secret).verify(r.body, r.headers) as any);
    const backfilled = messages
      .filter((m) => m.meta.backfill)
      .map((m) => m.data._uids[0])
      .sort();
    // Members nobody touched came from the backfill, as enter, each once.
    for (const uid of ["bf-2", "bf-3", "bf-4", "bf-5", "bf-6", "bf-7", "bf-8", "bf-9"])
      expect(backfilled.filter((u) => u === uid)).toHaveLength(1);
    for (const m of messages.filter((m) => m.meta.backfill)) {
      expect(m.data.segment_events).toEqual([
        { id: seg.id, event: "enter", enter: expect.any(String), exit: "2099-12-31T23:59:59Z", slug: "gold" },
      ]);
      expect(m.meta.seq).toBe(0);
      expect(m.data.tier).toBe("gold");
    }
    // Replaying everything in seq order gives exactly today's audience.
    const state = finalState(messages);
    const members = [...state]
      .filter(([, inside]) => inside)
      .map(([uid]) => uid)
      .sort();
    expect(members).toEqual(
      [...expected]
        .filter(([, inside]) => inside)
        .map(([uid]) => uid)
        .sort(),
    );
    expect(state.has("bf-11")).toBe(false);
    // Every live change was delivered: bf-0, bf-1 and bf-10 changed four times each.
    const live = messages
      .filter((m) => !m.meta.backfill)
      .map((m) => `${m.data._uids[0]}:${m.data.segment_events[0].event}`);
    for (const uid of ["bf-0", "bf-1", "bf-10"]) expect(live.filter((l) => l.startsWith(`${uid}:`))).toHaveLength(4);
    for (let step = 0; step < 12; step++) expect(live).toContain(`bf-new-${step}:enter`);
    expect(bodyOf((await accepted(path))[0]!).meta.subscription_id).toBe(sub.id);
  });

  it("refuses a backfill over more than one audience with 400", async () => {
    const cid = await newAccount();
    await audience(cid, "one", `FILTER x = 1`);
    await audience(cid, "two", `FILTER x = 2`);
    const res = await subscribe(cid, {
      channel: "webhook",
      segment_ids: ["one", "two"],
      webhook_url: `${receiver()}${hookPath("bf2")}`,
      withbackfill: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("withbackfill works with a single audience");
    expect(res.body.errors[0].path).toBe("withbackfill");
    expect(
      (
        await subscribe(cid, {
          channel: "webhook",
          segment_ids: ["one", "two"],
          webhook_url: `${receiver()}${hookPath("bf3")}`,
          withbackfill: false,
        })
      ).status,
    ).toBe(200);
  });
});
