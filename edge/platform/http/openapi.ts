import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";

/** `{status, message, errors}`: the body of every error. */
export const ErrorSchema = z
  .object({
    status: z.number().int().openapi({ example: 400 }),
    message: z.string().openapi({ example: "request body is not valid JSON" }),
    errors: z.array(z.object({ path: z.string().optional(), message: z.string() })),
  })
  .openapi("Error");

/** OpenAPI responses for the error codes a route may answer. */
export function errorResponses(...codes: (400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429)[]) {
  const text: Record<number, string> = {
    400: "Malformed request",
    401: "Missing or invalid token",
    403: "Not allowed (role, origin or account setting)",
    404: "Unknown account or resource",
    409: "Conflict",
    413: "Body too large",
    415: "Unsupported content type",
    422: "Well-formed but invalid",
    429: "Rate limited",
  };
  return Object.fromEntries(
    codes.map((code) => [code, { description: text[code]!, content: { "application/json": { schema: ErrorSchema } } }]),
  );
}

/** A JSON value (event field or profile field). */
export const FieldValueSchema = z.unknown().openapi({ description: "string, number, boolean, null, array or object" });

/** The entity `/personalize` answers. */
export const EntitySchema = z
  .object({
    data: z.object({
      user: z
        .object({ _uid: z.string().optional(), _uids: z.array(z.string()).optional(), segments: z.array(z.string()) })
        .catchall(FieldValueSchema),
      experiences: z.array(z.unknown()),
    }),
  })
  .openapi("Entity");

/** Security requirement of management routes. */
export const tokenSecurity: Record<string, string[]>[] = [{ token: [] }, { key: [] }];

/** A documented JSON response: `{description, content: {"application/json": {schema}}}`. */
export function jsonContent<T extends z.ZodTypeAny>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

/**
 * A JSON request body for `createRoute`, documented in `/openapi.json` by
 * reference to `schema` (registered on `app` as the component `name`).
 *
 * Handlers read bodies themselves (`readJson` + the domain's schema), so a
 * body keeps its size limit and its 400/413/415/422 answers: a zod schema
 * placed directly in the route would make @hono/zod-openapi parse and
 * validate the body first, without a size limit and with other errors.
 */
export function jsonBody(
  app: Pick<OpenAPIHono, "openAPIRegistry">,
  name: string,
  schema: z.ZodTypeAny,
  options: { required?: boolean; description?: string } = {},
) {
  app.openAPIRegistry.register(name, schema);
  return {
    ...(options.description ? { description: options.description } : {}),
    content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } },
    required: options.required ?? true,
  };
}

/** The undocumented `OPTIONS` operation (CORS preflight) of a browser endpoint. */
export function preflightRoute<P extends string>(path: P) {
  return createRoute({ method: "options", path, hide: true, responses: { 204: { description: "CORS preflight" } } });
}
