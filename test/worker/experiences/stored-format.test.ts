import { env as testEnv } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ExperienceStoreRpc, ReportDelta, ReportShardRpc } from "../../../edge/experiences/contract";
import type { Env } from "../../../edge/platform/env";
import { admin, call, newAccount, ORIGIN, ok } from "../helpers";
import { restartOver } from "../restart-over";

const env = testEnv as unknown as Env;

const T0 = "2026-01-01T00:00:00.000Z";
const DAY1 = "2026-01-01";
const DAY2 = "2026-01-02";

/** The experiences object's tables exactly as commit e54d76c created them (edge/experiences/experience-object.ts there). */
const E54D76C_SCHEMA = `CREATE TABLE experiences (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE counters (k INTEGER PRIMARY KEY CHECK (k = 0), body TEXT NOT NULL);
CREATE TABLE seen (id TEXT PRIMARY KEY, ts INTEGER NOT NULL);`;

const WELCOME = "0123456789abcdef0123456789abcdef";
const SALE = "fedcba9876543210fedcba9876543210";

/**
 * An experience as e54d76c's `createExperience` stored it (`experiences.body`,
 * keys in its order): two variations and a 10% control group measured on the
 * goal event `purchase`, published.
 */
const welcome = {
  id: WELCOME,
  name: "Old welcome",
  description: "",
  tactic: "present_message",
  variations: [
    {
      id: "a",
      name: "Variation A",
      share: 45,
      widget: { layout: "slideout", position: "bottom-right", headline: "Welcome back", msg: "Read our guides" },
    },
    { id: "b", name: "Short", share: 45, widget: { layout: "bar", headline: "Welcome", msg: "Guides inside" } },
  ],
  control_share: 10,
  targeting: { include: [], exclude: [] },
  display_conditions: {},
  dates: { start_date: null, end_date: null },
  status: "published",
  vehicle: { detail_override: null },
  goal: { event: "purchase" },
  published: T0,
  created: T0,
  updated: T0,
  widget_type: "message",
  string_callbacks: [],
};

/** A published experience whose end date has passed while the object slept: archived on the first read. */
const sale = {
  ...welcome,
  id: SALE,
  name: "Old sale",
  variations: [{ ...welcome.variations[0], share: 100 }],
  control_share: 0,
  dates: { start_date: null, end_date: "2026-01-10T00:00:00.000Z" },
  goal: null,
  created: "2026-01-01T00:00:01.000Z",
  updated: "2026-01-01T00:00:01.000Z",
};

/** One variation's counters as e54d76c kept them (`counters.body`: `{variations: {id: {total, days}}}`). */
const tally = (reach: number, conversions: number, goal: number, day: string) => {
  const c = {
    reach,
    conversions,
    goal_conversions: goal,
    events: reach ? { show: reach + 1, ...(conversions ? { confirm: conversions } : {}) } : {},
  };
  return { total: c, days: { [day]: c } };
};

/** Report shard `n` of an experience, as the edge names it. */
const reportStub = (cid: string, id: string, n: number) =>
  env.EXPERIENCES.get(env.EXPERIENCES.idFromName(`report:${cid}:${id}/${n}`));
const storeStub = (cid: string) => env.EXPERIENCES.get(env.EXPERIENCES.idFromName(`store:${cid}`));

/** Writes the store (two experiences, version 7) and two report shards of `welcome` (one remembering delta `k1/e1`), and restarts them. */
async function writeExperiences(cid: string): Promise<void> {
  await restartOver(env.EXPERIENCES, storeStub(cid), (sql) => {
    sql.exec(E54D76C_SCHEMA);
    for (const e of [welcome, sale])
      sql.exec("INSERT INTO experiences (id, body) VALUES (?, ?)", e.id, JSON.stringify(e));
    sql.exec("INSERT INTO meta (key, value) VALUES ('version', '7')");
  });
  const shards: [number, Record<string, unknown>][] = [
    [0, { a: tally(10, 2, 3, DAY1), control: tally(4, 0, 1, DAY1) }],
    [5, { a: tally(10, 3, 3, DAY2), b: tally(20, 4, 3, DAY2), control: tally(6, 0, 1, DAY2) }],
  ];
  for (const [n, variations] of shards)
    await restartOver(env.EXPERIENCES, reportStub(cid, WELCOME, n), (sql) => {
      sql.exec(E54D76C_SCHEMA);
      sql.exec("INSERT INTO counters (k, body) VALUES (0, ?)", JSON.stringify({ variations }));
      if (n === 0) sql.exec("INSERT INTO seen (id, ts) VALUES ('k1/e1', ?)", Date.now());
    });
}

const api = (cid: string, path: string, method = "GET", body?: unknown) =>
  admin(`/api/experience${path}${path.includes("?") ? "&" : "?"}cid=${cid}`, method, body);

describe("experiences object storage format (as written by e54d76c)", () => {
  it("lists, edits, delivers and reports stored experiences; archives one that ended while stored", async () => {
    const cid = await newAccount();
    await writeExperiences(cid);

    // Management API: both experiences, the ended one archived on this first read.
    const list = (await ok(await api(cid, ""))).data;
    expect(list.map((e: { id: string; status: string }) => [e.id, e.status])).toEqual([
      [WELCOME, "published"],
      [SALE, "archived"],
    ]);
    expect((await ok(await api(cid, `/${WELCOME}`))).data).toEqual(welcome);

    // The version went on from the stored one (7, then one archive).
    const store = storeStub(cid) as unknown as ExperienceStoreRpc;
    expect((await store.published()).version).toBe(8);
    expect(await store.summaries()).toEqual({
      [WELCOME]: { conversion: ["confirm"], goal: "purchase" },
      [SALE]: { conversion: ["confirm"], goal: null },
    });

    // Delivered to browsers in config.js with its stored split.
    const config = await call(`/api/experience/candidate/${cid}/config.js`, { headers: { origin: ORIGIN } });
    const pushed: {
      experiences: { id: string; variations: { id: string; weight: number }[]; control_weight: number }[];
    }[] = [];
    new Function("window", await config.text())({ pathlightExperiences: pushed });
    expect(
      pushed[0]?.experiences.map((e) => [e.id, e.variations.map((v) => [v.id, v.weight]), e.control_weight]),
    ).toEqual([
      [
        WELCOME,
        [
          ["a", 4500],
          ["b", 4500],
        ],
        1000,
      ],
    ]);

    // The report sums the stored shards: a's goal rate 6/20 = 0.3, b's 3/20 = 0.15, control's 2/10 = 0.2.
    const report = (await ok(await api(cid, `/${WELCOME}/report`))).data;
    expect(report.totals).toEqual({ reach: 40, conversions: 9, conversion_rate: 9 / 40 });
    expect(
      report.variations.map((v: Record<string, unknown>) => [v.id, v.reach, v.conversions, v.goal_conversions]),
    ).toEqual([
      ["a", 20, 5, 6],
      ["b", 20, 4, 3],
    ]);
    expect(report.variations[0].lift).toBeCloseTo(0.5, 10);
    expect(report.variations[1].lift).toBeCloseTo(-0.25, 10);
    expect(report.control).toMatchObject({ reach: 10, goal_conversions: 2, goal_rate: 0.2 });
    expect(report.variations[0].series.map((d: { day: string; reach: number }) => [d.day, d.reach])).toEqual([
      [DAY1, 10],
      [DAY2, 10],
    ]);
    expect(report.variations[0].events).toEqual({ show: 22, confirm: 5 });

    // A delta id the shard stored as applied is not counted again; a new one is, on top of the stored counters.
    const shard0 = reportStub(cid, WELCOME, 0) as unknown as ReportShardRpc;
    const delta = (id: string): ReportDelta => ({
      id,
      experience_id: WELCOME,
      variation: "b",
      day: DAY2,
      reach: 1,
      conversions: 0,
      goal_conversions: 0,
      event: "show",
    });
    expect(await shard0.applyDeltas([delta("k1/e1"), delta("k2/e1")])).toBe(1);
    const after = (await ok(await api(cid, `/${WELCOME}/report`))).data;
    expect(after.variations[1]).toMatchObject({ id: "b", reach: 21 });
    expect(after.variations[0]).toMatchObject({ id: "a", reach: 20 });

    // Stored experiences stay editable and deletable through the API.
    const renamed = (await ok(await api(cid, `/${WELCOME}`, "PATCH", { name: "Welcome, renamed" }))).data;
    expect(renamed).toMatchObject({ name: "Welcome, renamed", control_share: 10, goal: { event: "purchase" } });
    expect((await api(cid, `/${SALE}`, "DELETE")).status).toBe(200);
    expect((await store.published()).version).toBe(10);
  });
});
