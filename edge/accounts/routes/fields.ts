/** `/api/schema/user/fields`: field types, merge strategies, surfacing, identifiers. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonContent, tokenSecurity as security } from "../../platform/http/openapi";
import { readJsonAs } from "../../platform/http/validation";
import type { AppEnv } from "../app-env";
import { accountOfCall, requireRole } from "../access/auth";
import { checkConfigurable, configureField, listFields, removeFieldConfig } from "../fields/field-schema";
import { READ } from "../access/roles";
import { CidQuery, envelope, FieldParams, FieldSchema, FieldUpdateSchema } from "../schemas";

const tags = ["Schema"];
const admin = requireRole("admin");

/** Adds the field schema operations to the accounts sub-app. */
export function addFieldRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/schema/user/fields",
      tags,
      summary: "Profile fields with type, merge strategy, surfacing and identifier flags",
      security,
      middleware: requireRole(...READ),
      request: { query: CidQuery },
      responses: { 200: jsonContent(envelope(z.array(FieldSchema)), "Fields"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json({ status: 200, message: "success", data: listFields(await accountOfCall(c)) }, 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/schema/user/fields/{name}",
      tags,
      summary:
        "Configure a field (admin). Changing a merge strategy changes what profiles show at once, without re-ingesting.",
      security,
      middleware: admin,
      request: { params: FieldParams, query: CidQuery, body: jsonBody(app, "FieldUpdate", FieldUpdateSchema) },
      responses: {
        200: jsonContent(envelope(FieldSchema), "The field"),
        ...errorResponses(400, 401, 403, 404, 415, 422),
      },
    }),
    async (c) => {
      const name = c.req.param("name");
      checkConfigurable(name);
      const account = await accountOfCall(c);
      const update = await readJsonAs(c, FieldUpdateSchema, "field settings");
      return c.json({ status: 200, message: "updated", data: await configureField(c.env, account, name, update) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/schema/user/fields/{name}",
      tags,
      summary:
        "Remove a field's configuration (admin): it keeps the most recent value, is not surfaced and does not identify",
      security,
      middleware: admin,
      request: { params: FieldParams, query: CidQuery },
      responses: { 204: { description: "Removed" }, ...errorResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      await removeFieldConfig(c.env, await accountOfCall(c), c.req.valid("param").name);
      return c.body(null, 204);
    },
  );
}
