import { describe, expect, it } from "vitest";
import type { Experience } from "../../../../edge/experiences/contract";
import {
  createExperience,
  newExperienceId,
  parseWidgetId,
  patchExperience,
  widgetId,
} from "../../../../edge/experiences/model/experience";
import { editorWidget, OVERRIDE_EXPERIENCE_ID, overridePatchBody } from "../fixtures";

const now = new Date("2026-06-15T12:00:00Z");
const later = new Date("2026-06-16T12:00:00Z");

function create(body: unknown, id = OVERRIDE_EXPERIENCE_ID): Experience {
  const r = createExperience(body, { id, now });
  if (!r.ok) throw new Error(JSON.stringify(r.problem));
  return r.value;
}
function problem(r: ReturnType<typeof createExperience>) {
  if (r.ok) throw new Error("expected a problem");
  return r.problem;
}
const paths = (r: ReturnType<typeof createExperience>) => problem(r).errors.map((e) => e.path);

/** The reference's editor steps: Capture Leads, slideout, own CSS class, an audience, display conditions. */
const captureLeads = {
  name: "Feed subscriptions slideout",
  tactic: "capture_leads",
  variations: [{ widget: editorWidget }],
  targeting: { include: ["high_intensity_anonymous"] },
  display_conditions: { urlContains: ["/blog/"] },
};

describe("creating an experience", () => {
  it("saves the reference's Capture Leads slideout as a draft form experience", () => {
    const e = create(captureLeads);
    expect(e).toMatchObject({
      id: OVERRIDE_EXPERIENCE_ID,
      name: "Feed subscriptions slideout",
      tactic: "collect_leads",
      widget_type: "form",
      status: "draft",
      control_share: 0,
      targeting: { include: ["high_intensity_anonymous"], exclude: [] },
      dates: { start_date: null, end_date: null },
      vehicle: { detail_override: null },
      string_callbacks: [],
      published: null,
      created: now.toISOString(),
      updated: now.toISOString(),
    });
    expect(e.variations).toEqual([{ id: "a", name: "Variation A", share: 100, widget: editorWidget }]);
  });

  it("splits traffic evenly when no share is given, after the control group", () => {
    const w = { widget: { headline: "Hi" } };
    const shares = (body: object) => create({ name: "x", tactic: "present_message", ...body }).variations;
    expect(shares({ variations: [w, w, w], control_share: 10 }).map((v) => v.share)).toEqual([30, 30, 30]);
    expect(shares({ variations: [w, w, w] }).map((v) => v.share)).toEqual([33.34, 33.33, 33.33]);
    expect(shares({ variations: [{ ...w, id: "b" }, w] }).map((v) => v.id)).toEqual(["b", "a"]);
  });

  it("can publish at creation, and stamps the first publication", () => {
    const e = create({ ...captureLeads, status: "published" });
    expect(e).toMatchObject({ status: "published", published: now.toISOString() });
  });

  it("names the field of every validation error", () => {
    const r = createExperience(
      {
        tactic: "spin_wheel",
        variations: [{ widget: { id: "mine", layout: "popup", displayConditions: { showDelay: "soon" } } }],
        display_conditions: { urlContains: [{ match: "regex", value: "(" }] },
        targeting: { include: ["Bad Slug!"] },
        dates: { end_date: "tomorrow" },
        colour: "red",
      },
      { id: OVERRIDE_EXPERIENCE_ID, now },
    );
    expect(problem(r).kind).toBe("invalid");
    expect(paths(r).sort()).toEqual(
      [
        "colour",
        "dates.end_date",
        "display_conditions.urlContains.0.value",
        "name",
        "tactic",
        "targeting.include.0",
        "variations.0.widget.displayConditions.showDelay",
        "variations.0.widget.id",
        "variations.0.widget.layout",
      ].sort(),
    );
    expect(problem(r).errors.find((e) => e.path === "colour")?.message).toBe("unknown field");
  });

  it("checks fields that must fit together", () => {
    const w = { widget: { headline: "Hi" } };
    expect(
      paths(
        createExperience(
          {
            name: "x",
            tactic: "present_message",
            variations: [
              { ...w, share: 60 },
              { ...w, share: 30 },
            ],
          },
          { id: "e", now },
        ),
      ),
    ).toEqual(["variations"]);
    expect(
      paths(
        createExperience(
          { name: "x", tactic: "present_message", variations: [{ ...w, share: 60 }, w] },
          { id: "e", now },
        ),
      ),
    ).toContain("variations");
    expect(paths(createExperience({ name: "x", tactic: "drive_traffic", variations: [w] }, { id: "e", now }))).toEqual([
      "variations.0.link",
    ]);
    expect(
      paths(
        createExperience(
          {
            name: "x",
            tactic: "present_message",
            variations: [
              { ...w, id: "a" },
              { ...w, id: "a" },
            ],
          },
          { id: "e", now },
        ),
      ),
    ).toEqual(["variations.1.id"]);
    expect(
      paths(
        createExperience(
          { name: "x", tactic: "present_message", variations: [{ ...w, id: "control" }] },
          { id: "e", now },
        ),
      ),
    ).toEqual(["variations.0.id"]);
    expect(
      paths(
        createExperience(
          {
            name: "x",
            tactic: "present_message",
            variations: [w],
            dates: { start_date: "2026-07-01", end_date: "2026-06-01" },
          },
          { id: "e", now },
        ),
      ),
    ).toEqual(["dates.end_date"]);
    expect(
      paths(
        createExperience(
          { name: "x", tactic: "present_message", variations: [w], targeting: { include: ["a"], exclude: ["a"] } },
          { id: "e", now },
        ),
      ),
    ).toEqual(["targeting.exclude.0"]);
    expect(
      paths(
        createExperience(
          { name: "x", tactic: "present_message", variations: [w], control_share: 100 },
          { id: "e", now },
        ),
      ),
    ).toEqual(["control_share"]);
  });

  it("lets any other Pathfora key through untouched", () => {
    const e = create({
      name: "x",
      tactic: "present_message",
      variations: [{ widget: { futureOption: { a: [1, "b"] } } }],
    });
    expect(e.variations[0]!.widget).toEqual({ futureOption: { a: [1, "b"] } });
  });

  it("refuses configurations past the size and depth limits", () => {
    let deep: object = {};
    for (let i = 0; i < 20; i++) deep = { x: deep };
    const tooDeep = createExperience(
      { name: "x", tactic: "present_message", variations: [{ widget: deep }] },
      { id: "e", now },
    );
    expect(paths(tooDeep)).toEqual(["variations.0.widget"]);
    const big = createExperience(
      {
        name: "x",
        tactic: "present_message",
        variations: [
          {
            widget: {
              headline: "x".repeat(9000),
              msg: "y".repeat(9000),
              footerText: "z".repeat(9000),
              okMessage: "ok",
              content: [{ a: "q".repeat(9000) }],
            },
          },
        ],
      },
      { id: "e", now },
    );
    expect(problem(big).errors[0]).toMatchObject({
      path: "variations.0.widget",
      message: expect.stringMatching(/larger than/),
    });
  });
});

describe("patching an experience", () => {
  it("stores the reference's detail_override and flags its string callback", () => {
    const r = patchExperience(create(captureLeads), overridePatchBody, later);
    if (!r.ok) throw new Error(JSON.stringify(r.problem));
    expect(r.value.vehicle.detail_override).toEqual(overridePatchBody.vehicle.detail_override);
    expect(r.value.string_callbacks).toEqual(["vehicle.detail_override.confirmAction.callback"]);
    expect(r.value.variations[0]!.widget).toEqual(editorWidget);
    expect(r.value.updated).toBe(later.toISOString());
    expect(r.value.created).toBe(now.toISOString());
    const removed = patchExperience(r.value, { vehicle: { detail_override: null } }, later);
    expect(removed.ok && removed.value.vehicle.detail_override).toBeNull();
    expect(removed.ok && removed.value.string_callbacks).toEqual([]);
  });

  it("accepts null inside an override (it deletes the editor's key) but still checks the types of the rest", () => {
    const e = create(captureLeads);
    expect(
      patchExperience(
        e,
        { vehicle: { detail_override: { className: null, displayConditions: { showDelay: null } } } },
        later,
      ).ok,
    ).toBe(true);
    const bad = patchExperience(e, { vehicle: { detail_override: { layout: "popup", id: "x" } } }, later);
    expect(!bad.ok && bad.problem.errors.map((x) => x.path).sort()).toEqual([
      "vehicle.detail_override.id",
      "vehicle.detail_override.layout",
    ]);
  });

  it("changes only the fields sent; targeting and dates by key", () => {
    const e = create({ ...captureLeads, dates: { start_date: "2026-06-01T00:00:00Z" } });
    const r = patchExperience(e, { targeting: { exclude: ["customers"] }, dates: { end_date: "2026-12-31" } }, later);
    if (!r.ok) throw new Error(JSON.stringify(r.problem));
    expect(r.value.targeting).toEqual({ include: ["high_intensity_anonymous"], exclude: ["customers"] });
    expect(r.value.dates).toEqual({ start_date: "2026-06-01T00:00:00.000Z", end_date: "2026-12-31T00:00:00.000Z" });
    expect(r.value.name).toBe(e.name);
  });

  it("moves through the lifecycle and keeps the first publication time", () => {
    const e = create(captureLeads);
    const step = (from: Experience, status: string, at: Date) => {
      const r = patchExperience(from, { status }, at);
      if (!r.ok) throw new Error(r.problem.message);
      return r.value;
    };
    const resumed = step(step(step(e, "published", now), "paused", later), "published", later);
    expect(resumed).toMatchObject({ status: "published", published: now.toISOString() });
  });

  it("answers a conflict for any edit of an archived experience", () => {
    const archived = { ...create(captureLeads), status: "archived" as const };
    for (const body of [{ name: "renamed" }, { status: "published" }, {}]) {
      const r = patchExperience(archived, body, later);
      expect(!r.ok && r.problem.kind).toBe("conflict");
    }
  });

  it("publishes with a new end date in the same request, but not with one already past", () => {
    const e = create({ ...captureLeads, dates: { end_date: "2026-06-01T00:00:00Z" } });
    expect(!patchExperience(e, { status: "published" }, later).ok).toBe(true);
    expect(patchExperience(e, { status: "published", dates: { end_date: "2026-09-01" } }, later).ok).toBe(true);
  });

  it("keeps shares adding up when the control group changes", () => {
    const e = create(captureLeads);
    const r = patchExperience(e, { control_share: 20 }, later);
    expect(!r.ok && r.problem.errors[0]?.path).toBe("variations");
    const ok = patchExperience(
      e,
      { control_share: 20, variations: [{ widget: editorWidget }, { widget: editorWidget }] },
      later,
    );
    expect(ok.ok && ok.value.variations.map((v) => v.share)).toEqual([40, 40]);
  });
});

describe("ids", () => {
  it("makes 32-hex experience ids and widget ids that name the variation", () => {
    const id = newExperienceId();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(newExperienceId()).not.toBe(id);
    expect(parseWidgetId(widgetId(id, "b"))).toEqual({ experience_id: id, variation: "b" });
    expect(parseWidgetId("promo-banner")).toBeUndefined();
  });
});
