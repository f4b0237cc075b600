import type { Context } from "hono";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { requireAccount } from "../accounts/config";
import { CidSchema } from "../accounts/settings";
import { applyBrowserCors, preflight } from "../accounts/browser-guard";
import { browserEntity } from "./entity-view";
import { badRequest, forbidden } from "../platform/http/errors";
import { normalizeIdentifier } from "../identity/identifiers";
import { findProfile } from "./service";
import { EntitySchema, errorResponses } from "../platform/http/openapi";

const route = createRoute({
  method: "get",
  path: "/personalize",
  tags: ["Browser"],
  summary: "The visitor's entity for personalization",
  description:
    "Browser endpoint (no token; CORS limited to the account's domains). Look the visitor up by `uid` (the `_uid` cookie) or by `field` and `value` when the account lists that field in `personalize_fields`. Answers public audience slugs and the account's surfaced fields only. Reflects every event collected before the call.",
  request: {
    query: z.object({
      cid: CidSchema,
      uid: z.string().max(256).optional(),
      field: z.string().max(128).optional(),
      value: z.string().max(256).optional(),
    }),
  },
  responses: {
    200: { description: "The entity", content: { "application/json": { schema: EntitySchema } } },
    ...errorResponses(400, 403, 404),
  },
});

/** `GET /personalize`. */
export function registerPersonalize(app: OpenAPIHono<AppEnv>): void {
  app.options("/personalize", async (c: Context<AppEnv>) => {
    const cid = c.req.query("cid");
    if (!cid) throw badRequest("cid is required");
    return preflight(c, await requireAccount(c.env, cid));
  });
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const account = await requireAccount(c.env, q.cid);
    applyBrowserCors(c, account);
    if (!account.public_personalization)
      throw forbidden(`account "${account.cid}" does not allow public personalization`);
    let field = "_uid";
    let raw = q.uid;
    if (q.field !== undefined || q.value !== undefined) {
      if (!q.field || !q.value) throw badRequest("field and value go together");
      if (q.field !== "_uid" && !account.personalize_fields.includes(q.field)) {
        throw forbidden(
          `looking visitors up by "${q.field}" is not enabled for this account (setting personalize_fields)`,
        );
      }
      field = q.field;
      raw = q.value;
    }
    if (!raw) throw badRequest("uid, or field and value, are required");
    const value = normalizeIdentifier(field, raw, account);
    // By another field: through verified links only (anyone can type an email), without anyone's cookie ids.
    const byField = field !== "_uid";
    const profile = value === null ? null : await findProfile(c.env, account, { field, value }, byField);
    c.header("Cache-Control", "no-store");
    const entity = browserEntity(profile, account, byField ? undefined : raw);
    if (byField) delete entity.data.user._uids;
    return c.json(entity as z.infer<typeof EntitySchema>, 200);
  });
}
