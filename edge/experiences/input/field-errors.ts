/** Validation errors of the Experiences API's request schemas, as `{path, message}`. */
import type { z } from "@hono/zod-openapi";
import type { FieldError } from "../contract";

/**
 * zod issues as `{path, message}` with dotted paths
 * (`variations.0.widget.layout`); an unknown key is reported at its own path.
 */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const dotted = (path: PropertyKey[]) => (path.length ? path.map(String).join(".") : undefined);
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: dotted([...issue.path, key]), message: "unknown field" }))
      : [{ path: dotted(issue.path), message: issue.message }],
  );
}
