/** `GET /personalize`: the visitor's entity for personalization (browser endpoint). */
import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import type { AppEnv } from "../../accounts/app-env";
import { admitBrowserCall, preflight } from "../../accounts/access/browser-guard";
import { requireAccount } from "../../accounts/settings/config";
import { badRequest, forbidden } from "../../platform/http/errors";
import { errorResponses, jsonContent, preflightRoute } from "../../platform/http/openapi";
import { type PersonalizeExperiences, personalizeEntity } from "../personalize-entity";
import { EntitySchema, PersonalizeQuery } from "../schemas";

export type { PersonalizeExperiences };

/** Adds `/personalize` to the profiles sub-app; `experiencesFor` fills its `experiences`. */
export function addPersonalizeRoutes(app: OpenAPIHono<AppEnv>, experiencesFor?: PersonalizeExperiences): void {
  app.openapi(preflightRoute("/personalize"), async (c) => {
    const cid = c.req.query("cid");
    if (!cid) throw badRequest("cid is required");
    return preflight(c, await requireAccount(c.env, cid));
  });
  app.openapi(
    createRoute({
      method: "get",
      path: "/personalize",
      tags: ["Browser"],
      summary: "The visitor's entity for personalization",
      description:
        "Browser endpoint (no token; CORS limited to the account's domains). Look the visitor up by `uid` (the `_uid` cookie) or by `field` and `value` when the account lists that field in `personalize_fields`. Answers public audience slugs and the account's surfaced fields only. Reflects every event collected before the call.",
      // No guard middleware: the query is validated once (below, 400 before any account lookup), then the handler
      // admits the call as the browser guard would (404 for an unknown account, the allowlist, the rate limit).
      request: { query: PersonalizeQuery },
      responses: { 200: jsonContent(EntitySchema, "The entity"), ...errorResponses(400, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const account = await admitBrowserCall(c, q.cid);
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
      const entity = await personalizeEntity(c.env, account, field, raw, experiencesFor);
      c.header("Cache-Control", "no-store");
      return c.json(entity as z.infer<typeof EntitySchema>, 200);
    },
  );
}
