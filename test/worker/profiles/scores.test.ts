import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { admin, call, collect, newAccount, ok, personalize } from "../helpers";

/**
 * Behavioral scores through the API. Time is simulated with a fake `Date`
 * (the worker runs in the tests' isolate, so the profile objects see it
 * too): the clock is set a month ahead of the real one, so alarms the
 * profiles set never fire on their own, and `runDurableObjectAlarm` fires
 * them when the test says the simulated time has come.
 */
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Noon UTC, about a month after the real today. */
const NOW = (Math.floor(Date.now() / DAY) + 30) * DAY + 12 * HOUR;

const setNow = (t: number) => vi.setSystemTime(t);

async function entity(cid: string, uid: string): Promise<{ data: Record<string, any>; meta: { id: string } }> {
  return ok(await admin(`/api/entity/user/_uid/${uid}?cid=${cid}&meta=true&segments=true`));
}

async function scores(cid: string, uid: string): Promise<Record<string, number>> {
  const { data } = await entity(cid, uid);
  return Object.fromEntries(Object.entries(data).filter(([k]) => k.startsWith("score_")));
}

async function profileStub(cid: string, uid: string): Promise<DurableObjectStub> {
  const { meta } = await entity(cid, uid);
  const ns = (env as unknown as { PROFILE: DurableObjectNamespace }).PROFILE;
  return ns.get(ns.idFromName(`${cid}/${meta.id}`));
}

/** Polls without reading the (frozen) clock. */
async function poll<T>(read: () => Promise<T>, check: (v: T) => boolean, tries = 100): Promise<T> {
  let v = await read();
  for (let i = 0; i < tries && !check(v); i++) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}

/** One page view per `_ts`, each starting a session (as the tag marks a new visit). */
const visits = (uid: string, times: number[]) => times.map((t) => ({ _uid: uid, _e: "pv", _ts: t, _sesstart: 1 }));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  setNow(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("behavioral scores on constructed histories", () => {
  it("a daily visitor for a month: frequent, recent, steady, like clockwork", async () => {
    const cid = await newAccount();
    const times = Array.from({ length: 30 }, (_, i) => NOW - (29 - i) * DAY);
    expect((await collect(cid, visits("daily", times))).status).toBeLessThan(300);
    expect(await scores(cid, "daily")).toEqual({
      score_frequency: 100,
      score_recency: 100,
      score_momentum: 50,
      score_consistency: 100,
      // 1 event per session, no time in a session.
      score_intensity: 11,
      // 30 events: 100 · log(31) / log(1001).
      score_quantity: 50,
      // 29 days from first to last event: 100 · ln(30) / ln(366).
      score_maturity: 58,
    });
  });

  it("every other day for two months: frequency 71", async () => {
    const cid = await newAccount();
    const times = Array.from({ length: 30 }, (_, i) => NOW - (58 - 2 * i) * DAY);
    await collect(cid, visits("alt", times));
    const s = await scores(cid, "alt");
    expect(s.score_frequency).toBe(71);
    expect(s.score_consistency).toBe(100);
  });

  it("recency and maturity: first visit 8 days ago, last yesterday", async () => {
    const cid = await newAccount();
    await collect(cid, visits("week", [NOW - 8 * DAY, NOW - DAY]));
    const s = await scores(cid, "week");
    expect(s.score_recency).toBe(93);
    expect(s.score_maturity).toBe(35);
    // Two visits are too few to call regular.
    expect(s.score_consistency).toBe(0);
  });

  it("intensity: 5 events over 5 minutes in one session; quantity of 10 events", async () => {
    const cid = await newAccount();
    const start = NOW - HOUR;
    await collect(
      cid,
      Array.from({ length: 5 }, (_, i) => ({ _uid: "deep", _e: "pv", _ts: start + i * 75_000, _sesstart: i === 0 })),
    );
    expect((await scores(cid, "deep")).score_intensity).toBe(56);
    await collect(
      cid,
      Array.from({ length: 5 }, (_, i) => ({ _uid: "deep", _e: "pv", _ts: start + (5 + i) * 75_000 })),
    );
    expect((await scores(cid, "deep")).score_quantity).toBe(35);
  });

  it("momentum: three times the usual rate scores 75, a third of it 25", async () => {
    const cid = await newAccount();
    // 90 days at 1 event a day, then the last week at 4 a day: 31 events in 7 days against 117 in 90.
    const base = Array.from({ length: 83 }, (_, i) => NOW - (89 - i) * DAY);
    const busy = Array.from({ length: 7 }, (_, d) => [0, 1, 2, 3].map((k) => NOW - (6 - d) * DAY - k * HOUR)).flat();
    await collect(cid, visits("hot", base));
    await collect(cid, visits("hot", busy));
    const hot = (await scores(cid, "hot")).score_momentum;
    // ρ = (28/7) / (111/90) ≈ 3.24 → 76.
    expect(hot).toBeGreaterThanOrEqual(75);
    expect(hot).toBeLessThanOrEqual(77);
    // 3 a day for 83 days, then 1 a day: ρ = 1 / (256/90) ≈ 0.35 → 26.
    const slow = Array.from({ length: 83 }, (_, i) => [0, 1, 2].map((k) => NOW - (89 - i) * DAY - k * HOUR)).flat();
    await collect(cid, visits("cold", slow.slice(0, 150)));
    await collect(cid, visits("cold", slow.slice(150)));
    await collect(
      cid,
      visits(
        "cold",
        Array.from({ length: 7 }, (_, d) => NOW - (6 - d) * DAY),
      ),
    );
    const cold = (await scores(cid, "cold")).score_momentum;
    expect(cold).toBeGreaterThanOrEqual(24);
    expect(cold).toBeLessThanOrEqual(27);
  });

  it("scores are surfaced only when the account surfaces them", async () => {
    const cid = await newAccount({ surfaced_fields: ["score_recency"], public_personalization: true });
    await collect(cid, { _uid: "surf", _e: "pv" });
    const user = (await personalize(cid, "surf")).body.data.user;
    expect(user.score_recency).toBe(100);
    expect(user.score_momentum).toBeUndefined();
  });
});

describe("scores as time passes (the profile's alarm)", () => {
  it("recency decays day by day without a new event", async () => {
    const cid = await newAccount();
    await collect(cid, visits("fade", [NOW]));
    expect((await scores(cid, "fade")).score_recency).toBe(100);
    setNow(NOW + 7 * DAY);
    expect((await scores(cid, "fade")).score_recency).toBe(62);
    setNow(NOW + 30 * DAY);
    expect((await scores(cid, "fade")).score_recency).toBe(13);
    setNow(NOW + 90 * DAY);
    const gone = await scores(cid, "fade");
    expect(gone).toMatchObject({ score_recency: 0, score_frequency: 0, score_momentum: 0 });
    // Intensity, quantity and maturity change only with events.
    expect(gone).toMatchObject({ score_intensity: 11, score_quantity: 10, score_maturity: 0 });
  });

  it("an audience on score_momentum (reference 000's example) gains a member in real time and loses it at the midnight momentum drops, by alarm", async () => {
    const cid = await newAccount({ public_personalization: true });
    const created = await ok(
      await call(`/api/segment?cid=${cid}`, {
        method: "POST",
        headers: { authorization: "test-admin-token", "content-type": "text/plain" },
        body: "FILTER AND ( score_momentum > 25, score_quantity > 25 ) ALIAS seg_webhook1",
      }),
      201,
    );
    const v2size = async () => (await ok(await admin(`/v2/segment/${created.data.id}?cid=${cid}`))).data.size as number;
    // Four events: quantity 23, not yet a member.
    await collect(cid, visits("mo", [NOW - 4 * HOUR, NOW - 3 * HOUR, NOW - 2 * HOUR, NOW - HOUR]));
    expect((await entity(cid, "mo")).data.segments).not.toContain("seg_webhook1");
    // The fifth event: quantity 26, momentum 50 (a first visit is at its own rate) — in at once.
    await collect(cid, { _uid: "mo", _e: "pv" });
    expect((await entity(cid, "mo")).data.segments).toContain("seg_webhook1");
    expect(await poll(v2size, (n) => n === 1)).toBe(1);

    // The alarm waits for the midnight momentum changes: 7 days after the day of the last event.
    const stub = await profileStub(cid, "mo");
    const midnight = (Math.floor(NOW / DAY) + 7) * DAY;
    expect(await runInDurableObject(stub, (_o, state) => state.storage.getAlarm())).toBe(midnight);

    // A second before: still a member. Then the clock passes midnight and the alarm fires, no event sent.
    setNow(midnight - 1000);
    expect((await scores(cid, "mo")).score_momentum).toBe(50);
    setNow(midnight + 500);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    // The audience index heard the exit from the alarm (the entity API was not read).
    expect(await poll(v2size, (n) => n === 0)).toBe(0);
    const after = await entity(cid, "mo");
    expect(after.data.score_momentum).toBe(0);
    expect(after.data.segments).not.toContain("seg_webhook1");
    // Momentum is at its floor and nobody reads recency: no further alarm until the next event.
    expect(await runInDurableObject(stub, (_o, state) => state.storage.getAlarm())).toBeNull();

    // Three events the next day bring momentum back above 25 and the person back in.
    setNow(midnight + DAY);
    await collect(
      cid,
      [1, 2, 3].map(() => ({ _uid: "mo", _e: "pv" })),
    );
    expect((await entity(cid, "mo")).data.score_momentum).toBeGreaterThan(25);
    expect(await poll(v2size, (n) => n === 1)).toBe(1);
  }, 30_000);

  it("two profiles merging add up their activity", async () => {
    const cid = await newAccount();
    await collect(cid, visits("m1", [NOW - 10 * DAY, NOW - 9 * DAY]));
    await ok(
      await admin(`/collect/json/default?cid=${cid}`, "POST", {
        _uid: "m2",
        email: "merge@example.com",
        _ts: NOW - DAY,
      }),
    );
    // A server-side event (verified) shows both to be one person.
    await ok(
      await admin(`/collect/json/default?cid=${cid}`, "POST", { _uid: "m1", email: "merge@example.com", _ts: NOW }),
    );
    const s = await scores(cid, "m1");
    // 4 events over 10 days, first 10 days ago, last today.
    expect(s.score_quantity).toBe(23);
    expect(s.score_recency).toBe(100);
    expect(s.score_maturity).toBe(41);
  });
});
