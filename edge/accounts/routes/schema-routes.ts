import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { accountStub, rememberAccount, type AccountConfig } from "../config";
import { FIELD_TYPES, MERGE_STRATEGIES } from "../field-vocabulary";
import { accountOfCall, requireRole } from "../auth";
import { READ } from "../roles";
import { readJson } from "../../platform/http/body";
import { badRequest, notFound, unprocessable } from "../../platform/http/errors";
import { errorResponses, tokenSecurity } from "../../platform/http/openapi";
import { zodErrors } from "../../platform/http/validation";

/** Fields every profile has, maintained by the edge. */
export const BUILTIN_FIELDS: Record<string, string> = {
  _uids: "cookie ids of the person",
  _created: "when the profile was created",
  _modified: "when the profile last changed",
  visitct: "number of visits (sessions)",
  _sessions: "number of sessions",
  first_visit: "time of the first event",
  last_visit: "time of the latest event",
};

const FieldSchema = z
  .object({
    name: z.string(),
    type: z.enum(FIELD_TYPES),
    merge: z.enum(MERGE_STRATEGIES),
    surfaced: z.boolean(),
    identifier: z.boolean(),
    builtin: z.boolean(),
    description: z.string().optional(),
  })
  .openapi("Field");

const FieldUpdateSchema = z
  .object({
    type: z.enum(FIELD_TYPES).optional(),
    merge: z.enum(MERGE_STRATEGIES).optional(),
    surfaced: z.boolean().optional().openapi({ description: "Show the field to browsers through /personalize" }),
    identifier: z
      .boolean()
      .optional()
      .openapi({ description: "The field identifies a person (links and merges profiles)" }),
    description: z.string().max(500).optional(),
  })
  .strict()
  .openapi("FieldUpdate");

const NAME = /^[A-Za-z_][\w.-]{0,127}$/;

/** The field list of an account: configured, surfaced, identifiers and built-ins. */
export function listFields(account: AccountConfig): z.infer<typeof FieldSchema>[] {
  const names = new Set([
    ...Object.keys(BUILTIN_FIELDS),
    ...Object.keys(account.fields),
    ...account.surfaced_fields,
    ...account.identifier_fields,
  ]);
  return [...names].sort().map((name) => {
    const cfg = account.fields[name];
    return {
      name,
      type: cfg?.type ?? "any",
      merge: cfg?.merge ?? "latest",
      surfaced: account.surfaced_fields.includes(name),
      identifier: account.identifier_fields.includes(name),
      builtin: name in BUILTIN_FIELDS,
      ...((cfg?.description ?? BUILTIN_FIELDS[name]) ? { description: cfg?.description ?? BUILTIN_FIELDS[name] } : {}),
    };
  });
}

const envelope = (schema: z.ZodType) => ({
  "application/json": { schema: z.object({ status: z.number(), message: z.string(), data: schema }) },
});
const params = z.object({ name: z.string() });
const query = z.object({ cid: z.string().optional() });

/** `/api/schema/user/fields`: field types, merge strategies, surfacing, identifiers. */
export function registerSchema(app: OpenAPIHono<AppEnv>): void {
  app.get("/api/schema/user/fields", requireRole(...READ));
  app.on(["PUT", "DELETE"], "/api/schema/user/fields/:name", requireRole("admin"));
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/schema/user/fields",
      tags: ["Schema"],
      summary: "Profile fields with type, merge strategy, surfacing and identifier flags",
      security: tokenSecurity,
      request: { query },
      responses: {
        200: { description: "Fields", content: envelope(z.array(FieldSchema)) },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => c.json({ status: 200, message: "success", data: listFields(await accountOfCall(c)) }, 200),
  );
  app.openAPIRegistry.registerPath(
    createRoute({
      method: "put",
      path: "/api/schema/user/fields/{name}",
      tags: ["Schema"],
      summary:
        "Configure a field (admin). Changing a merge strategy changes what profiles show at once, without re-ingesting.",
      security: tokenSecurity,
      request: {
        params,
        query,
        body: { content: { "application/json": { schema: FieldUpdateSchema } }, required: true },
      },
      responses: {
        200: { description: "The field", content: envelope(FieldSchema) },
        ...errorResponses(400, 401, 403, 404, 415, 422),
      },
    }),
  );
  app.put("/api/schema/user/fields/:name", async (c) => {
    const name = c.req.param("name");
    if (!NAME.test(name))
      throw badRequest("field names start with a letter or _ and have at most 128 letters, digits, _, . or -");
    if (name in BUILTIN_FIELDS) throw unprocessable(`${name} is maintained by Pathlight and cannot be configured`);
    const account = await accountOfCall(c);
    const parsed = FieldUpdateSchema.safeParse(await readJson(c));
    if (!parsed.success) throw unprocessable("the field settings are not valid", zodErrors(parsed.error));
    const u = parsed.data;
    const current = account.fields[name];
    const fields = { ...account.fields };
    if (u.type || u.merge || u.description !== undefined || current) {
      fields[name] = {
        type: u.type ?? current?.type ?? "any",
        merge: u.merge ?? current?.merge ?? "latest",
        ...((u.description ?? current?.description) ? { description: u.description ?? current?.description } : {}),
      };
    }
    const toggle = (list: string[], on: boolean | undefined) =>
      on === undefined ? list : on ? [...new Set([...list, name])] : list.filter((f) => f !== name);
    const identifier_fields = toggle(account.identifier_fields, u.identifier);
    if (identifier_fields.length === 0) throw unprocessable("an account needs at least one identifier field");
    const { account: saved } = await accountStub(c.env, account.cid).upsert(account.cid, {
      fields,
      surfaced_fields: toggle(account.surfaced_fields, u.surfaced),
      identifier_fields,
    });
    rememberAccount(saved);
    return c.json({ status: 200, message: "updated", data: listFields(saved).find((f) => f.name === name)! }, 200);
  });
  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/schema/user/fields/{name}",
      tags: ["Schema"],
      summary:
        "Remove a field's configuration (admin): it keeps the most recent value, is not surfaced and does not identify",
      security: tokenSecurity,
      request: { params, query },
      responses: { 204: { description: "Removed" }, ...errorResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      const { name } = c.req.valid("param");
      const account = await accountOfCall(c);
      if (!listFields(account).some((f) => f.name === name && !f.builtin))
        throw notFound(`field ${name} has no configuration`);
      const fields = { ...account.fields };
      delete fields[name];
      const identifier_fields = account.identifier_fields.filter((f) => f !== name);
      if (identifier_fields.length === 0) throw unprocessable("an account needs at least one identifier field");
      const { account: saved } = await accountStub(c.env, account.cid).upsert(account.cid, {
        fields,
        surfaced_fields: account.surfaced_fields.filter((f) => f !== name),
        identifier_fields,
      });
      rememberAccount(saved);
      return c.body(null, 204);
    },
  );
}
