/** `GET /personalize`: the visitor's entity for personalization (browser endpoint). */
import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import type { AppEnv } from "../../accounts/app-env";
import type { AccountConfig } from "../../accounts/settings/config";
import { browserGuard, preflight } from "../../accounts/access/browser-guard";
import { requireAccount } from "../../accounts/settings/config";
import { normalizeIdentifier } from "../../identity/identifiers";
import type { Env } from "../../platform/env";
import { badRequest, forbidden } from "../../platform/http/errors";
import { errorResponses, jsonContent, preflightRoute } from "../../platform/http/openapi";
import { browserEntity } from "../fields/entity-view";
import { EntitySchema, PersonalizeQuery } from "../schemas";
import { findEntity } from "../resolve/find-profile";

/**
 * The experiences a visitor qualifies for, listed in `/personalize`'s
 * `experiences`: given by the experiences domain (above profiles in the
 * domain order) when edge/app.ts builds the sub-app.
 */
export type PersonalizeExperiences = (
  env: Env,
  account: AccountConfig,
  visitor: { key: string; segments: readonly string[] },
) => Promise<unknown[]>;

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
      middleware: browserGuard(PersonalizeQuery, "query"),
      request: { query: PersonalizeQuery },
      responses: { 200: jsonContent(EntitySchema, "The entity"), ...errorResponses(400, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const account = c.get("account");
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
      const profile =
        value === null ? null : await findEntity(c.env, account, { field, value }, byField, account.surfaced_fields);
      c.header("Cache-Control", "no-store");
      const entity = browserEntity(profile, account, byField ? undefined : raw);
      if (byField) delete entity.data.user._uids;
      const { user } = entity.data;
      const key = user._uids?.[0] ?? user._uid;
      if (experiencesFor && key)
        entity.data.experiences = await experiencesFor(c.env, account, { key, segments: user.segments ?? [] });
      return c.json(entity as z.infer<typeof EntitySchema>, 200);
    },
  );
}
