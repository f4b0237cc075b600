import { describe, expect, it } from "vitest";
import type { Experience, ExperienceStatus } from "../../../../edge/experiences/contract";
import {
  archiveIfDue,
  checkDeletable,
  checkEditable,
  checkTransition,
  isArchiveDue,
  nextArchiveAt,
} from "../../../../edge/experiences/model/lifecycle";

const now = new Date("2026-06-15T12:00:00Z");
const at = (status: ExperienceStatus, end_date: string | null = null) => ({
  status,
  dates: { start_date: null, end_date },
});

describe("lifecycle", () => {
  it("goes draft → published ⇄ paused → archived", () => {
    const ok = (from: ExperienceStatus, to: ExperienceStatus) => checkTransition(at(from), to, now).ok;
    expect(ok("draft", "published")).toBe(true);
    expect(ok("published", "paused")).toBe(true);
    expect(ok("paused", "published")).toBe(true);
    expect(ok("paused", "archived")).toBe(true);
    expect(ok("published", "archived")).toBe(true);
    expect(ok("published", "published")).toBe(true);
  });

  it("refuses the other moves with a 409-kind problem naming the status", () => {
    for (const [from, to] of [
      ["draft", "paused"],
      ["draft", "archived"],
      ["published", "draft"],
      ["paused", "draft"],
      ["archived", "published"],
      ["archived", "archived"],
    ] as [ExperienceStatus, ExperienceStatus][]) {
      const r = checkTransition(at(from), to, now);
      expect(r.ok, `${from} → ${to}`).toBe(false);
      if (!r.ok) {
        expect(r.problem.kind).toBe("conflict");
        expect(r.problem.errors[0]?.path).toBe("status");
      }
    }
  });

  it("refuses to publish or resume past the end date", () => {
    const r = checkTransition(at("paused", "2026-06-01T00:00:00Z"), "published", now);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.errors[0]?.path).toBe("dates.end_date");
    expect(checkTransition(at("draft", "2026-07-01T00:00:00Z"), "published", now).ok).toBe(true);
  });

  it("makes archived experiences read-only and refuses deleting a published one until paused", () => {
    expect(checkEditable(at("archived"))?.kind).toBe("conflict");
    expect(checkEditable(at("published"))).toBeUndefined();
    expect(checkDeletable(at("published"))?.message).toMatch(/pause/);
    for (const s of ["draft", "paused", "archived"] as const) expect(checkDeletable(at(s))).toBeUndefined();
  });

  it("archives published and paused experiences by themselves at their end date", () => {
    const end = "2026-06-15T12:00:00.000Z";
    expect(isArchiveDue(at("published", end), new Date(Date.parse(end) - 1))).toBe(false);
    expect(isArchiveDue(at("published", end), now)).toBe(true);
    expect(isArchiveDue(at("paused", end), now)).toBe(true);
    expect(isArchiveDue(at("draft", end), now)).toBe(false);
    const exp = { ...at("published", end), updated: "2026-01-01T00:00:00.000Z" } as unknown as Experience;
    expect(archiveIfDue(exp, now)).toMatchObject({ status: "archived", updated: now.toISOString() });
    expect(archiveIfDue(exp, new Date("2026-06-01T00:00:00Z"))).toBe(exp);
  });

  it("tells the alarm the earliest end date of the running experiences", () => {
    expect(
      nextArchiveAt([
        at("published", "2026-08-01T00:00:00Z"),
        at("paused", "2026-07-01T00:00:00Z"),
        at("draft", "2026-06-20T00:00:00Z"),
        at("archived", "2026-06-16T00:00:00Z"),
        at("published"),
      ]),
    ).toBe(Date.parse("2026-07-01T00:00:00Z"));
    expect(nextArchiveAt([at("draft", "2026-07-01T00:00:00Z"), at("published")])).toBeNull();
  });
});
