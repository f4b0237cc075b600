/**
 * The content API's HTTP shapes, documented in /openapi.json (the input
 * documents themselves are validated in documents/input.ts).
 */
import { z } from "@hono/zod-openapi";
import { checkedByHandler } from "../platform/http/openapi";
import { DocumentInputSchema, DocumentPatchSchema, MAX_BATCH } from "./documents/input";

// ---- HTTP shapes (documented in /openapi.json) ----

export const DocumentSchema = z
  .object({
    url: z.string(),
    title: z.string().optional(),
    description: z.string().optional(),
    primary_image: z.string().optional(),
    author: z.string().optional(),
    published: z.string().optional(),
    keywords: z.array(z.string()),
    topics: z.record(z.string(), z.number()),
    manual_topics: z.boolean(),
    views: z.number().int(),
    unique_visitors: z.number().int(),
    created: z.string(),
    updated: z.string(),
    last_viewed: z.string().optional(),
    source: z.enum(["api", "import", "discovery"]),
  })
  .openapi("ContentDocument");
export const SettingsSchema = z
  .object({
    hosts: z.array(z.string().min(1).max(253)).max(100),
    paths: z.array(z.string().min(1).max(512)).max(100),
    exclude_paths: z.array(z.string().min(1).max(512)).max(100),
    strip_params: z.array(z.string().min(1).max(128)).max(100),
    trailing_slash: z.enum(["strip", "keep"]),
  })
  .openapi("ContentSettings");
export const AudienceSchema = z.object({ slug: z.string(), segment_ql: z.string() }).openapi("ContentAudience");
/** A recommended document: the document's descriptive fields, with the recommendation's confidence. */
export const ItemSchema = DocumentSchema.pick({
  url: true,
  title: true,
  description: true,
  primary_image: true,
  author: true,
  created: true,
})
  .extend({ confidence: z.number(), visited: z.boolean() })
  .openapi("RecommendedDocument");
export const ImportSchema = z
  .object({
    id: z.string(),
    state: z.enum(["queued", "processing", "done", "failed"]),
    size: z.number().int().openapi({ description: "bytes of the file" }),
    processed: z.number().int().openapi({ description: "bytes processed" }),
    progress: z.number().openapi({ description: "processed / size, 0–1" }),
    rowsOk: z.number().int(),
    rowsFailed: z.number().int(),
    errors: z
      .array(z.object({ line: z.number().int(), path: z.string().optional(), message: z.string() }))
      .openapi({ description: "the first 1,000 problems, by line (the header is line 1)" }),
    errorsTotal: z.number().int(),
    ignoredColumns: z.array(z.string()),
    message: z.string().nullable().openapi({ description: "why the import failed as a whole" }),
    created: z.string(),
    started: z.string().nullable(),
    finished: z.string().nullable(),
  })
  .openapi("ContentImport");
export const ImportParams = z.object({ id: z.string() });
export const RecommendQuery = z.object({
  limit: z.string().optional().openapi({ description: "1–50 (default 10)" }),
  rank: checkedByHandler({ values: ["affinity", "popular", "recent"] }),
  visited: z.string().optional().openapi({ description: "true: include documents the visitor saw (default false)" }),
  shuffle: z.string().optional(),
  contentsegment: z
    .string()
    .optional()
    .openapi({ description: "SegmentQL filter on the content table, or a saved content audience slug" }),
  ql: z.string().optional(),
  "topics[]": checkedByHandler(),
  url: checkedByHandler({ description: "URL pattern to include (`*` wildcard), repeatable" }),
  exclude_url: checkedByHandler({ description: "URL pattern to exclude, repeatable" }),
});

/** `?cid=`, the account of a root-token call. */
export const CidQuery = z.object({ cid: z.string().optional() });
export const DocumentQuery = z.object({
  cid: z.string().optional(),
  url: z.string().optional(),
  filter: z.string().optional(),
  q: z.string().optional(),
  limit: z.string().optional(),
  offset: z.string().optional(),
});
export const DocumentDeleteQuery = z.object({ cid: z.string().optional(), url: z.string().optional() });
export const BrowserRecommendParams = z.object({ cid: z.string(), field: z.string(), value: z.string() });
export const RecommendParams = z.object({ field: z.string(), value: z.string() });
export const AudienceParams = z.object({ slug: z.string() });
/** The body of a content audience. */
export const AudienceInputSchema = z.object({ segment_ql: z.string().min(1).max(4000) });
export const SettingsPatchSchema = SettingsSchema.partial();

/** One document, an array, or `{documents: [...]}`. */
const batchOf = (schema: z.ZodTypeAny) =>
  z.union([schema, z.array(schema).max(MAX_BATCH), z.object({ documents: z.array(schema) })]);
export const DocumentWriteSchema = batchOf(DocumentInputSchema);
export const DocumentPatchWriteSchema = batchOf(DocumentPatchSchema);

/** `{status, message, data}`, the content API's envelope. */
export const envelope = <S extends number, T extends z.ZodTypeAny>(status: S, data: T) =>
  z.object({ status: z.literal(status), message: z.string(), data });
export const RecommendationsSchema = z.object({ data: z.array(ItemSchema) });
export const DocumentPageSchema = z.object({
  status: z.literal(200),
  message: z.string(),
  data: z.union([DocumentSchema, z.array(DocumentSchema)]),
  total: z.number().int().optional(),
  next: z.number().int().nullable().optional(),
});
export const DeletedSchema = envelope(200, z.object({ deleted: z.array(z.string()), missing: z.array(z.string()) }));

// ---- recommendation preview (console) ----

/** Query of `GET /api/content/explain/user/{field}/{value}`. */
export const ExplainQuery = z.object({
  cid: z.string().optional(),
  limit: z.string().optional().openapi({ description: "1–50 (default 10)" }),
  rank: z.enum(["affinity", "popular", "recent"]).optional(),
  visited: z.string().optional().openapi({ description: "true: include documents the visitor saw (default false)" }),
  contentsegment: z.string().optional(),
  "topics[]": z.string().optional(),
});

/** A recommended document with the reasons for its rank. */
export const ExplainedItemSchema = z
  .object({
    url: z.string(),
    title: z.string().optional(),
    description: z.string().optional(),
    primary_image: z.string().optional(),
    author: z.string().optional(),
    created: z.string(),
    confidence: z.number(),
    visited: z.boolean(),
    rank: z.enum(["affinity", "popular", "recent"]),
    unique_visitors: z.number().int(),
    views: z.number().int(),
    topics: z.array(
      z.object({ topic: z.string(), weight: z.number(), affinity: z.number(), contribution: z.number() }),
    ),
    reasons: z.array(z.string()),
  })
  .openapi("ExplainedRecommendation");

/** The preview: who the visitor is to the ranking, and the ranked documents. */
export const ExplanationSchema = z
  .object({
    visitor: z.object({
      found: z.boolean(),
      profile_id: z.string().nullable(),
      affinities: z.array(z.object({ topic: z.string(), affinity: z.number() })),
      visited: z.number().int().openapi({ description: "Documents the visitor is remembered to have seen" }),
    }),
    rank: z.enum(["affinity", "popular", "recent"]).openapi({ description: "The mode asked for" }),
    rank_used: z.enum(["affinity", "popular", "recent"]),
    items: z.array(ExplainedItemSchema),
  })
  .openapi("RecommendationExplanation");
