/** The cross-domain id endpoint's parameters and answer. */
import { z } from "@hono/zod-openapi";
import { CidSchema } from "../accounts/settings/settings";

export const CrossDomainParams = z.object({ cid: CidSchema });
export const CrossDomainIdSchema = z.object({ data: z.object({ _uid: z.string() }) });
