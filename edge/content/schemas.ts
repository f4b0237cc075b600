/**
 * Input of the content API (`/api/content/doc`, JSON, one or many) and of
 * CSV imports, validated with zod. Every problem names its field: a dotted
 * path into the body (`3.title` is the title of the fourth document of a
 * batch) or, for CSV, the column and the line.
 *
 * Limits: 1,000 documents per request or per delete; title 500
 * characters, description 2,000, author 200, URLs 2,048; 50 keywords and
 * 50 topics per document, each label 64 characters.
 */
import { z } from "@hono/zod-openapi";
import { checkedByHandler } from "../platform/http/openapi";
import type { ContentProblem } from "./contract";

/** Most documents one create/update/delete request may carry. */
export const MAX_BATCH = 1000;
/** Most keywords or topics per document. */
export const MAX_LABELS = 50;

const isoTime = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Publication time: ISO-8601 (date or date-time) or epoch milliseconds. */
const PublishedSchema = z
  .union([
    z
      .string()
      .refine(
        (s) => isoTime.test(s) && !Number.isNaN(Date.parse(s.replace(" ", "T"))),
        "expected an ISO-8601 date or date-time, e.g. 2024-05-01T09:00:00Z",
      ),
    z.number().int().min(0).max(8.64e15),
  ])
  .openapi({ example: "2024-05-01T09:00:00Z" });

const Label = z.string().trim().min(1, "empty label").max(64, "longer than 64 characters");

const HttpUrl = z
  .string()
  .max(2048)
  .refine((s) => /^https?:\/\/[^\s/]+/i.test(s.trim()), "expected an absolute http(s) URL");

/** Topics set by hand: labels (weight 1 each) or label -> weight in (0, 1]. */
const TopicsSchema = z.union([
  z.array(Label).max(MAX_LABELS),
  z
    .record(Label, z.number().gt(0, "weights are in (0, 1]").max(1, "weights are in (0, 1]"))
    .refine((r) => Object.keys(r).length <= MAX_LABELS, `at most ${MAX_LABELS} topics`),
]);

/** The document key: required, a string. */
const UrlKey = z
  .string({ error: (issue) => (issue.input === undefined ? "required" : "expected a string") })
  .min(1, "required")
  .max(2048);

const fields = {
  title: z.string().max(500),
  description: z.string().max(2000),
  primary_image: HttpUrl,
  author: z.string().max(200),
  published: PublishedSchema,
  keywords: z.union([z.array(Label).max(MAX_LABELS), z.string().max(2000)]),
  topics: TopicsSchema,
};

/**
 * One document to create or replace (`POST /api/content/doc`). `url` is
 * the key (canonicalised with the account's settings). Giving `topics`
 * sets them by hand: extraction never overwrites them.
 */
export const DocumentInputSchema = z
  .object({
    url: UrlKey.openapi({ example: "https://www.example.com/blog/ten-quiet-trails" }),
    title: fields.title.optional(),
    description: fields.description.optional(),
    primary_image: fields.primary_image.optional(),
    author: fields.author.optional(),
    published: fields.published.optional(),
    keywords: fields.keywords.optional(),
    topics: fields.topics.optional(),
  })
  .strict()
  .openapi("ContentDocumentInput");
export type DocumentInput = z.infer<typeof DocumentInputSchema>;

/**
 * A change to an existing document (`PATCH`): given fields replace the
 * stored ones, `null` clears one; `topics: null` returns to extracted
 * topics.
 */
export const DocumentPatchSchema = z
  .object({
    url: UrlKey,
    title: fields.title.nullable().optional(),
    description: fields.description.nullable().optional(),
    primary_image: fields.primary_image.nullable().optional(),
    author: fields.author.nullable().optional(),
    published: fields.published.nullable().optional(),
    keywords: fields.keywords.nullable().optional(),
    topics: fields.topics.nullable().optional(),
  })
  .strict()
  .openapi("ContentDocumentPatch");
export type DocumentPatch = z.infer<typeof DocumentPatchSchema>;

/** Body of a bulk delete: `{ "urls": [...] }`. */
export const DocumentDeleteSchema = z
  .object({ urls: z.array(z.string().min(1).max(2048)).min(1).max(MAX_BATCH) })
  .strict()
  .openapi("ContentDocumentDelete");

/** zod issues as problems with dotted paths; unknown keys are named. */
export function zodProblems(error: z.ZodError, prefix = ""): ContentProblem[] {
  return error.issues.map((issue) => {
    const parts = issue.path.map(String);
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const path = [prefix, ...parts].filter((p) => p !== "").join(".");
    const message = keys.length ? `unknown field${keys.length > 1 ? "s" : ""} ${keys.join(", ")}` : issue.message;
    return path ? { path, message } : { message };
  });
}

/** Result of validating a body: the values, or every problem found. */
export type Validated<T> = { ok: true; value: T } | { ok: false; problems: ContentProblem[] };

/**
 * Validates one document or a batch (an array, or `{ "documents": [...] }`)
 * of at most `MAX_BATCH`; problems of a batch are prefixed by the index.
 */
function batch<T>(schema: z.ZodType<T>, body: unknown): Validated<T[]> {
  const list: unknown =
    body && typeof body === "object" && !Array.isArray(body) && "documents" in body
      ? (body as { documents: unknown }).documents
      : body;
  const many = Array.isArray(list);
  const items: unknown[] = many ? list : [list];
  if (items.length === 0) return { ok: false, problems: [{ message: "no documents given" }] };
  if (items.length > MAX_BATCH)
    return { ok: false, problems: [{ message: `at most ${MAX_BATCH} documents per request (got ${items.length})` }] };
  const out: T[] = [];
  const problems: ContentProblem[] = [];
  items.forEach((item, i) => {
    const r = schema.safeParse(item);
    if (r.success) out.push(r.data);
    else problems.push(...zodProblems(r.error, many ? String(i) : ""));
  });
  return problems.length ? { ok: false, problems } : { ok: true, value: out };
}

/** Validates the body of a create/replace request. */
export const parseDocumentInputs = (body: unknown): Validated<DocumentInput[]> => batch(DocumentInputSchema, body);

/** Validates the body of an update request. */
export const parseDocumentPatches = (body: unknown): Validated<DocumentPatch[]> => batch(DocumentPatchSchema, body);

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
