/** Zod schemas (and OpenAPI components) of the webhooks routes added for the console. */
import { z } from "@hono/zod-openapi";

/** `?cid=` of every management route. */
export const CidQuery = z.object({ cid: z.string().optional() });
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

/** `{status, message, data}` around a schema. */
export const envelope = (schema: z.ZodType) => ({
  "application/json": { schema: z.object({ status: z.number(), message: z.string(), data: schema }) },
});
