/** The Experiences API: create, list, read, edit (status included) and delete experiences. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../accounts/app-env";
import { accountOfCall } from "../../accounts/access/auth";
import { readJson } from "../../platform/http/body";
import { errorResponses, jsonBody, jsonContent, tokenSecurity as security } from "../../platform/http/openapi";
import { experienceStore } from "../delivery/service";
import { ExperienceCreateSchema, ExperiencePatchSchema } from "../input/experience";
import { CidQuery, envelope, ExperienceSchema, IdParams, ListQuery } from "../schemas";
import { found, ok, read, settled, tags, write } from "./answers";

/** Adds the management operations to the experiences sub-app. */
export function addManagementRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/experience",
      tags,
      summary: "Create an experience",
      description:
        "A name, a tactic (`drive_traffic`, `collect_leads`, `present_message`, `recommend_content`, `gate_content`), variations (Pathfora widget configurations and traffic shares), an optional `control_share`, `targeting` by audience slug, `display_conditions`, `dates`, an optional `goal` event. Starts as a draft unless `status: published`. 422 names every field at fault.",
      security,
      middleware: write,
      request: { query: CidQuery, body: jsonBody(app, "ExperienceInput", ExperienceCreateSchema) },
      responses: {
        201: jsonContent(envelope(ExperienceSchema), "Created"),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const created = settled(await experienceStore(c.env, account.cid).create(await readJson(c)));
      return c.json({ status: 201, message: "created", data: created }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/experience",
      tags,
      summary: "List the account's experiences",
      security,
      middleware: read,
      request: { query: ListQuery },
      responses: {
        200: jsonContent(envelope(z.array(ExperienceSchema)), "Experiences"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const status = c.req.query("status");
      const all = await experienceStore(c.env, account.cid).list();
      return ok(
        c,
        all.filter((e) => !status || e.status === status),
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/experience/{id}",
      tags,
      summary: "Read an experience",
      security,
      middleware: read,
      request: { params: IdParams, query: CidQuery },
      responses: {
        200: jsonContent(envelope(ExperienceSchema), "The experience"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const id = c.req.param("id");
      return ok(c, found(await experienceStore(c.env, account.cid).get(id), id));
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/experience/{id}",
      tags,
      summary: "Edit an experience, change its status, or set vehicle.detail_override",
      description:
        "Any field of the create body; `status` moves it through draft → published ⇄ paused → archived (409 for a move the lifecycle forbids, and for any edit of an archived experience). `vehicle.detail_override` is any Pathfora configuration merged over every variation's widget (JSON Merge Patch: objects merge, arrays and scalars replace, `null` removes). String callbacks in it are stored and delivered only when the account sets `allow_string_callbacks`.",
      security,
      middleware: write,
      request: {
        params: IdParams,
        query: CidQuery,
        body: jsonBody(app, "ExperiencePatchInput", ExperiencePatchSchema),
      },
      responses: {
        200: jsonContent(envelope(ExperienceSchema), "Updated"),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const id = c.req.param("id");
      const out = found(await experienceStore(c.env, account.cid).patch(id, await readJson(c)), id);
      return ok(c, settled(out), "updated");
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/experience/{id}",
      tags,
      summary: "Delete an experience (409 while published: pause it first)",
      security,
      middleware: write,
      request: { params: IdParams, query: CidQuery },
      responses: {
        200: jsonContent(envelope(ExperienceSchema), "Deleted"),
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const id = c.req.param("id");
      const out = found(await experienceStore(c.env, account.cid).remove(id), id);
      return ok(c, settled(out), "deleted");
    },
  );
}
