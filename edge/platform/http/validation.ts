import type { Context } from "hono";
import type { z } from "@hono/zod-openapi";
import { readJson } from "./body";
import { unprocessable, type ErrorDetail } from "./errors";

/** Turns zod issues into error details with dotted paths. */
export function zodErrors(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join(".") : undefined,
    message: issue.message,
  }));
}

/**
 * Reads a management call's JSON body (`readJson`: size limit, 400/413/415)
 * and validates it with `schema`: 422 "the <what> is not valid" naming each
 * field at fault.
 */
export async function readJsonAs<T extends z.ZodTypeAny>(c: Context, schema: T, what: string): Promise<z.infer<T>> {
  const parsed = schema.safeParse(await readJson(c));
  if (!parsed.success) throw unprocessable(`the ${what} is not valid`, zodErrors(parsed.error));
  return parsed.data;
}
