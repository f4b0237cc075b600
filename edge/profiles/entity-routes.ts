import type { Context } from "hono";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { accountOfCall, refuseAttributeLimited, requireRole } from "../accounts/auth";
import { apiEntity } from "./entity-view";
import { forbidden, notFound } from "../platform/http/errors";
import { normalizeIdentifier } from "../identity/identifiers";
import { erasePerson, exportPerson, findProfile } from "./service";
import { errorResponses, FieldValueSchema, tokenSecurity } from "../platform/http/openapi";
import { ALL_SEGMENT } from "./entity-view";

const EntityResponse = z
  .object({
    status: z.literal(200),
    message: z.string(),
    data: z.record(z.string(), FieldValueSchema),
    meta: z
      .object({
        id: z.string(),
        created: z.string(),
        modified: z.string(),
        merged: z.array(z.string()),
        events: z.number().int(),
        refused_merges: z.array(z.object({ with: z.array(z.string()), reason: z.string(), at: z.string() })),
      })
      .optional(),
  })
  .openapi("EntityResponse");

const query = z.object({
  cid: z.string().optional().openapi({ description: "Account id (root token only)" }),
  fields: z.string().optional().openapi({ description: "Comma-separated fields to return" }),
  segments: z.enum(["true", "false"]).optional().openapi({ description: "Include audience slugs as `segments`" }),
  meta: z.enum(["true", "false"]).optional().openapi({ description: "Include profile metadata" }),
});

const byTable = createRoute({
  method: "get",
  path: "/api/entity/{table}/{field}/{value}",
  tags: ["Profiles"],
  summary: "A profile by any identifier (Lytics entity API)",
  security: tokenSecurity,
  request: { params: z.object({ table: z.string(), field: z.string(), value: z.string() }), query },
  responses: {
    200: { description: "The profile", content: { "application/json": { schema: EntityResponse } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const me = createRoute({
  method: "get",
  path: "/api/me/{field}/{value}",
  tags: ["Profiles"],
  summary: "Alias of /api/entity/user/{field}/{value}",
  security: tokenSecurity,
  request: { params: z.object({ field: z.string(), value: z.string() }), query },
  responses: {
    200: { description: "The profile", content: { "application/json": { schema: EntityResponse } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const erase = createRoute({
  method: "delete",
  path: "/api/entity/user/{field}/{value}",
  tags: ["Profiles"],
  summary: "Erase a person (GDPR/CCPA): profile, merged profiles and identity links (admin)",
  description: "Afterwards no endpoint returns anything about them, and a new event starts a fresh profile.",
  security: tokenSecurity,
  request: {
    params: z.object({ field: z.string(), value: z.string() }),
    query: z.object({ cid: z.string().optional() }),
  },
  responses: {
    200: {
      description: "Erased",
      content: {
        "application/json": {
          schema: z.object({
            status: z.number(),
            message: z.string(),
            data: z.object({ erased_profiles: z.array(z.string()) }),
          }),
        },
      },
    },
    ...errorResponses(401, 403, 404),
  },
});

const exportRoute = createRoute({
  method: "get",
  path: "/api/entity/user/{field}/{value}/export",
  tags: ["Profiles"],
  summary: "Everything held about a person (data-subject access request; admin)",
  security: tokenSecurity,
  request: {
    params: z.object({ field: z.string(), value: z.string() }),
    query: z.object({ cid: z.string().optional() }),
  },
  responses: {
    200: {
      description: "The person's data",
      content: {
        "application/json": { schema: z.object({ status: z.number(), message: z.string(), data: z.unknown() }) },
      },
    },
    ...errorResponses(401, 403, 404),
  },
});

/** Entity API: read a profile by any identifier. */
export function registerEntity(app: OpenAPIHono<AppEnv>): void {
  app.on("DELETE", "/api/entity/*", requireRole("admin"));
  app.get("/api/entity/user/:field/:value/export", requireRole("admin"), refuseAttributeLimited("the export"));
  app.on("GET", "/api/entity/*", requireRole("admin", "data_manager", "reader"));
  const key = async (c: Context<AppEnv>, field: string, raw: string) => {
    const account = await accountOfCall(c);
    const f = field === "_uids" ? "_uid" : field;
    const value = normalizeIdentifier(f, raw, account);
    if (value === null) throw notFound(`no profile with ${field} = ${raw}`);
    return { account, key: { field: f, value } };
  };
  app.openapi(exportRoute, async (c) => {
    const p = c.req.valid("param");
    const { account, key: k } = await key(c, p.field, p.value);
    const data = await exportPerson(c.env, account, k);
    if (!data) throw notFound(`no profile with ${p.field} = ${p.value}`);
    return c.json({ status: 200, message: "success", data }, 200);
  });
  app.openapi(erase, async (c) => {
    const p = c.req.valid("param");
    const { account, key: k } = await key(c, p.field, p.value);
    const erased = await erasePerson(c.env, account, k);
    if (!erased) throw notFound(`no profile with ${p.field} = ${p.value}`);
    return c.json({ status: 200, message: "erased", data: { erased_profiles: erased } }, 200);
  });
  app.use("/api/me/*", requireRole("admin", "data_manager", "reader"));
  const handle = async (c: Context<AppEnv>, table: string, field: string, raw: string, q: z.infer<typeof query>) => {
    if (table !== "user") throw notFound(`unknown table "${table}"; profiles live in the table "user"`);
    const account = await accountOfCall(c);
    // `_uids` lists a profile's cookie ids: looking up by it means by `_uid`.
    if (field === "_uids") field = "_uid";
    const value = normalizeIdentifier(field, raw, account);
    const profile = value === null ? null : await findProfile(c.env, account, { field, value });
    if (!profile) throw notFound(`no profile with ${field} = ${raw}`);
    const requested = q.fields
      ?.split(",")
      .map((f) => f.trim())
      .filter(Boolean);
    const allowed = c.get("auth").attributes;
    if (allowed && requested) {
      const denied = requested.filter((f) => !allowed.includes(f));
      if (denied.length) throw forbidden(`the token may not read ${denied.join(", ")}`);
    }
    const data = apiEntity(profile, requested ?? allowed ?? undefined);
    if (q.segments === "true") data.segments = [ALL_SEGMENT, ...profile.segments.filter((s) => s !== ALL_SEGMENT)];
    const meta =
      q.meta === "true"
        ? {
            id: profile.id,
            created: new Date(profile.created).toISOString(),
            modified: new Date(profile.modified).toISOString(),
            merged: profile.merged,
            events: profile.events,
            refused_merges: profile.refusedMerges,
          }
        : undefined;
    return c.json({ status: 200 as const, message: "success", data, ...(meta ? { meta } : {}) }, 200);
  };
  app.openapi(byTable, (c) => {
    const p = c.req.valid("param");
    return handle(c, p.table, p.field, p.value, c.req.valid("query"));
  });
  app.openapi(me, (c) => {
    const p = c.req.valid("param");
    return handle(c, "user", p.field, p.value, c.req.valid("query"));
  });
}
