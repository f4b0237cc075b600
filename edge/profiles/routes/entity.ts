/** The entity API (`/api/entity`, `/api/me`): a profile by any identifier, a person's export and erasure. */
import type { Context } from "hono";
import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import type { AppEnv } from "../../accounts/app-env";
import { accountOfCall, refuseAttributeLimited, requireRole } from "../../accounts/access/auth";
import { accountStub } from "../../accounts/config";
import { normalizeIdentifier } from "../../identity/identifiers";
import { forbidden, notFound } from "../../platform/http/errors";
import { errorResponses, jsonContent, tokenSecurity as security } from "../../platform/http/openapi";
import { ALL_SEGMENT, apiEntity } from "../fields/entity-view";
import { eraseWithRequest } from "../privacy/erasure";
import {
  CidQuery,
  DeletionParams,
  DeletionStatusSchema,
  EntityQuery,
  EntityResponse,
  ErasedSchema,
  ExportSchema,
  PersonParams,
  TableParams,
} from "../schemas";
import { exportPerson } from "../privacy/person-data";
import { findProfile } from "../resolve/find-profile";

type C = Context<AppEnv>;
const tags = ["Profiles"];
const readers = requireRole("admin", "data_manager", "reader");
const admin = requireRole("admin");

/** The account of the call and the identifier `field`=`raw` names (404 when it cannot name anyone). */
async function personOf(c: C, field: string, raw: string) {
  const account = await accountOfCall(c);
  const f = field === "_uids" ? "_uid" : field;
  const value = normalizeIdentifier(f, raw, account);
  if (value === null) throw notFound(`no profile with ${field} = ${raw}`);
  return { account, key: { field: f, value } };
}

/** The entity answer: the profile's fields (those asked for and allowed), audiences and metadata on request. */
async function entityAnswer(c: C, table: string, field: string, raw: string, q: z.infer<typeof EntityQuery>) {
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
}

/** Adds the entity operations to the profiles sub-app. */
export function addEntityRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/entity/user/{field}/{value}/export",
      tags,
      summary: "Everything held about a person (data-subject access request; admin)",
      security,
      middleware: [admin, refuseAttributeLimited("the export")],
      request: { params: PersonParams, query: CidQuery },
      responses: { 200: jsonContent(ExportSchema, "The person's data"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid("param");
      const { account, key } = await personOf(c, p.field, p.value);
      const data = await exportPerson(c.env, account, key);
      if (!data) throw notFound(`no profile with ${p.field} = ${p.value}`);
      return c.json({ status: 200, message: "success", data }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/entity/user/{field}/{value}",
      tags,
      summary: "Erase a person (GDPR/CCPA): profile, merged profiles and identity links (admin)",
      description:
        "Afterwards no endpoint returns anything about them, and a new event starts a fresh profile. The answer carries a `request_id`; `GET /api/entity/deletion/{request_id}` reports its state.",
      security,
      middleware: admin,
      request: { params: PersonParams, query: CidQuery },
      responses: { 200: jsonContent(ErasedSchema, "Erased"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid("param");
      const { account, key } = await personOf(c, p.field, p.value);
      const erased = await eraseWithRequest(c.env, account, key);
      if (!erased) throw notFound(`no profile with ${p.field} = ${p.value}`);
      return c.json({ status: 200, message: "erased", data: { ...erased, state: "completed" as const } }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/entity/deletion/{request_id}",
      tags,
      summary: "State of a deletion request (the request_id a DELETE answered with; admin)",
      security,
      middleware: admin,
      request: { params: DeletionParams, query: CidQuery },
      responses: { 200: jsonContent(DeletionStatusSchema, "The request"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const { request_id } = c.req.valid("param");
      const found = await accountStub(c.env, account.cid).getPrivacyRequest(request_id);
      if (!found) throw notFound(`no deletion request ${request_id}`);
      return c.json({ status: 200, message: "success", data: found }, 200);
    },
  );

  // One operation, two paths: `/api/me/{field}/{value}` is `/api/entity/user/{field}/{value}`.
  const read = {
    tags,
    security,
    middleware: readers,
    responses: {
      200: jsonContent(EntityResponse, "The profile"),
      ...errorResponses(400, 401, 403, 404),
    },
  } as const;
  app.openapi(
    createRoute({
      ...read,
      method: "get",
      path: "/api/entity/{table}/{field}/{value}",
      summary: "A profile by any identifier (Lytics entity API)",
      request: { params: TableParams, query: EntityQuery },
    }),
    (c) => {
      const p = c.req.valid("param");
      return entityAnswer(c, p.table, p.field, p.value, c.req.valid("query"));
    },
  );
  app.openapi(
    createRoute({
      ...read,
      method: "get",
      path: "/api/me/{field}/{value}",
      summary: "Alias of /api/entity/user/{field}/{value}",
      request: { params: PersonParams, query: EntityQuery },
    }),
    (c) => {
      const p = c.req.valid("param");
      return entityAnswer(c, "user", p.field, p.value, c.req.valid("query"));
    },
  );
}
