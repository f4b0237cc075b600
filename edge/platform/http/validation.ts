import type { z } from "@hono/zod-openapi";
import type { ErrorDetail } from "./errors";

/** Turns zod issues into error details with dotted paths. */
export function zodErrors(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join(".") : undefined,
    message: issue.message,
  }));
}
