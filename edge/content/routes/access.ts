/** Middleware and helpers shared by the content operations. */
import type { Context } from "hono";
import type { AppEnv } from "../../accounts/app-env";
import { requireRole } from "../../accounts/access/auth";
import { READ, WRITE } from "../../accounts/access/roles";
import { tokenSecurity } from "../../platform/http/openapi";

export type C = Context<AppEnv>;
export const tags = ["Content"];
export const security = tokenSecurity;
/** Reads need any role, writes admin or data_manager. */
export const read = requireRole(...READ);
export const write = requireRole(...WRITE);

/** `{status: 200, message: "success", data}`. */
export const success = <T>(c: C, data: T) => c.json({ status: 200 as const, message: "success", data }, 200);
