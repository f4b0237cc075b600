/** What the Experiences API's operations share: tag, roles, and how outcomes become answers. */
import type { Context } from "hono";
import type { AppEnv } from "../../accounts/app-env";
import { requireRole } from "../../accounts/access/auth";
import { READ, WRITE } from "../../accounts/access/roles";
import { conflict, notFound, unprocessable } from "../../platform/http/errors";
import type { Outcome } from "../contract";

export const tags = ["Experiences"];
/** Route middleware of the reading operations. */
export const read = requireRole(...READ);
/** Route middleware of the writing operations. */
export const write = requireRole(...WRITE);

/** The outcome's value, or its problem as a 422 or 409. */
export function settled<T>(out: Outcome<T>): T {
  if (out.ok) return out.value;
  const { kind, message, errors } = out.problem;
  throw kind === "conflict" ? conflict(message, errors) : unprocessable(message, errors);
}

/** `value`, or a 404 naming the experience. */
export const found = <T>(value: T | null, id: string): T => {
  if (value === null) throw notFound(`no experience with id ${id}`);
  return value;
};

/** `{status: 200, message, data}`. */
export const ok = <T>(c: Context<AppEnv>, data: T, message = "success") => c.json({ status: 200, message, data }, 200);
