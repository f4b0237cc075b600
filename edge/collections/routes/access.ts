import type { Context } from "hono";
import type { AppEnv } from "../../accounts/app-env";
import { accountOfCall, refuseAttributeLimited, requireRole } from "../../accounts/access/auth";
import { READ, WRITE } from "../../accounts/access/roles";

const LIMITED = "the collections API (rows feed whole profiles)";

/** Middleware of the collections API's reads: any role, and no attribute-limited token. */
export const readAccess = [requireRole(...READ), refuseAttributeLimited(LIMITED)];
/** Middleware of its writes: admin or data_manager, and no attribute-limited token. */
export const writeAccess = [requireRole(...WRITE), refuseAttributeLimited(LIMITED)];

/** The account of a call: `:org`, which the token must belong to. */
export const accountOf = (c: Context<AppEnv>) => accountOfCall(c, c.req.param("org"));
