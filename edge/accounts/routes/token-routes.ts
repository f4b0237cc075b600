import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import type { TokenRecord } from "../contract";
import { accountStub } from "../config";
import { accountOfCall, requireRole } from "../auth";
import { ROLES } from "../roles";
import { readJson } from "../../platform/http/body";
import { notFound, unprocessable } from "../../platform/http/errors";
import { errorResponses, tokenSecurity } from "../../platform/http/openapi";
import { forgetTokens, hashToken, newToken } from "../tokens";
import { zodErrors } from "../../platform/http/validation";

const TokenCreateSchema = z
  .object({
    name: z.string().min(1).max(200),
    role: z.enum(ROLES),
    attributes: z
      .array(z.string().min(1).max(128))
      .max(200)
      .optional()
      .openapi({ description: "Limit the token to these profile fields" }),
    expires: z.string().datetime({ offset: true }).optional().openapi({ description: "Expiry, ISO-8601" }),
  })
  .strict()
  .openapi("TokenCreate");

const TokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    attributes: z.array(z.string()).nullable(),
    expires: z.string().nullable(),
    created: z.string(),
  })
  .openapi("Token");

const query = z.object({ cid: z.string().optional() });

/** `/api/token`: create, list and delete API tokens (admin). */
export function registerTokens(app: OpenAPIHono<AppEnv>): void {
  app.use("/api/token", requireRole("admin"));
  app.use("/api/token/*", requireRole("admin"));
  app.openAPIRegistry.registerPath(
    createRoute({
      method: "post",
      path: "/api/token",
      tags: ["Account"],
      summary: "Create an API token (admin); the token is shown once",
      security: tokenSecurity,
      request: { query, body: { content: { "application/json": { schema: TokenCreateSchema } }, required: true } },
      responses: {
        201: {
          description: "Created",
          content: {
            "application/json": {
              schema: z.object({
                status: z.number(),
                message: z.string(),
                data: TokenSchema.extend({ token: z.string() }),
              }),
            },
          },
        },
        ...errorResponses(400, 401, 403, 404, 415, 422),
      },
    }),
  );
  app.post("/api/token", async (c) => {
    const account = await accountOfCall(c);
    const parsed = TokenCreateSchema.safeParse(await readJson(c));
    if (!parsed.success) throw unprocessable("the token is not valid", zodErrors(parsed.error));
    if (parsed.data.expires && Date.parse(parsed.data.expires) <= Date.now())
      throw unprocessable("the token would already be expired", [
        { path: "expires", message: "must be in the future" },
      ]);
    const token = newToken(account.cid);
    const record: TokenRecord = {
      id: crypto.randomUUID(),
      name: parsed.data.name,
      role: parsed.data.role,
      attributes: parsed.data.attributes ?? null,
      expires: parsed.data.expires ? new Date(parsed.data.expires).toISOString() : null,
      created: new Date().toISOString(),
    };
    await accountStub(c.env, account.cid).addToken(await hashToken(token), record);
    return c.json(
      { status: 201, message: "created; store the token now, it is not shown again", data: { ...record, token } },
      201,
    );
  });
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/token",
      tags: ["Account"],
      summary: "List API tokens (admin); secrets are never shown",
      security: tokenSecurity,
      request: { query },
      responses: {
        200: {
          description: "Tokens",
          content: {
            "application/json": {
              schema: z.object({ status: z.number(), message: z.string(), data: z.array(TokenSchema) }),
            },
          },
        },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      return c.json({ status: 200, message: "success", data: await accountStub(c.env, account.cid).listTokens() }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/token/{id}",
      tags: ["Account"],
      summary: "Delete an API token (admin)",
      security: tokenSecurity,
      request: { params: z.object({ id: z.string() }), query },
      responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      if (!(await accountStub(c.env, account.cid).deleteToken(c.req.valid("param").id)))
        throw notFound("no token with that id");
      forgetTokens();
      return c.body(null, 204);
    },
  );
}
