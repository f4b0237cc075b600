/**
 * Request schemas of the Experiences API (`POST /api/experience`, `PATCH
 * /api/experience/:id`); the widget configurations they carry are checked
 * by `widget.ts`. String callbacks are stored, listed in the resource's
 * `string_callbacks`, and only reach the browser when the account allows
 * string callbacks.
 *
 * Limits: 10 variations; 50 audiences in each of include and exclude;
 * 32 KiB of JSON per widget configuration and per override; nesting depth 12.
 */
import { z } from "@hono/zod-openapi";
import { CONTROL } from "../delivery/assignment";
import { parseTactic, TACTIC_NAMES, TACTICS } from "../model/tactics";
import { httpUrl, text } from "./values";
import { DetailOverrideSchema, DisplayConditionsSchema, WidgetConfigSchema } from "./widget";

/** Most variations per experience. */
export const MAX_VARIATIONS = 10;
/** Most audiences in `targeting.include` or `targeting.exclude`. */
export const MAX_AUDIENCES = 50;
const share = z
  .number()
  .min(0)
  .max(100)
  .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, "at most two decimals");

/** An audience slug. */
export const AudienceSlugSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, "an audience slug (letters, digits, _ . : -)");

const VariationInputSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9_]{1,32}$/, "lower-case letters, digits and _, at most 32")
    .refine((id) => id !== CONTROL, `"${CONTROL}" names the control group`)
    .optional(),
  name: text(200).optional(),
  share: share.optional(),
  widget: WidgetConfigSchema,
  link: z.strictObject({ url: httpUrl, new_tab: z.boolean().optional() }).optional(),
});
/** A variation as sent: `id`, `name` and `share` are filled in when missing. */
export type VariationInput = z.infer<typeof VariationInputSchema>;

const isoDate = z
  .string()
  .max(64)
  .refine((d) => /^\d{4}-\d{2}-\d{2}/.test(d) && !Number.isNaN(Date.parse(d)), "an ISO 8601 date");

const TargetingSchema = z.strictObject({
  include: z.array(AudienceSlugSchema).max(MAX_AUDIENCES).optional(),
  exclude: z.array(AudienceSlugSchema).max(MAX_AUDIENCES).optional(),
});
const DatesSchema = z.strictObject({
  start_date: isoDate.nullable().optional(),
  end_date: isoDate.nullable().optional(),
});
const tactic = z
  .string()
  .transform((name, ctx) => {
    const t = parseTactic(name);
    if (!t) ctx.addIssue({ code: "custom", message: `one of ${TACTICS.join(", ")}` });
    return t ?? z.NEVER;
  })
  .openapi({ type: "string", enum: [...TACTIC_NAMES] });

const common = {
  name: z.string().trim().min(1).max(200),
  description: text(2000),
  tactic,
  variations: z.array(VariationInputSchema).min(1).max(MAX_VARIATIONS),
  control_share: share.refine((n) => n < 100, "below 100: some visitors must see a variation"),
  targeting: TargetingSchema,
  display_conditions: DisplayConditionsSchema,
  dates: DatesSchema,
  vehicle: z.strictObject({ detail_override: DetailOverrideSchema.nullable().optional() }),
  goal: z.strictObject({ event: z.string().min(1).max(128) }).nullable(),
};

/** `POST /api/experience`. */
export const ExperienceCreateSchema = z
  .strictObject({
    name: common.name,
    description: common.description.optional(),
    tactic: common.tactic,
    variations: common.variations,
    control_share: common.control_share.optional(),
    targeting: common.targeting.optional(),
    display_conditions: common.display_conditions.optional(),
    dates: common.dates.optional(),
    vehicle: common.vehicle.optional(),
    goal: common.goal.optional(),
    status: z.enum(["draft", "published"]).optional(),
  })
  .openapi("ExperienceCreate");
export type ExperienceCreateInput = z.infer<typeof ExperienceCreateSchema>;

/**
 * `PATCH /api/experience/:id`: any field of the create body plus `status`.
 * `variations` replaces the list; `targeting` and `dates` change the keys
 * sent; `vehicle.detail_override` replaces the stored override (`null`
 * removes it).
 */
export const ExperiencePatchSchema = z
  .strictObject({
    name: common.name.optional(),
    description: common.description.optional(),
    tactic: common.tactic.optional(),
    variations: common.variations.optional(),
    control_share: common.control_share.optional(),
    targeting: common.targeting.optional(),
    display_conditions: common.display_conditions.optional(),
    dates: common.dates.optional(),
    vehicle: common.vehicle.optional(),
    goal: common.goal.optional(),
    status: z.enum(["draft", "published", "paused", "archived"]).optional(),
  })
  .openapi("ExperiencePatch");
export type ExperiencePatchInput = z.infer<typeof ExperiencePatchSchema>;
