import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { admin, call, collect, newAccount, ORIGIN, personalize } from "../helpers";

const api = (cid: string, path: string, method = "GET", body?: unknown) =>
  admin(`/api/experience${path}${path.includes("?") ? "&" : "?"}cid=${cid}`, method, body);

/** Creates an audience with the v2 Segment API (public: visible to the browser). */
async function audience(cid: string, slug: string, segment_ql: string): Promise<void> {
  const res = await admin(`/v2/segment?cid=${cid}`, "POST", { slug_name: slug, segment_ql, is_public: true });
  expect(res.status, await res.clone().text()).toBe(201);
}

/** A "hiking fans" slideout recommending content, like the demo's. */
const slideout = (extra: Record<string, unknown> = {}) => ({
  name: "Hiking picks",
  tactic: "present_message",
  variations: [
    { widget: { layout: "slideout", position: "bottom-right", headline: "More trails", msg: "Read our guides" } },
  ],
  targeting: { include: ["hiking_fans"] },
  ...extra,
});

async function create(cid: string, body: unknown): Promise<any> {
  const res = await api(cid, "", "POST", body);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()).data;
}

const patch = async (cid: string, id: string, body: unknown) => api(cid, `/${id}`, "PATCH", body);

const configJs = (cid: string, headers: Record<string, string> = {}) =>
  call(`/api/experience/candidate/${cid}/config.js`, { headers: { origin: ORIGIN, ...headers } });

/** The payload config.js pushes. */
async function payloadOf(res: Response): Promise<any> {
  const text = await res.text();
  const pushed: any[] = [];
  new Function("window", text)({ pathlightExperiences: pushed });
  return pushed[0];
}

describe("experiences API", () => {
  it("walks the lifecycle: draft → published ⇄ paused → archived, with 409s", async () => {
    const cid = await newAccount();
    const exp = await create(cid, slideout());
    expect(exp).toMatchObject({ status: "draft", widget_type: "message", variations: [{ id: "a", share: 100 }] });
    expect((await api(cid, "")).status).toBe(200);
    expect((await patch(cid, exp.id, { status: "published" })).status).toBe(200);
    const del = await api(cid, `/${exp.id}`, "DELETE");
    expect(del.status).toBe(409);
    expect((await del.json()).errors[0].path).toBe("status");
    expect((await patch(cid, exp.id, { status: "draft" })).status).toBe(409);
    expect((await patch(cid, exp.id, { status: "paused" })).status).toBe(200);
    expect((await patch(cid, exp.id, { status: "archived" })).status).toBe(200);
    const edit = await patch(cid, exp.id, { name: "Renamed" });
    expect(edit.status).toBe(409);
    expect((await (await api(cid, `/${exp.id}`)).json()).data.name).toBe("Hiking picks");
    expect((await api(cid, `/${exp.id}`, "DELETE")).status).toBe(200);
    expect((await api(cid, `/${exp.id}`)).status).toBe(404);
  });

  it("answers 422 naming the fields at fault, and 401/403 without the right token", async () => {
    const cid = await newAccount();
    const res = await api(cid, "", "POST", { name: "", tactic: "nope", variations: [] });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.status).toBe(422);
    const paths = body.errors.map((e: any) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "tactic", "variations"]));
    expect((await call(`/api/experience?cid=${cid}`)).status).toBe(401);
    const token = await (await admin(`/api/token?cid=${cid}`, "POST", { name: "r", role: "reader" })).json();
    const key = token.data?.token ?? token.data?.secret ?? token.token;
    const asReader = await call(`/api/experience?cid=${cid}`, {
      method: "POST",
      headers: { authorization: key, "content-type": "application/json" },
      body: JSON.stringify(slideout()),
    });
    expect(asReader.status).toBe(403);
  });

  it("archives by itself at the end date", async () => {
    const cid = await newAccount();
    const end = new Date(Date.now() + 1500).toISOString();
    const exp = await create(cid, slideout({ status: "published", dates: { end_date: end } }));
    expect(exp.status).toBe("published");
    expect((await payloadOf(await configJs(cid))).experiences).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 2500));
    // The alarm archived it, before any read could (reads archive what is due too).
    const ns = (env as unknown as { EXPERIENCES: DurableObjectNamespace }).EXPERIENCES;
    const stored = await runInDurableObject(ns.get(ns.idFromName(`store:${cid}`)), async (_o, state) => ({
      row: state.storage.sql.exec<{ body: string }>("SELECT body FROM experiences").toArray()[0]!.body,
      alarm: await state.storage.getAlarm(),
    }));
    expect(JSON.parse(stored.row).status).toBe("archived");
    expect(stored.alarm).toBeNull();
    expect((await (await api(cid, `/${exp.id}`)).json()).data.status).toBe("archived");
    expect((await payloadOf(await configJs(cid))).experiences).toHaveLength(0);
    expect((await patch(cid, exp.id, { status: "published" })).status).toBe(409);
  });

  it("merges vehicle.detail_override over the editor's widget; string callbacks only when the account allows them", async () => {
    const cid = await newAccount();
    const exp = await create(cid, { ...slideout(), tactic: "collect_leads", status: "published" });
    const override = {
      vehicle: {
        detail_override: {
          headline: "Join the trail club",
          formElements: [{ type: "email", required: true, label: "Email", name: "email" }],
          confirmAction: { callback: "function(){window.hit=1}" },
        },
      },
    };
    const res = await patch(cid, exp.id, override);
    expect(res.status).toBe(200);
    expect((await res.json()).data.string_callbacks).toEqual(["vehicle.detail_override.confirmAction.callback"]);
    let widget = (await payloadOf(await configJs(cid))).experiences[0].variations[0].widget;
    expect(widget).toMatchObject({
      id: `${exp.id}-a`,
      layout: "slideout",
      headline: "Join the trail club",
      msg: "Read our guides",
      formElements: [{ type: "email", name: "email" }],
    });
    expect(JSON.stringify(widget)).not.toContain("window.hit");
    await admin("/api/account", "PUT", { allow_string_callbacks: true }).then(() => undefined);
    await admin(`/api/account?cid=${cid}`, "PUT", { allow_string_callbacks: true });
    const payload = await payloadOf(await configJs(cid));
    widget = payload.experiences[0].variations[0].widget;
    expect(widget.confirmAction.callback).toBe("function(){window.hit=1}");
    expect(payload.string_callbacks).toBe(true);
  });
});

describe("config.js", () => {
  it("carries published experiences only, with an ETag that changes on every edit", async () => {
    const cid = await newAccount();
    const draft = await create(cid, slideout({ name: "Draft" }));
    const first = await configJs(cid);
    expect(first.headers.get("content-type")).toContain("javascript");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await payloadOf(first)).experiences).toEqual([]);
    expect((await configJs(cid, { "if-none-match": etag })).status).toBe(304);

    await patch(cid, draft.id, { status: "published" });
    const published = await configJs(cid, { "if-none-match": etag });
    expect(published.status).toBe(200);
    const payload = await payloadOf(published);
    expect(payload.experiences.map((e: any) => e.id)).toEqual([draft.id]);
    expect(payload.experiences[0]).toMatchObject({ factory: "Message", include: ["hiking_fans"], exclude: [] });

    const etag2 = published.headers.get("etag")!;
    await patch(cid, draft.id, { name: "Edited", variations: [{ widget: { layout: "modal", msg: "Changed" } }] });
    const edited = await configJs(cid, { "if-none-match": etag2 });
    expect(edited.status).toBe(200);
    expect((await payloadOf(edited)).experiences[0].variations[0].widget.layout).toBe("modal");

    await patch(cid, draft.id, { status: "paused" });
    expect((await payloadOf(await configJs(cid))).experiences).toEqual([]);
  });

  it("refuses origins outside the account's allowlist", async () => {
    const cid = await newAccount();
    const res = await call(`/api/experience/candidate/${cid}/config.js`, {
      headers: { origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
  });
});

/** A tracking event the widgets send through the tag. */
const widgetEvent = (uid: string, eid: string, widgetId: string, event: string) => ({
  _uid: uid,
  _eid: eid,
  _e: "pf-widget",
  "pf-widget-id": widgetId,
  "pf-widget-event": event,
});

describe("delivery and measurement", () => {
  it("lists eligible experiences in /personalize and /campaigns/query, by audience", async () => {
    const cid = await newAccount();
    await audience(cid, "hiking_fans", "FILTER AND (hiking_views >= 2) FROM user");
    const exp = await create(cid, slideout({ status: "published" }));
    await collect(cid, { _uid: "fan1", _e: "pv", hiking_views: 1 });
    await collect(cid, { _uid: "fan1", _e: "pv", hiking_views: 2 });
    await collect(cid, { _uid: "other", _e: "pv", hiking_views: 1 });
    const fan = await personalize(cid, "fan1");
    expect(fan.body.data.user.segments).toContain("hiking_fans");
    expect(fan.body.data.experiences).toEqual([
      expect.objectContaining({ id: exp.id, variation: "a", widget: expect.objectContaining({ id: `${exp.id}-a` }) }),
    ]);
    expect((await personalize(cid, "other")).body.data.experiences).toEqual([]);

    const campaigns = await call("/campaigns/query", {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json" },
      body: JSON.stringify({ account: cid, visitorId: "fan1", platform: "localhost", event: "pageView" }),
    });
    const body = await campaigns.json();
    expect(body).toMatchObject({ status: 200, message: "Campaigns executed successfully." });
    expect(body.campaigns.map((c: any) => [c.id, c.variation])).toEqual([[exp.id, "a"]]);
  });

  it("assigns variations stickily and deterministically, the split within tolerance", async () => {
    const cid = await newAccount();
    const exp = await create(cid, {
      ...slideout({ targeting: { include: [] }, status: "published" }),
      variations: [{ widget: { msg: "A" } }, { widget: { msg: "B" } }],
      control_share: 20,
    });
    const counts: Record<string, number> = {};
    for (let i = 0; i < 60; i++) {
      const seen = new Set<string>();
      for (let j = 0; j < 2; j++) {
        const res = await call("/campaigns/query", {
          method: "POST",
          headers: { origin: ORIGIN, "content-type": "application/json" },
          body: JSON.stringify({ account: cid, visitorId: `v${i}`, platform: "localhost", event: "pageView" }),
        });
        seen.add((await res.json()).campaigns[0].variation);
      }
      expect(seen.size).toBe(1);
      const v = [...seen][0]!;
      counts[v] = (counts[v] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(["a", "b", "control"]);
    expect(counts.control!).toBeGreaterThan(3);
    expect(counts.control!).toBeLessThan(25);
    expect(exp.variations.map((v: any) => v.share)).toEqual([40, 40]);
  }, 60_000);

  it("counts reach and conversions once per profile from a stream with duplicates; campaign-data audiences", async () => {
    const cid = await newAccount();
    const exp = await create(cid, {
      ...slideout({ targeting: { include: [] }, status: "published" }),
      tactic: "collect_leads",
      variations: [{ widget: { msg: "A" } }, { widget: { msg: "B" } }],
    });
    const a = `${exp.id}-a`;
    const b = `${exp.id}-b`;
    await audience(
      cid,
      "reached_a_not_converted",
      `FILTER AND (experiences_reached = "${exp.id}:a", NOT experiences_converted = "${exp.id}") FROM user`,
    );
    const stream = [
      widgetEvent("p1", "e1", a, "show"),
      widgetEvent("p1", "e1", a, "show"), // retried
      widgetEvent("p1", "e2", a, "show"), // shown again: no new reach
      widgetEvent("p1", "e3", a, "submit"),
      widgetEvent("p1", "e3", a, "submit"), // retried
      widgetEvent("p2", "e4", a, "show"),
      widgetEvent("p3", "e5", b, "show"),
      widgetEvent("p3", "e6", b, "close"),
      widgetEvent("p4", "e7", b, "submit"), // conversion before show counts the reach
      widgetEvent("p4", "e8", b, "show"),
      { ...widgetEvent("p5", "e9", "promo", "show") }, // a site's own widget: ignored
    ];
    for (const e of stream) expect((await collect(cid, e)).status).toBe(200);
    const report = (await (await api(cid, `/${exp.id}/report`)).json()).data;
    const byId = Object.fromEntries(report.variations.map((v: any) => [v.id, v]));
    expect(byId.a).toMatchObject({ reach: 2, conversions: 1, conversion_rate: 0.5, events: { show: 3, submit: 1 } });
    expect(byId.b).toMatchObject({ reach: 2, conversions: 1, events: { show: 2, close: 1, submit: 1 } });
    expect(report.totals).toEqual({ reach: 4, conversions: 2, conversion_rate: 0.5 });
    expect(byId.a.series.at(-1)).toMatchObject({ reach: 2, conversions: 1 });

    const p2 = await admin(`/api/entity/user/_uid/p2?cid=${cid}&segments=true`);
    const p2Body = await p2.json();
    expect(p2Body.data.experiences_reached).toEqual([exp.id, `${exp.id}:a`]);
    expect(p2Body.data.segments ?? p2Body.meta?.segments ?? []).toContain("reached_a_not_converted");
    const p1 = (await (await admin(`/api/entity/user/_uid/p1?cid=${cid}&segments=true`)).json()).data;
    expect(p1.experiences_converted).toEqual([exp.id, `${exp.id}:a`]);
  });

  it("keeps what a merged-away profile reached and converted on (fields combine on merge)", async () => {
    const cid = await newAccount();
    const exp = await create(cid, {
      ...slideout({ targeting: { include: [] }, status: "published" }),
      tactic: "collect_leads",
      variations: [{ widget: { msg: "A" } }],
    });
    const a = `${exp.id}-a`;
    // The laptop's profile is older; the phone's, which met the experience, is merged into it.
    expect((await collect(cid, widgetEvent("laptop", "m0", "promo", "show"))).status).toBe(200);
    expect((await collect(cid, widgetEvent("phone", "m1", a, "show"))).status).toBe(200);
    expect((await collect(cid, widgetEvent("phone", "m2", a, "submit"))).status).toBe(200);
    // The server says both browsers are one person: the older profile survives.
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { _uid: "laptop", user_id: "u-merge" });
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { _uid: "phone", user_id: "u-merge" });
    const laptop = (await (await admin(`/api/entity/user/_uid/laptop?cid=${cid}`)).json()).data;
    const phone = (await (await admin(`/api/entity/user/_uid/phone?cid=${cid}`)).json()).data;
    expect(laptop._uids.sort()).toEqual(["laptop", "phone"]);
    expect(phone.experiences_reached).toEqual([exp.id, `${exp.id}:a`]);
    expect(laptop.experiences_reached).toEqual([exp.id, `${exp.id}:a`]);
    expect(laptop.experiences_converted).toEqual([exp.id, `${exp.id}:a`]);
  });
});
