/** The Subscription API's documented shapes (reference 000), parameters and bodies. */
import { z } from "@hono/zod-openapi";

export { SubscriptionInputSchema } from "./subscription-input";

export const ConfigSchema = z
  .object({
    channel: z.literal("webhook"),
    name: z.string(),
    description: z.string(),
    segment_ids: z.array(z.string()),
    segmentql: z.string().optional(),
    webhook_url: z.string(),
    headers: z.record(z.string(), z.string()),
    withbackfill: z.boolean(),
    format: z.enum(["lytics", "cloudevents"]),
    cloudevents_type: z.string(),
    cloudevents_source: z.string(),
    batch: z.boolean(),
    batch_size: z.number().int(),
    trigger_fields: z.array(z.string()).optional(),
    trigger_events: z.array(z.enum(["enter", "exit"])).optional(),
    method: z.enum(["POST", "PUT", "PATCH"]).optional(),
  })
  .openapi("SubscriptionConfig");

export const SubscriptionSchema = z
  .object({
    id: z.string(),
    account_id: z.string(),
    user_id: z.string(),
    name: z.string(),
    description: z.string(),
    segment_ids: z.array(z.string()),
    segmentql: z.string().optional(),
    workflow: z.literal("webhook_triggers"),
    state: z.enum(["active", "disabled"]),
    state_reason: z.string().nullable(),
    config: ConfigSchema,
    created: z.string(),
    updated: z.string(),
    secret: z
      .string()
      .optional()
      .openapi({ description: "The signing secret (`whsec_...`): only in the answer that creates or rotates it" }),
  })
  .openapi("Subscription");

export const AttemptSchema = z.object({
  attempt: z.number().int(),
  at: z.string(),
  status: z.number().int().nullable(),
  latency_ms: z.number().int(),
  error: z.string().nullable(),
});
export const CountsSchema = z.object({
  pending: z.number().int(),
  sending: z.number().int(),
  delivered: z.number().int(),
  dead: z.number().int(),
  queued_messages: z.number().int(),
});
export const DeliverySchema = z
  .object({
    id: z.string().openapi({ description: "The request's webhook-id" }),
    state: z.enum(["pending", "sending", "delivered", "dead"]),
    attempts: z.number().int(),
    created: z.string(),
    updated: z.string(),
    next_attempt: z.string().nullable(),
    last_status: z.number().int().nullable(),
    last_error: z.string().nullable(),
    messages: z.array(
      z.object({
        event_id: z.string(),
        profile_id: z.string(),
        seq: z.number().int(),
        backfill: z.boolean(),
        segment_events: z.array(z.object({ slug: z.string(), event: z.string() })),
      }),
    ),
    log: z.array(AttemptSchema),
  })
  .openapi("Delivery");

export const ReplayBody = z
  .object({
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
  })
  .strict()
  .openapi("ReplayInput");
export const RotateBody = z
  .object({
    expire_previous_after_seconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .optional()
      .openapi({ description: "How long the previous secret keeps signing too (default 86400; 0 drops it now)" }),
  })
  .strict()
  .openapi("RotateSecretInput");

/** A subscription with its delivery counts and backfill progress. */
export const SubscriptionStatusSchema = SubscriptionSchema.extend({
  delivery: z.object({
    counts: CountsSchema,
    backfill: z.object({ state: z.enum(["running", "done"]), sent: z.number().int() }).nullable(),
  }),
});
export const DeliveriesSchema = z.object({ counts: CountsSchema, deliveries: z.array(DeliverySchema) });

/** `{status, message, data}`. */
export const envelope = <T extends z.ZodTypeAny>(data: T) =>
  z.object({ status: z.number(), message: z.string(), data });
export const CidQuery = z.object({ cid: z.string().optional() });
export const ListQuery = CidQuery.extend({ segment_id: z.string().optional() });
export const DeliveriesQuery = CidQuery.extend({
  state: z.enum(["pending", "sending", "delivered", "dead"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export const IdParams = z.object({ id: z.string() });

// ---- added for the console ----

/** A subscription by id. */
export const SubscriptionParam = z.object({ id: z.string() });

/** What pausing or resuming answers. */
export const SubscriptionStateSchema = z
  .object({
    id: z.string(),
    state: z.enum(["active", "disabled"]),
    state_reason: z.string().nullable(),
    updated: z.string(),
  })
  .openapi("SubscriptionState");

/** `{status, message, data}` around a schema, as a response content map. */
export const jsonEnvelope = (schema: z.ZodType) => ({
  "application/json": { schema: z.object({ status: z.number(), message: z.string(), data: schema }) },
});
