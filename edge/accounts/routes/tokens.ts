/** `/api/token` (admin) and `/api/whoami` (any token). */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonContent, tokenSecurity as security } from "../../platform/http/openapi";
import { readJsonAs } from "../../platform/http/validation";
import type { AppEnv } from "../app-env";
import { accountOfCall, requireRole } from "../access/auth";
import { accountStub } from "../settings/config";
import { READ } from "../access/roles";
import { CidQuery, envelope, TokenCreateSchema, TokenIdParams, TokenSchema, WhoamiSchema } from "../schemas";
import { createToken, deleteToken } from "../service";

const tags = ["Account"];
const admin = requireRole("admin");

/** Adds the token operations and whoami to the accounts sub-app. */
export function addTokenRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/token",
      tags,
      summary: "Create an API token (admin); the token is shown once",
      security,
      middleware: admin,
      request: { query: CidQuery, body: jsonBody(app, "TokenCreate", TokenCreateSchema) },
      responses: {
        201: jsonContent(envelope(TokenSchema.extend({ token: z.string() })), "Created"),
        ...errorResponses(400, 401, 403, 404, 415, 422),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const { record, token } = await createToken(c.env, account.cid, await readJsonAs(c, TokenCreateSchema, "token"));
      return c.json(
        { status: 201, message: "created; store the token now, it is not shown again", data: { ...record, token } },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/token",
      tags,
      summary: "List API tokens (admin); secrets are never shown",
      security,
      middleware: admin,
      request: { query: CidQuery },
      responses: { 200: jsonContent(envelope(z.array(TokenSchema)), "Tokens"), ...errorResponses(401, 403, 404) },
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
      tags,
      summary: "Delete an API token (admin)",
      security,
      middleware: admin,
      request: { params: TokenIdParams, query: CidQuery },
      responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      await deleteToken(c.env, account.cid, c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/whoami",
      tags,
      summary: "The calling token's role and account",
      description:
        "Any valid token may ask. The console calls it at sign-in to learn what to show; scripts can use it to check a token before using it.",
      security,
      middleware: requireRole(...READ),
      responses: { 200: jsonContent(envelope(WhoamiSchema), "The token"), ...errorResponses(401, 429) },
    }),
    (c) => {
      const auth = c.get("auth");
      return c.json(
        {
          status: 200,
          message: "success",
          data: { role: auth.role, cid: auth.cid, root: auth.root, attributes: auth.attributes },
        },
        200,
      );
    },
  );
}
