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

/**
 * CSV header names (case-insensitive, spaces and dashes as underscores)
 * and the document field each fills. `topics` and `keywords` cells hold
 * labels separated by `|` or `,`.
 */
export const CSV_COLUMNS: Readonly<Record<string, keyof DocumentInput>> = {
  url: "url",
  link: "url",
  canonical: "url",
  canonical_url: "url",
  title: "title",
  og_title: "title",
  description: "description",
  summary: "description",
  og_description: "description",
  primary_image: "primary_image",
  image: "primary_image",
  image_url: "primary_image",
  og_image: "primary_image",
  author: "author",
  article_author: "author",
  published: "published",
  published_time: "published",
  published_at: "published",
  article_published_time: "published",
  date: "published",
  keywords: "keywords",
  tags: "keywords",
  article_tag: "keywords",
  topics: "topics",
};

/** How the columns of a CSV file map to document fields. */
export interface CsvMapping {
  /** Column index -> field, for the columns used. */
  columns: [number, keyof DocumentInput][];
  /** Header names not used (reported, not an error). */
  ignored: string[];
}

const headerKey = (h: string): string =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s:.-]+/g, "_");

/** Maps a CSV header to fields; a header without a URL column, or naming a field twice, is refused. */
export function csvMapping(header: readonly string[]): Validated<CsvMapping> {
  const columns: [number, keyof DocumentInput][] = [];
  const ignored: string[] = [];
  const problems: ContentProblem[] = [];
  const seen = new Map<keyof DocumentInput, string>();
  header.forEach((h, i) => {
    const field = CSV_COLUMNS[headerKey(h)];
    if (!field) return void ignored.push(h);
    const other = seen.get(field);
    if (other !== undefined) problems.push({ path: h, message: `column "${h}" fills ${field}, as "${other}" does` });
    seen.set(field, h);
    columns.push([i, field]);
  });
  if (!seen.has("url"))
    problems.push({ message: `the header has no url column (one of: url, link, canonical, canonical_url)` });
  return problems.length ? { ok: false, problems } : { ok: true, value: { columns, ignored } };
}

/**
 * One CSV record as a validated document input. Empty cells are absent;
 * problems name the CSV column (`title`), the caller adds the line.
 */
export function csvRecordToInput(mapping: CsvMapping, fields: readonly string[]): Validated<DocumentInput> {
  const doc: Record<string, unknown> = {};
  for (const [i, field] of mapping.columns) {
    const cell = (fields[i] ?? "").trim();
    if (cell === "") continue;
    if (field === "topics" || field === "keywords") doc[field] = cell.split(/[|,]/).filter((s) => s.trim() !== "");
    else if (field === "published" && /^\d{10,}$/.test(cell)) doc[field] = Number(cell);
    else doc[field] = cell;
  }
  const r = DocumentInputSchema.safeParse(doc);
  return r.success ? { ok: true, value: r.data } : { ok: false, problems: zodProblems(r.error) };
}

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
