import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { admin, collect, newAccount, ok, personalize } from "../helpers";

/**
 * Audiences on topic affinities as the affinities decay. Time is simulated
 * as in scores.test.ts: a fake `Date` a month ahead of the real clock, so
 * the profile's alarm never fires on its own and `runDurableObjectAlarm`
 * fires it when the test says the simulated time has come.
 */
const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = (Math.floor(Date.now() / DAY) + 30) * DAY + 12 * HOUR;
const setNow = (t: number) => vi.setSystemTime(t);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  setNow(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

/** A page view of a demo hiking article, as the tag sends it. */
const read = (uid: string, slug: string) => ({
  _e: "pv",
  _uid: uid,
  url: `localhost:8080/demo/${slug}`,
  _content: { url: `http://localhost:8080/demo/${slug}`, title: slug, keywords: "hiking" },
});

/** Polls without reading the (frozen) clock. */
async function poll<T>(get: () => Promise<T>, check: (v: T) => boolean, tries = 100): Promise<T> {
  let v = await get();
  for (let i = 0; i < tries && !check(v); i++) {
    await new Promise((r) => setTimeout(r, 100));
    v = await get();
  }
  return v;
}

async function profileStub(cid: string, uid: string): Promise<DurableObjectStub> {
  const { meta } = await ok(await admin(`/api/entity/user/_uid/${uid}?cid=${cid}&meta=true`));
  const ns = (env as unknown as { PROFILE: DurableObjectNamespace }).PROFILE;
  return ns.get(ns.idFromName(`${cid}/${meta.id}`));
}

describe("an audience on topic_affinity as the affinity decays (the profile's alarm)", () => {
  it("the reader leaves `topic_affinity.hiking > 0.5` when the affinity decays below 0.5, without a new event", async () => {
    const cid = await newAccount({ public_personalization: true, surfaced_fields: ["topic_affinity"] });
    const created = await ok(
      await admin(`/v2/segment?cid=${cid}`, "POST", {
        slug_name: "hikers",
        segment_ql: "FILTER topic_affinity.hiking > 0.5",
        is_public: true,
      }),
      201,
    );
    const size = async () => (await ok(await admin(`/v2/segment/${created.data.id}?cid=${cid}`))).data.size as number;

    // Two hiking articles today: 2 / (2 + 1) = 0.667, a member at once.
    await ok(await collect(cid, [read("walker", "article-trails"), read("walker", "article-boots")]));
    let user = (await personalize(cid, "walker")).body.data.user;
    expect(user.topic_affinity.hiking).toBeCloseTo(2 / 3, 3);
    expect(user.segments).toContain("hikers");
    expect(await poll(size, (n) => n === 1)).toBe(1);

    // 2 · 2^(−Δ/30d) falls to 1 (affinity 0.5) a half-life later: the alarm is set for then, no sooner.
    const stub = await profileStub(cid, "walker");
    const alarm = await runInDurableObject(stub, (_o, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeGreaterThan(NOW + 29 * DAY);
    expect(alarm!).toBeLessThanOrEqual(NOW + 30 * DAY);

    // A minute before: still a member.
    setNow(alarm! - 60_000);
    user = (await personalize(cid, "walker")).body.data.user;
    expect(user.topic_affinity.hiking).toBeGreaterThan(0.5);
    expect(user.segments).toContain("hikers");

    // The time passes and the alarm fires; no event is sent.
    setNow(alarm! + 500);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    // The audience index heard the exit from the alarm (it feeds webhooks and the audience size).
    expect(await poll(size, (n) => n === 0)).toBe(0);
    user = (await personalize(cid, "walker")).body.data.user;
    expect(user.topic_affinity.hiking).toBeLessThanOrEqual(0.5);
    expect(user.segments).not.toContain("hikers");
    // Nothing else decays across a threshold an audience reads: no further alarm until the next event.
    expect(await runInDurableObject(stub, (_o, state) => state.storage.getAlarm())).toBeNull();
  }, 30_000);

  it("a reader enters `topic_affinity.hiking < 0.4` as the affinity fades, and /personalize sees it even before the alarm runs", async () => {
    const cid = await newAccount({ public_personalization: true });
    await ok(
      await admin(`/v2/segment?cid=${cid}`, "POST", {
        slug_name: "lapsed_hikers",
        segment_ql: "FILTER AND (topic_affinity.hiking < 0.4, topic_visited.hiking >= 1)",
        is_public: true,
      }),
      201,
    );
    await ok(await collect(cid, [read("fader", "article-trails")]));
    expect((await personalize(cid, "fader")).body.data.user.segments).not.toContain("lapsed_hikers");
    const stub = await profileStub(cid, "fader");
    const alarm = await runInDurableObject(stub, (_o, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    // 1 · 2^(−Δ/30d) falls to 0.4/0.6 after about 17.5 days.
    expect(alarm!).toBeGreaterThan(NOW + 17 * DAY);
    expect(alarm!).toBeLessThan(NOW + 18 * DAY);
    setNow(alarm! + 500);
    expect((await personalize(cid, "fader")).body.data.user.segments).toContain("lapsed_hikers");
  }, 30_000);
});
