/**
 * Request schemas of the Experiences API (`POST /api/experience`, `PATCH
 * /api/experience/:id`) and of the Pathfora widget configuration they carry.
 *
 * Widget configurations are JSON: every key Pathfora knows is checked for
 * its type (so `layout: "popup"` or `showDelay: "soon"` answer 422 naming
 * the field), and keys Pathfora may add later pass through untouched, so an
 * experience can carry anything Pathfora supports. Callback keys accept a
 * function expression as a string (the Lytics API-override way); such
 * strings are stored, listed in the resource's `string_callbacks`, and only
 * reach the browser when the account allows string callbacks. `id` is not
 * accepted: Pathlight names each widget `{experience id}-{variation id}` so
 * tracking events find their variation.
 *
 * Limits: 10 variations; 50 audiences in each of include and exclude;
 * 32 KiB of JSON per widget configuration and per override; nesting depth 12.
 */
import { z } from "@hono/zod-openapi";
import type { FieldError } from "./contract";
import { CONTROL } from "./delivery/assignment";
import { parseTactic, TACTICS } from "./model/tactics";

/** Most variations per experience. */
export const MAX_VARIATIONS = 10;
/** Most JSON bytes (UTF-16 units) of one widget configuration or override. */
export const MAX_CONFIG_CHARS = 32 * 1024;
/** Deepest nesting of a configuration. */
export const MAX_CONFIG_DEPTH = 12;
/** Most audiences in `targeting.include` or `targeting.exclude`. */
export const MAX_AUDIENCES = 50;

const text = (max = 10_000) => z.string().max(max);
const httpUrl = z
  .string()
  .max(2048)
  .refine((u) => {
    try {
      const { protocol } = new URL(u);
      return protocol === "https:" || protocol === "http:";
    } catch {
      return false;
    }
  }, "an absolute http(s) URL");

/** `function (...) {...}` as a string: stored, delivered only when the account allows string callbacks. */
const StringCallback = z.string().max(MAX_CONFIG_CHARS);

const compilableRegex = z
  .string()
  .max(1000)
  .refine((p) => {
    try {
      new RegExp(p);
      return true;
    } catch {
      return false;
    }
  }, "not a valid regular expression");

/** `confirmAction`, `cancelAction`, `closeAction`. */
export const WidgetActionSchema = z.looseObject({
  name: text(200).optional(),
  callback: StringCallback.optional(),
  close: z.boolean().optional(),
  waitForAsyncResponse: z.boolean().optional(),
  /** Pathlight: follow this link after the action (drive traffic). */
  url: httpUrl.optional(),
  new_tab: z.boolean().optional(),
});

const FormStateSchema = z.looseObject({
  headline: text().optional(),
  msg: text().optional(),
  okShow: z.boolean().optional(),
  okMessage: text(200).optional(),
  cancelShow: z.boolean().optional(),
  cancelMessage: text(200).optional(),
  delay: z.number().min(0).max(3600).optional(),
  confirmAction: WidgetActionSchema.optional(),
  cancelAction: WidgetActionSchema.optional(),
});

const FormElementSchema = z.looseObject({
  type: z.enum([
    "text",
    "input",
    "email",
    "textarea",
    "select",
    "checkbox-group",
    "radio-group",
    "us-postal-code",
    "date",
  ]),
  name: z.string().min(1).max(128),
  label: text(1000).optional(),
  placeholder: text(200).optional(),
  required: z.boolean().optional(),
  pattern: compilableRegex.optional(),
  minDate: text(32).optional(),
  maxDate: text(32).optional(),
  values: z
    .array(z.looseObject({ label: text(1000), value: text(1000) }))
    .max(100)
    .optional(),
});

const ImpressionSchema = z.looseObject({
  session: z.number().int().min(0).optional(),
  total: z.number().int().min(0).optional(),
  buffer: z.number().min(0).optional(),
  duration: z.number().min(0).optional(),
});
const ActionLimitSchema = z.looseObject({
  hideCount: z.number().int().min(0).optional(),
  duration: z.number().min(0).optional(),
});
const UrlRuleSchema = z.union([
  text(2048),
  z
    .looseObject({
      match: z.enum(["simple", "exact", "regex", "substring"]),
      value: text(2048),
      exclude: z.boolean().optional(),
    })
    .superRefine((rule, ctx) => {
      if (rule.match !== "regex") return;
      const r = compilableRegex.safeParse(rule.value);
      if (!r.success) ctx.addIssue({ code: "custom", path: ["value"], message: "not a valid regular expression" });
    }),
]);

/** Pathfora `displayConditions`, same keys and semantics. */
export const DisplayConditionsSchema = z.looseObject({
  showOnInit: z.boolean().optional(),
  showDelay: z.number().min(0).optional(),
  hideAfter: z.number().min(0).optional(),
  scrollPercentageToDisplay: z.number().min(0).max(100).optional(),
  displayWhenElementVisible: text(500).optional(),
  showOnExitIntent: z.boolean().optional(),
  manualTrigger: z.boolean().optional(),
  pageVisits: z.number().int().min(0).optional(),
  date: z.looseObject({ start_at: text(64).optional(), end_at: text(64).optional() }).optional(),
  impressions: z
    .looseObject({ widget: ImpressionSchema.optional(), global: ImpressionSchema.optional() })
    .and(ImpressionSchema)
    .optional(),
  hideAfterAction: z
    .looseObject({
      confirm: ActionLimitSchema.optional(),
      cancel: ActionLimitSchema.optional(),
      closed: ActionLimitSchema.optional(),
    })
    .optional(),
  urlContains: z.array(UrlRuleSchema).max(100).optional(),
  metaContains: z
    .array(z.record(z.string(), text(1000)))
    .max(50)
    .optional(),
  showOnMissingFields: z.boolean().optional(),
});

const RecommendSchema = z.looseObject({
  collection: text(128).optional(),
  contentsegment: text(128).optional(),
  ql: z.looseObject({ raw: text(10_000).optional() }).optional(),
  rank: text(64).optional(),
  limit: z.number().int().min(1).max(50).optional(),
  visited: z.boolean().optional(),
  shuffle: z.boolean().optional(),
  display: z.looseObject({}).optional(),
});

/** Is `value` JSON no deeper than `limit`? */
function depthWithin(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return true;
  if (limit === 0) return false;
  return Object.values(value).every((v) => depthWithin(v, limit - 1));
}

/** A JSON object within the size and depth limits. */
const boundedJson = <T extends z.ZodType>(schema: T) =>
  schema.superRefine((value, ctx) => {
    if (!depthWithin(value, MAX_CONFIG_DEPTH))
      ctx.addIssue({ code: "custom", message: `nested deeper than ${MAX_CONFIG_DEPTH} levels` });
    else if (JSON.stringify(value).length > MAX_CONFIG_CHARS)
      ctx.addIssue({ code: "custom", message: `larger than ${MAX_CONFIG_CHARS} characters of JSON` });
  });

const widgetShape = {
  layout: z.enum(["modal", "slideout", "bar", "button", "inline"]).optional(),
  position: text(64).optional(),
  positionSelector: text(500).optional(),
  origin: text(64).optional(),
  pushDown: text(500).optional(),
  responsive: z.boolean().optional(),
  variant: z.union([z.enum(["1", "2", "3"]), z.literal(1), z.literal(2), z.literal(3)]).optional(),
  theme: z.enum(["light", "dark", "custom", "none"]).optional(),
  colors: z.record(z.string(), text(100)).optional(),
  className: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_ -]*$/, "class names: letters, digits, - and _, separated by spaces")
    .optional(),
  headline: text().optional(),
  msg: text().optional(),
  image: text(2048).optional(),
  footerText: text().optional(),
  okMessage: text(200).optional(),
  cancelMessage: text(200).optional(),
  okShow: z.boolean().optional(),
  cancelShow: z.boolean().optional(),
  placeholders: z.record(z.string(), text(200)).optional(),
  required: z.record(z.string(), z.boolean()).optional(),
  fields: z.record(z.string(), z.boolean()).optional(),
  formElements: z.array(FormElementSchema).max(50).optional(),
  formStates: z.looseObject({ success: FormStateSchema.optional(), error: FormStateSchema.optional() }).optional(),
  success: FormStateSchema.optional(),
  showForm: z.boolean().optional(),
  confirmAction: WidgetActionSchema.optional(),
  cancelAction: WidgetActionSchema.optional(),
  closeAction: WidgetActionSchema.optional(),
  displayConditions: DisplayConditionsSchema.optional(),
  recommend: RecommendSchema.optional(),
  content: z.array(z.looseObject({})).max(50).optional(),
  censorTrackingKeys: z.array(text(200)).max(100).optional(),
  identify: z.boolean().optional(),
  onInit: StringCallback.optional(),
  onLoad: StringCallback.optional(),
  onClick: StringCallback.optional(),
  onModalOpen: StringCallback.optional(),
  onModalClose: StringCallback.optional(),
  onSubmit: StringCallback.optional(),
};

/** `id` is Pathlight's to assign. */
const NoId = z.undefined({ error: "assigned by Pathlight ({experience id}-{variation id}); leave it out" }).optional();

/** A Pathfora widget configuration (JSON; no `id`). */
export const WidgetConfigSchema = boundedJson(z.looseObject({ ...widgetShape, id: NoId })).openapi("WidgetConfig", {
  description: "A Pathfora widget configuration (the argument of `new pathfora.Message(...)`), as JSON, without `id`.",
});

/** `value` without its `null` members, at every depth (what the types of an override are checked on). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === null ? [] : [[k, withoutNulls(v)]])));
}

/**
 * `vehicle.detail_override`: any Pathfora configuration. `null` is allowed
 * at any depth (it deletes that key from the editor's configuration); the
 * other values are checked like a widget's. Stored as sent.
 */
export const DetailOverrideSchema = z
  .looseObject({})
  .superRefine((value, ctx) => {
    const checked = WidgetConfigSchema.safeParse(withoutNulls(value));
    if (!checked.success)
      for (const issue of checked.error.issues)
        ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  })
  .openapi("DetailOverride", {
    description: "Pathfora configuration merged over every variation's widget (JSON Merge Patch, RFC 7396).",
  });

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
  .openapi({ type: "string", enum: [...TACTICS] });

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

/**
 * zod issues as `{path, message}` with dotted paths
 * (`variations.0.widget.layout`); an unknown key is reported at its own path.
 */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const dotted = (path: PropertyKey[]) => (path.length ? path.map(String).join(".") : undefined);
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: dotted([...issue.path, key]), message: "unknown field" }))
      : [{ path: dotted(issue.path), message: issue.message }],
  );
}
