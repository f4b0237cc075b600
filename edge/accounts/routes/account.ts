/** `/api/account`: account settings and the identity secret. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { forbidden } from "../../platform/http/errors";
import { errorResponses, jsonBody, jsonContent, tokenSecurity as security } from "../../platform/http/openapi";
import { readJsonAs } from "../../platform/http/validation";
import type { AppEnv } from "../app-env";
import { accountOfCall, requireRole } from "../access/auth";
import { issueIdentitySecret } from "../settings/identity-secret";
import {
  AccountQuery,
  AccountResponse,
  AccountUpdateSchema,
  AccountUpsertSchema,
  SecretQuery,
  SecretResponse,
} from "../schemas";
import { upsertAccount } from "../service";

const tags = ["Account"];
const admin = requireRole("admin");

/** Adds the account operations to the accounts sub-app. */
export function addAccountRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/account",
      tags,
      summary: "Create an account or change its settings (root token)",
      description: "Only the bootstrap `ADMIN_TOKEN` may create accounts. Unknown keys are refused.",
      security,
      middleware: admin,
      request: { body: jsonBody(app, "AccountUpsert", AccountUpsertSchema) },
      responses: {
        200: jsonContent(AccountResponse, "Updated"),
        201: jsonContent(AccountResponse, "Created"),
        ...errorResponses(400, 401, 403, 413, 415, 422),
      },
    }),
    async (c) => {
      if (!c.get("auth").root) throw forbidden("only the bootstrap ADMIN_TOKEN may create accounts");
      const { cid, ...patch } = await readJsonAs(c, AccountUpsertSchema, "account");
      const { account, created } = await upsertAccount(c.env, cid, patch);
      return c.json(
        { status: created ? 201 : 200, message: created ? "created" : "updated", data: account },
        created ? 201 : 200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/account/identity-secret",
      tags,
      summary: "The secret your backend signs identities with (admin); `?rotate=true` replaces it",
      description:
        'Sign an identifier as base64url(HMAC-SHA256(secret, "<field>:<value>")) on your server and send it from the page as `_idsig: {<field>: <signature>}` with the event: the browser\'s link to that person is then verified.',
      security,
      middleware: admin,
      request: { query: SecretQuery },
      responses: { 200: jsonContent(SecretResponse, "The secret"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const rotate = c.req.valid("query").rotate === "true";
      const secret = await issueIdentitySecret(c.env, account.cid, rotate);
      return c.json({ status: 200, message: rotate ? "rotated" : "success", data: { secret: secret! } }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/account",
      tags,
      summary: "The account's settings",
      security,
      middleware: requireRole("admin", "data_manager", "reader"),
      request: { query: AccountQuery },
      responses: { 200: jsonContent(AccountResponse, "The account"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json({ status: 200, message: "success", data: await accountOfCall(c) }, 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/account",
      tags,
      summary: "Change the account's settings (admin)",
      security,
      middleware: admin,
      request: { query: AccountQuery, body: jsonBody(app, "AccountUpdate", AccountUpdateSchema) },
      responses: { 200: jsonContent(AccountResponse, "Updated"), ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
    }),
    async (c) => {
      const current = await accountOfCall(c);
      const patch = await readJsonAs(c, AccountUpdateSchema, "settings");
      const { account } = await upsertAccount(c.env, current.cid, patch);
      return c.json({ status: 200, message: "updated", data: account }, 200);
    },
  );
}
