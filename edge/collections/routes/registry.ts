/** The collections API's root, segmentations, collection definitions and events. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../accounts/app-env";
import { badRequest } from "../../platform/http/errors";
import { errorResponses, jsonBody, jsonContent as json, tokenSecurity as security } from "../../platform/http/openapi";
import { readJsonAs } from "../../platform/http/validation";
import {
  ApiRootSchema,
  CollectionCreateSchema,
  CollectionListSchema,
  CollectionParams,
  CollectionSchema,
  CollectionUpdateSchema,
  EventInputSchema,
  EventListSchema,
  EventParams,
  EventSchema,
  MatchesSchema,
  OrgParams,
  PersonQuery,
  SegmentationQuery,
  SegmentationsSchema,
} from "../schemas";
import { eventMatches, resolveCollection, unwrap } from "../service";
import { latestSegmentation } from "../segmentations";
import { registryStub } from "../stubs";
import { accountBase, collectionsUrl, collectionView } from "./views";
import { accountOf, readAccess, writeAccess } from "./access";

const tags = ["Collections"];

/** Adds the root, segmentation, collection and event operations to the collections sub-app. */
export function addRegistryRoutes(app: OpenAPIHono<AppEnv>): void {
  // API root, as Intempt's `GET https://api.intempt.com/` answers it (also without the trailing slash, undocumented).
  for (const path of ["/v1/{org}/", "/v1/{org}"] as const) {
    app.openapi(
      createRoute({
        method: "get",
        path,
        hide: path === "/v1/{org}",
        tags,
        security,
        middleware: readAccess,
        summary: "API root: service details and links to sources and collections",
        request: { params: OrgParams },
        responses: { 200: json(ApiRootSchema, "API details"), ...errorResponses(401, 403, 404) },
      }),
      async (c) => {
        const { cid } = await accountOf(c);
        const base = accountBase(c, cid);
        return c.json(
          {
            service: "metadata",
            version: "v1",
            status: "ok",
            _links: {
              sources: { href: `${base}/sources/` },
              collections: { href: `${base}/collections/` },
              segmentations: { href: `${base}/segmentations/latest` },
            },
          },
          200,
        );
      },
    );
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/{org}/segmentations/latest",
      tags,
      security,
      middleware: readAccess,
      summary: "A person's latest segmentation (by profileId or masterId)",
      description:
        "`profileId`/`masterId`: a profile id (`meta.id` of `/api/entity/...?meta=true`); merged profiles are followed to the surviving one. Each segmentation also lists the person's audience slugs in `segments`. The `sourceId` and `profile` lookup is not supported (400).",
      request: { params: OrgParams, query: SegmentationQuery },
      responses: { 200: json(SegmentationsSchema, "Segmentations"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const acct = await accountOf(c);
      const id = c.req.query("profileId") ?? c.req.query("masterId");
      if (!id) {
        if (c.req.query("sourceId") !== undefined || c.req.query("profile") !== undefined)
          throw badRequest("lookup by sourceId and profile is not supported; give profileId or masterId", [
            { path: "sourceId", message: "not supported" },
          ]);
        throw badRequest("give profileId or masterId", [{ path: "profileId", message: "required" }]);
      }
      const s = await latestSegmentation(c.env, acct, id);
      const base = `${accountBase(c, acct.cid)}/segmentations`;
      return c.json(
        {
          _embedded: {
            segmentations: [
              { ...s, _links: { self: { href: `${base}/latest?masterId=${encodeURIComponent(s.masterId)}` } } },
            ],
          },
          _links: { self: { href: base } },
        },
        200,
      );
    },
  );

  // Collections
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/{org}/collections",
      tags,
      security,
      middleware: readAccess,
      summary: "List the account's collections",
      request: { params: OrgParams },
      responses: { 200: json(CollectionListSchema, "Collections"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { cid } = await accountOf(c);
      const defs = await registryStub(c.env, cid).listCollections();
      return c.json(
        {
          _embedded: { collections: defs.map((d) => collectionView(c, cid, d)) },
          _links: { self: { href: collectionsUrl(c, cid) } },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/{org}/collections",
      tags,
      security,
      middleware: writeAccess,
      summary: "Create a collection with an Avro record schema",
      description:
        "Keys and identifiers are top-level fields. `primaryKey` (string, int or long; required before data is stored), `foreignKeys` refer to other collections' primary keys (same type), `profileIdentifier` ties rows to a person's profile within the source (one field name per source), `userIdentifiers` (need a profile identifier) link profiles across sources. Limits: 200 collections per account, 200 top-level fields, 64 KiB schema.",
      request: { params: OrgParams, body: jsonBody(app, "CollectionCreate", CollectionCreateSchema) },
      responses: { 201: json(CollectionSchema, "Created"), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422) },
    }),
    async (c) => {
      const { cid } = await accountOf(c);
      const input = await readJsonAs(c, CollectionCreateSchema, "collection");
      const def = unwrap(await registryStub(c.env, cid).createCollection(cid, input));
      return c.json(collectionView(c, cid, def, 0), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/{org}/collections/{id}",
      tags,
      security,
      middleware: readAccess,
      summary: "A collection, with its row count",
      request: { params: CollectionParams },
      responses: { 200: json(CollectionSchema, "The collection"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { cid } = await accountOf(c);
      const found = await resolveCollection(c.env, cid, c.req.param("id"));
      return c.json(collectionView(c, cid, found.def, found.rows), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/v1/{org}/collections/{id}",
      tags,
      security,
      middleware: writeAccess,
      summary: "Change a collection (the keys sent replace the current ones)",
      description:
        "While the collection holds data its primary key cannot change, and a new schema must read the stored rows (added fields need a default or a null branch; types may only widen).",
      request: { params: CollectionParams, body: jsonBody(app, "CollectionUpdate", CollectionUpdateSchema) },
      responses: { 200: json(CollectionSchema, "Updated"), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422) },
    }),
    async (c) => {
      const { cid } = await accountOf(c);
      const input = await readJsonAs(c, CollectionUpdateSchema, "collection");
      const def = unwrap(await registryStub(c.env, cid).updateCollection(cid, c.req.param("id"), input));
      return c.json(collectionView(c, cid, def), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/{org}/collections/{id}",
      tags,
      security,
      middleware: writeAccess,
      summary: "Delete a collection and its data; answers the deleted collection",
      description: "Refused (409) while other collections' foreign keys refer to it. Its events are deleted too.",
      request: { params: CollectionParams },
      responses: { 200: json(CollectionSchema, "Deleted"), ...errorResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const { cid } = await accountOf(c);
      const def = unwrap(await registryStub(c.env, cid).deleteCollection(cid, c.req.param("id")));
      return c.json(collectionView(c, cid, def), 200);
    },
  );

  // Events
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/{org}/events/matches",
      tags,
      security,
      middleware: readAccess,
      summary: "Events matched by a person (by profileId or masterId)",
      description:
        "`profileId`/`masterId`: a profile id (`meta.id` of `/api/entity/...?meta=true`); merged profiles are followed to the surviving one (`masterId`), and the matches of every profile merged into it are combined.",
      request: { params: OrgParams, query: PersonQuery },
      responses: { 200: json(MatchesSchema, "Matches"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const acct = await accountOf(c);
      const id = c.req.query("profileId") ?? c.req.query("masterId");
      if (!id) throw badRequest("give profileId or masterId", [{ path: "profileId", message: "required" }]);
      const answer = await eventMatches(c.env, acct, id);
      return c.json({ ...answer, _links: { self: { href: `${accountBase(c, acct.cid)}/events/matches` } } }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/{org}/events",
      tags,
      security,
      middleware: readAccess,
      summary: "List events (filters on collections)",
      request: { params: OrgParams },
      responses: { 200: json(EventListSchema, "Events"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { cid } = await accountOf(c);
      return c.json({ _embedded: { events: await registryStub(c.env, cid).listEvents() } }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/{org}/events",
      tags,
      security,
      middleware: writeAccess,
      summary: "Create or replace an event (by name)",
      description:
        "`filter` is a sum of products: a list of alternatives (OR), each a list of conditions that all hold (AND). Operators: equals, notEquals, greater, greaterOrEqual, less, lessOrEqual, contains, in, exists, notExists. The collection needs a profile identifier. Rows stored afterwards that pass the filter are matches for their person. Limits: 100 events, 50 conditions each.",
      request: { params: OrgParams, body: jsonBody(app, "EventInput", EventInputSchema) },
      responses: {
        200: json(EventSchema, "Replaced"),
        201: json(EventSchema, "Created"),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const { cid } = await accountOf(c);
      const input = await readJsonAs(c, EventInputSchema, "event");
      const outcome = await registryStub(c.env, cid).putEvent(cid, input);
      const event = unwrap(outcome);
      return c.json(event, outcome.ok && outcome.created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/{org}/events/{name}",
      tags,
      security,
      middleware: writeAccess,
      summary: "Delete an event; answers it",
      request: { params: EventParams },
      responses: { 200: json(EventSchema, "Deleted"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { cid } = await accountOf(c);
      return c.json(unwrap(await registryStub(c.env, cid).deleteEvent(cid, c.req.param("name"))), 200);
    },
  );
}
