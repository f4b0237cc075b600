/**
 * The experience resource: creating one from a `POST` body, applying a
 * `PATCH`, and the rules that tie its fields together. Pure: ids and times
 * come from the caller, storage is someone else's.
 *
 * Defaults: variations without `id` get the first free of `a`, `b`, `c`…;
 * without `name`, "Variation A"…; when no variation has a `share`, the
 * traffic left by `control_share` (default 0) is split evenly (two
 * decimals, the first variations taking the rounding). Either every
 * variation has a share or none. Shares plus `control_share` add up to 100.
 */
import type { Experience, ExperienceProblem, FieldError, JsonObject, Outcome, Variation } from "./contract";
import { checkEditable, checkTransition } from "./lifecycle";
import { findStringCallbacks } from "./override";
import {
  ExperienceCreateSchema,
  ExperiencePatchSchema,
  fieldErrors,
  type ExperiencePatchInput,
  type VariationInput,
} from "./input";
import { tacticSpec } from "./tactics";

const invalid = (message: string, errors: FieldError[]): ExperienceProblem => ({ kind: "invalid", message, errors });
const fail = (problem: ExperienceProblem): { ok: false; problem: ExperienceProblem } => ({ ok: false, problem });

/** A new experience id: 32 lower-case hex characters (128 random bits), like Lytics'. */
export function newExperienceId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The Pathfora widget id of a variation: `{experience id}-{variation id}`. */
export function widgetId(experienceId: string, variationId: string): string {
  return `${experienceId}-${variationId}`;
}

/** `{experience id}-{variation id}` parsed back (defined beside the profile-side fold). */
export { parseWidgetId } from "../profiles/experiences/report-model";

/** Fills ids, names and shares of variations as sent. */
function normalizeVariations(
  inputs: VariationInput[],
  controlShare: number,
): { variations: Variation[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const withShare = inputs.filter((v) => v.share !== undefined).length;
  if (withShare !== 0 && withShare !== inputs.length)
    errors.push({ path: "variations", message: "give every variation a share, or none to split evenly" });
  const taken = new Set(inputs.flatMap((v) => (v.id ? [v.id] : [])));
  let next = 0;
  const freeId = () => {
    for (;;) {
      const id = next < 26 ? String.fromCharCode(97 + next) : `v${next}`;
      next++;
      if (!taken.has(id)) {
        taken.add(id);
        return id;
      }
    }
  };
  const left = Math.round((100 - controlShare) * 100);
  const even = Math.floor(left / inputs.length);
  const variations = inputs.map((v, i): Variation => {
    const id = v.id ?? freeId();
    const share = v.share ?? (even + (i < left - even * inputs.length ? 1 : 0)) / 100;
    const out: Variation = {
      id,
      name: v.name ?? `Variation ${id.toUpperCase()}`,
      share,
      widget: v.widget as JsonObject,
    };
    if (v.link) out.link = v.link;
    return out;
  });
  return { variations, errors };
}

/** Errors of fields that do not fit together (shares, ids, links, dates, targeting). */
export function crossFieldErrors(e: Omit<Experience, "string_callbacks" | "widget_type">): FieldError[] {
  const errors: FieldError[] = [];
  const total = e.variations.reduce((sum, v) => sum + Math.round(v.share * 100), 0) + Math.round(e.control_share * 100);
  if (total !== 10_000)
    errors.push({
      path: "variations",
      message: `variation shares plus control_share must add up to 100 (they add up to ${total / 100})`,
    });
  if (!e.variations.some((v) => v.share > 0))
    errors.push({ path: "variations", message: "at least one variation needs a share above 0" });
  const seen = new Set<string>();
  e.variations.forEach((v, i) => {
    if (seen.has(v.id)) errors.push({ path: `variations.${i}.id`, message: `duplicate variation id "${v.id}"` });
    seen.add(v.id);
    if (tacticSpec(e.tactic).needs_link && !v.link)
      errors.push({ path: `variations.${i}.link`, message: "drive traffic: the link the call to action goes to" });
  });
  const { start_date, end_date } = e.dates;
  if (start_date && end_date && Date.parse(end_date) <= Date.parse(start_date))
    errors.push({ path: "dates.end_date", message: "after start_date" });
  const include = new Set(e.targeting.include);
  e.targeting.exclude.forEach((slug, i) => {
    if (include.has(slug))
      errors.push({ path: `targeting.exclude.${i}`, message: `"${slug}" is both included and excluded` });
  });
  return errors;
}

/** Computed fields: the widget type and the string callbacks' paths. */
function withComputed(e: Omit<Experience, "string_callbacks" | "widget_type">): Experience {
  const string_callbacks = [
    ...e.variations.flatMap((v, i) => findStringCallbacks(v.widget, `variations.${i}.widget`)),
    ...(e.vehicle.detail_override ? findStringCallbacks(e.vehicle.detail_override, "vehicle.detail_override") : []),
  ];
  return { ...e, widget_type: tacticSpec(e.tactic).type, string_callbacks };
}

const toIso = (d: string | null | undefined) => (d ? new Date(Date.parse(d)).toISOString() : null);

/**
 * The experience a `POST /api/experience` body describes, or a 422-kind
 * problem listing every field at fault.
 */
export function createExperience(body: unknown, ctx: { id: string; now: Date }): Outcome<Experience> {
  const parsed = ExperienceCreateSchema.safeParse(body);
  if (!parsed.success) return fail(invalid("invalid experience", fieldErrors(parsed.error)));
  const input = parsed.data;
  const control_share = input.control_share ?? 0;
  const { variations, errors } = normalizeVariations(input.variations, control_share);
  const now = ctx.now.toISOString();
  const draft = {
    id: ctx.id,
    name: input.name,
    description: input.description ?? "",
    tactic: input.tactic,
    variations,
    control_share,
    targeting: { include: input.targeting?.include ?? [], exclude: input.targeting?.exclude ?? [] },
    display_conditions: (input.display_conditions ?? {}) as Experience["display_conditions"],
    dates: { start_date: toIso(input.dates?.start_date), end_date: toIso(input.dates?.end_date) },
    status: "draft" as const,
    vehicle: { detail_override: (input.vehicle?.detail_override ?? null) as JsonObject | null },
    goal: input.goal ?? null,
    published: null,
    created: now,
    updated: now,
  };
  errors.push(...crossFieldErrors(draft));
  if (errors.length) return fail(invalid("invalid experience", errors));
  const experience = withComputed(draft);
  if (input.status !== "published") return { ok: true, value: experience };
  const moved = checkTransition(experience, "published", ctx.now);
  if (!moved.ok) return moved;
  return { ok: true, value: { ...experience, status: "published", published: now } };
}

/**
 * `current` with a `PATCH` body applied at `now`, or a problem: 409-kind
 * when `current` is archived or the status change is not allowed, 422-kind
 * when fields are wrong or do not fit together.
 */
export function patchExperience(current: Experience, body: unknown, now: Date): Outcome<Experience> {
  const readOnly = checkEditable(current);
  if (readOnly) return fail(readOnly);
  const parsed = ExperiencePatchSchema.safeParse(body);
  if (!parsed.success) return fail(invalid("invalid experience", fieldErrors(parsed.error)));
  const p: ExperiencePatchInput = parsed.data;
  const control_share = p.control_share ?? current.control_share;
  const errors: FieldError[] = [];
  let variations = current.variations;
  if (p.variations) {
    const normalized = normalizeVariations(p.variations, control_share);
    variations = normalized.variations;
    errors.push(...normalized.errors);
  }
  const detail_override =
    p.vehicle && "detail_override" in p.vehicle
      ? ((p.vehicle.detail_override ?? null) as JsonObject | null)
      : current.vehicle.detail_override;
  const next = {
    ...current,
    name: p.name ?? current.name,
    description: p.description ?? current.description,
    tactic: p.tactic ?? current.tactic,
    variations,
    control_share,
    targeting: {
      include: p.targeting?.include ?? current.targeting.include,
      exclude: p.targeting?.exclude ?? current.targeting.exclude,
    },
    display_conditions: (p.display_conditions ?? current.display_conditions) as Experience["display_conditions"],
    dates: {
      start_date: p.dates && "start_date" in p.dates ? toIso(p.dates.start_date) : current.dates.start_date,
      end_date: p.dates && "end_date" in p.dates ? toIso(p.dates.end_date) : current.dates.end_date,
    },
    vehicle: { ...current.vehicle, detail_override },
    goal: p.goal === undefined ? current.goal : p.goal,
    updated: now.toISOString(),
  };
  errors.push(...crossFieldErrors(next));
  if (errors.length) return fail(invalid("invalid experience", errors));
  const status = p.status ?? current.status;
  const moved = checkTransition(next, status, now);
  if (!moved.ok) return moved;
  const published = current.published ?? (status === "published" ? now.toISOString() : null);
  return { ok: true, value: withComputed({ ...next, status, published }) };
}
