import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { configScript, scriptSafeJson } from "../../../../edge/experiences/delivery/config-script";
import type { ConfigPayload, Experience } from "../../../../edge/experiences/contract";
import { editorWidget, experience, overridePatchBody } from "../fixtures";

const now = new Date("2026-06-20T00:00:00Z");
const ids = { a: "a".repeat(32), b: "b".repeat(32), c: "c".repeat(32), d: "d".repeat(32), e: "e".repeat(32) };
const widget = { widget: { layout: "modal", headline: "Hello" } };
const base = { tactic: "present_message", variations: [widget] };

function account(): Experience[] {
  return [
    experience({ ...base, name: "published" }, { id: ids.a, patch: { status: "published" } }),
    experience({ ...base, name: "draft" }, { id: ids.b }),
    experience({ ...base, name: "paused" }, { id: ids.c, patch: { status: "published" } }),
    experience(
      { ...base, name: "ended", dates: { end_date: "2026-06-19T00:00:00Z" }, status: "published" },
      { id: ids.d },
    ),
    experience(
      { ...base, name: "future", dates: { start_date: "2026-07-01T00:00:00Z" }, status: "published" },
      { id: ids.e },
    ),
  ].map((e) => (e.name === "paused" ? { ...e, status: "paused" as const } : e));
}

/** Runs config.js as a browser would, returning what it pushed. */
function run(body: string): ConfigPayload[] {
  const window: { pathlightExperiences?: ConfigPayload[] } = {};
  vm.runInNewContext(body, { window });
  return window.pathlightExperiences!;
}

describe("config.js", () => {
  it("carries published experiences only (a future start is carried with its dates), never drafts", async () => {
    const { body, payload } = await configScript("demo", account(), { allowStringCallbacks: false, now });
    expect(payload.experiences.map((e) => e.id)).toEqual([ids.a, ids.e]);
    expect(payload.experiences[1]!.start).toBe(Date.parse("2026-07-01T00:00:00Z"));
    expect(run(body)).toEqual([payload]);
    expect(payload).toMatchObject({ v: 1, cid: "demo", string_callbacks: false });
  });

  it("queues onto a loader that is already there, or leaves an array for one that comes later", async () => {
    const { body, payload } = await configScript("demo", account(), { allowStringCallbacks: false, now });
    const seen: ConfigPayload[] = [];
    vm.runInNewContext(body, { window: { pathlightExperiences: { push: (p: ConfigPayload) => seen.push(p) } } });
    expect(seen).toEqual([payload]);
  });

  it("never contains code unless the account allows string callbacks", async () => {
    const e = experience(
      { name: "leads", tactic: "capture_leads", variations: [{ widget: editorWidget }], status: "published" },
      { patch: overridePatchBody },
    );
    const off = await configScript("demo", [e], { allowStringCallbacks: false, now });
    expect(off.body).not.toContain("XMLHttpRequest");
    expect(off.payload.string_callbacks).toBe(false);
    const on = await configScript("demo", [e], { allowStringCallbacks: true, now });
    expect(run(on.body)[0]!.experiences[0]!.variations[0]!.widget["confirmAction"]).toEqual(
      overridePatchBody.vehicle.detail_override["confirmAction"],
    );
    expect(on.payload.string_callbacks).toBe(true);
  });

  it("cannot be broken out of by configuration text", async () => {
    const nasty = '</script><script>alert(1)</script>\u2028\u2029 <!-- & "quotes" \\';
    const e = experience({
      ...base,
      name: nasty,
      variations: [{ widget: { headline: nasty, msg: nasty } }],
      status: "published",
    });
    const { body } = await configScript("demo", [e], { allowStringCallbacks: false, now });
    expect(body).not.toMatch(/[<>\u2028\u2029]/);
    expect(body.split("\n").filter(Boolean)).toHaveLength(1);
    expect(run(body)[0]!.experiences[0]!.variations[0]!.widget["headline"]).toBe(nasty);
    expect(scriptSafeJson("</script>")).toBe('"\\u003c/script\\u003e"');
  });

  it("has a strong ETag that changes with any publish, pause or edit, and only then", async () => {
    const opts = { allowStringCallbacks: false, now };
    const list = account();
    const first = await configScript("demo", list, opts);
    expect(first.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await configScript("demo", [...list].reverse(), opts)).etag).toBe(first.etag);
    const paused = list.map((e) => (e.id === ids.a ? { ...e, status: "paused" as const } : e));
    const edited = list.map((e) =>
      e.id === ids.a ? { ...e, variations: [{ ...e.variations[0]!, widget: { headline: "Hi" } }] } : e,
    );
    const republished = list.map((e) => (e.id === ids.c ? { ...e, status: "published" as const } : e));
    const draftEdit = list.map((e) => (e.id === ids.b ? { ...e, name: "renamed draft" } : e));
    const etags = await Promise.all([paused, edited, republished].map((l) => configScript("demo", l, opts)));
    expect(new Set([first.etag, ...etags.map((x) => x.etag)]).size).toBe(4);
    expect((await configScript("demo", draftEdit, opts)).etag).toBe(first.etag);
  });
});
