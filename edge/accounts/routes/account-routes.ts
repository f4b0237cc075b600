import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { accountStub, rememberAccount } from "../config";
import { AccountUpdateSchema, AccountUpsertSchema, CidSchema } from "../settings";
import { accountOfCall, requireRole } from "../auth";
import { readJson } from "../../platform/http/body";
import { forbidden, unprocessable } from "../../platform/http/errors";
import { errorResponses, tokenSecurity } from "../../platform/http/openapi";
import { zodErrors } from "../../platform/http/validation";
import { issueIdentitySecret } from "../identity-secret";

const AccountSchema = z
  .object({ cid: CidSchema, name: z.string(), domains: z.array(z.string()), created: z.string(), updated: z.string() })
  .catchall(z.unknown())
  .openapi("Account");
const AccountResponse = z.object({ status: z.number(), message: z.string(), data: AccountSchema });
const ok = (description: string) => ({ description, content: { "application/json": { schema: AccountResponse } } });

const create = createRoute({
  method: "post",
  path: "/api/account",
  tags: ["Account"],
  summary: "Create an account or change its settings (root token)",
  description: "Only the bootstrap `ADMIN_TOKEN` may create accounts. Unknown keys are refused.",
  security: tokenSecurity,
  request: { body: { content: { "application/json": { schema: AccountUpsertSchema } }, required: true } },
  responses: { 200: ok("Updated"), 201: ok("Created"), ...errorResponses(400, 401, 403, 413, 415, 422) },
});
const read = createRoute({
  method: "get",
  path: "/api/account",
  tags: ["Account"],
  summary: "The account's settings",
  security: tokenSecurity,
  request: { query: z.object({ cid: CidSchema.optional() }) },
  responses: { 200: ok("The account"), ...errorResponses(400, 401, 403, 404) },
});
const update = createRoute({
  method: "put",
  path: "/api/account",
  tags: ["Account"],
  summary: "Change the account's settings (admin)",
  security: tokenSecurity,
  request: {
    query: z.object({ cid: CidSchema.optional() }),
    body: { content: { "application/json": { schema: AccountUpdateSchema } }, required: true },
  },
  responses: { 200: ok("Updated"), ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
});

const secretRoute = createRoute({
  method: "post",
  path: "/api/account/identity-secret",
  tags: ["Account"],
  summary: "The secret your backend signs identities with (admin); `?rotate=true` replaces it",
  description:
    'Sign an identifier as base64url(HMAC-SHA256(secret, "<field>:<value>")) on your server and send it from the page as `_idsig: {<field>: <signature>}` with the event: the browser\'s link to that person is then verified.',
  security: tokenSecurity,
  request: { query: z.object({ cid: CidSchema.optional(), rotate: z.enum(["true", "false"]).optional() }) },
  responses: {
    200: {
      description: "The secret",
      content: {
        "application/json": {
          schema: z.object({ status: z.number(), message: z.string(), data: z.object({ secret: z.string() }) }),
        },
      },
    },
    ...errorResponses(401, 403, 404),
  },
});

/** Account settings API. */
export function registerAccount(app: OpenAPIHono<AppEnv>): void {
  app.on(["POST", "PUT"], "/api/account", requireRole("admin"));
  app.get("/api/account", requireRole("admin", "data_manager", "reader"));
  // Bodies are read here (size limit, content type) rather than by the route validator.
  app.openAPIRegistry.registerPath(create);
  app.post("/api/account", async (c) => {
    if (!c.get("auth").root) throw forbidden("only the bootstrap ADMIN_TOKEN may create accounts");
    const parsed = AccountUpsertSchema.safeParse(await readJson(c));
    if (!parsed.success) throw unprocessable("the account is not valid", zodErrors(parsed.error));
    const { cid, ...patch } = parsed.data;
    const { account, created } = await accountStub(c.env, cid).upsert(cid, patch);
    rememberAccount(account);
    return c.json(
      { status: created ? 201 : 200, message: created ? "created" : "updated", data: account },
      created ? 201 : 200,
    );
  });
  app.post("/api/account/identity-secret", requireRole("admin"));
  app.openapi(secretRoute, async (c) => {
    const account = await accountOfCall(c);
    const rotate = c.req.valid("query").rotate === "true";
    const secret = await issueIdentitySecret(c.env, account.cid, rotate);
    return c.json({ status: 200, message: rotate ? "rotated" : "success", data: { secret: secret! } }, 200);
  });
  app.openapi(read, async (c) => c.json({ status: 200, message: "success", data: await accountOfCall(c) }, 200));
  app.openAPIRegistry.registerPath(update);
  app.put("/api/account", async (c) => {
    const current = await accountOfCall(c);
    const parsed = AccountUpdateSchema.safeParse(await readJson(c));
    if (!parsed.success) throw unprocessable("the settings are not valid", zodErrors(parsed.error));
    const { account } = await accountStub(c.env, current.cid).upsert(current.cid, parsed.data);
    rememberAccount(account);
    return c.json({ status: 200, message: "updated", data: account }, 200);
  });
}
