/** The collect endpoints' parameters and answer. */
import { z } from "@hono/zod-openapi";
import { CidSchema } from "../accounts/settings/settings";

/** `{status, message, data}`: what a collect call stored. */
export const CollectResultSchema = z
  .object({
    status: z.literal(200),
    message: z.string(),
    data: z.object({ received: z.number().int(), anonymous: z.number().int() }),
  })
  .openapi("CollectResult");

/** `/c/{cid}` and `/c/{cid}/{stream}`. */
export const BrowserCollectParams = z.object({ cid: CidSchema, stream: z.string().optional() });
/** `/collect/json/{stream}`. */
export const ServerCollectParams = z.object({ stream: z.string().min(1).max(64) });
export const ServerCollectQuery = z.object({ cid: CidSchema.optional() });
