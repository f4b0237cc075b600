/**
 * The Pathfora widget configuration an experience carries (the argument of
 * `new pathfora.Message(...)`, as JSON) and `vehicle.detail_override`.
 *
 * Every key Pathfora knows is checked for its type (so `layout: "popup"` or
 * `showDelay: "soon"` answer 422 naming the field), and keys Pathfora may
 * add later pass through untouched. Callback keys accept a function
 * expression as a string (the Lytics API-override way). `id` is not
 * accepted: Pathlight names each widget `{experience id}-{variation id}` so
 * tracking events find their variation.
 */
import { z } from "@hono/zod-openapi";
import { boundedJson, compilableRegex, httpUrl, StringCallback, text, withoutNulls } from "./values";

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
const NoId = z
  .undefined({ error: "assigned by Pathlight ({experience id}-{variation id}); leave it out" })
  .optional()
  .openapi({
    type: "string",
    readOnly: true,
    description: "Assigned by Pathlight ({experience id}-{variation id}): leave it out",
  });

/** A Pathfora widget configuration (JSON; no `id`). */
export const WidgetConfigSchema = boundedJson(z.looseObject({ ...widgetShape, id: NoId })).openapi("WidgetConfig", {
  description: "A Pathfora widget configuration (the argument of `new pathfora.Message(...)`), as JSON, without `id`.",
});
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
