/**
 * The collections API's zod schemas: request bodies (validated by the
 * handlers and the registry store) and the documented responses.
 */
import { z } from "@hono/zod-openapi";
import { PAGE_MAX } from "./model/limits";

export { CollectionCreateSchema, CollectionUpdateSchema } from "./model/input";
export { EventInputSchema } from "./model/events";

/** Data items a listing without `limit` returns at most (everything, as Intempt, up to this; then `_links.next`). */
export const LIST_ALL_MAX = 10_000;

export const Link = z.object({ href: z.string() });

export const CollectionSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    source: z.string(),
    description: z.string().nullable(),
    schema: z.record(z.string(), z.unknown()),
    primaryKey: z.string().nullable(),
    foreignKeys: z.array(
      z.object({
        field: z.string(),
        collection: z.string(),
        collectionName: z.string(),
        relation: z.string().nullable(),
      }),
    ),
    profileIdentifier: z.string().nullable(),
    userIdentifiers: z.array(z.string()),
    userAttributes: z.array(z.string()).nullable(),
    version: z.number().int(),
    created: z.string(),
    updated: z.string(),
    rows: z.number().int().optional(),
    _links: z.object({ self: Link, data: Link }),
  })
  .openapi("Collection");
export const DataItemSchema = z
  .object({
    collId: z
      .union([z.number().int(), z.string()])
      .openapi({ description: "The collection id, a number as Intempt's" }),
    id: z
      .union([z.number().int(), z.string()])
      .openapi({ description: "The item's primary-key value: a number for integer keys, else a string" }),
    data: z.record(z.string(), z.unknown()),
    matches: z.array(z.string()),
    created: z.string(),
    updated: z.string(),
    _links: z.object({ self: Link }),
  })
  .openapi("DataItem");
export const IngestResultSchema = z
  .object({
    status: z.literal(201),
    message: z.string(),
    data: z.array(
      z.object({
        collection: z.string(),
        collId: z.string(),
        received: z.number(),
        created: z.number(),
        updated: z.number(),
        items: z.array(z.object({ id: z.string(), matches: z.array(z.string()) })),
        profilesPending: z.boolean(),
      }),
    ),
  })
  .openapi("IngestResult");
export const UploadSchema = z
  .object({
    id: z.string(),
    collId: z.string(),
    state: z.enum(["awaiting_upload", "receiving", "queued", "processing", "done", "failed"]),
    size: z.number(),
    bytesProcessed: z.number(),
    rowsOk: z.number(),
    rowsFailed: z.number(),
    errors: z.array(z.object({ line: z.number(), path: z.string().optional(), message: z.string() })),
    errorsTotal: z.number(),
    errorsTruncated: z.boolean(),
    ignoredColumns: z.array(z.string()),
    message: z.string().nullable(),
    created: z.string(),
    expires: z.string(),
    started: z.string().nullable(),
    finished: z.string().nullable(),
    _links: z.object({ self: Link }),
  })
  .openapi("Upload");
export const EventSchema = z
  .object({
    name: z.string(),
    collection: z.string(),
    description: z.string().nullable(),
    filter: z.array(z.array(z.object({ field: z.string(), operator: z.string(), value: z.unknown().optional() }))),
    created: z.string(),
    updated: z.string(),
  })
  .openapi("Event");
export const MatchesSchema = z
  .object({
    masterId: z.string(),
    profileIds: z.array(z.string()),
    matchedEvents: z.array(z.string()),
    lastUpdated: z.string().nullable(),
    _links: z.object({ self: Link }),
  })
  .openapi("EventMatches");

/** `:org`, the account id. */
export const OrgParam = z.string().openapi({ description: "Account id (cid)" });
export const OrgParams = z.object({ org: OrgParam });
export const CollectionParams = z.object({
  org: OrgParam,
  id: z.string().openapi({ description: "Collection id or name" }),
});
export const ItemParams = CollectionParams.extend({
  itemId: z.string().openapi({ description: "The row's primary key value" }),
});
export const UploadParams = z.object({ org: OrgParam, uploadId: z.string() });
export const SourceParams = z.object({ org: OrgParam, id: z.string().openapi({ description: "Source id" }) });
export const EventParams = z.object({ org: OrgParam, name: z.string() });

/** `profileId`/`masterId`, the person of a segmentation or matches lookup. */
export const PersonQuery = z.object({ profileId: z.string().optional(), masterId: z.string().optional() });
export const SegmentationQuery = PersonQuery.extend({
  sourceId: z.string().optional(),
  profile: z.string().optional(),
});
export const DataListQuery = z.object({
  limit: z
    .string()
    .optional()
    .openapi({
      description: `Page size, 1 to ${PAGE_MAX}. Without it every item is returned (as Intempt), up to ${LIST_ALL_MAX}; past that, \`_links.next\``,
    }),
  cursor: z.string().optional().openapi({ description: "From `_links.next`" }),
});
export const UploadQuery = z.object({ token: z.string() });

export const ApiRootSchema = z.object({
  service: z.string(),
  version: z.string(),
  status: z.string(),
  _links: z.object({ sources: Link, collections: Link, segmentations: Link }),
});
export const SegmentationsSchema = z.object({
  _embedded: z.object({
    segmentations: z.array(
      z.object({
        id: z.string(),
        masterId: z.string(),
        profileIds: z.array(z.string()),
        created: z.string(),
        segments: z.array(z.string()),
        _links: z.object({ self: Link }),
      }),
    ),
  }),
  _links: z.object({ self: Link }),
});
export const CollectionListSchema = z.object({
  _embedded: z.object({ collections: z.array(CollectionSchema) }),
  _links: z.object({ self: Link }),
});
export const DataListSchema = z.object({
  _embedded: z.object({ dataItemList: z.array(DataItemSchema) }),
  page: z.object({ size: z.number(), totalElements: z.number() }),
  _links: z.object({ self: Link, next: Link.optional() }),
});
/** A JSON data write: one row or an array of rows. */
export const DataWriteSchema = z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()))]);
/** A source write: `{"collectionName": [rows], ...}`. */
export const SourceWriteSchema = z.record(z.string(), z.unknown());
export const UploadAcceptedSchema = z.object({ status: z.literal(202), message: z.string(), data: UploadSchema });
export const EventListSchema = z.object({ _embedded: z.object({ events: z.array(EventSchema) }) });
