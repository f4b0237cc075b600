/** The served tag's parameters. */
import { z } from "@hono/zod-openapi";
import { CidSchema } from "../accounts/settings/settings";

export const TagParams = z.object({ cid: CidSchema });
