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
import { checkedByHandler } from "../../platform/http/openapi";
import type { ContentProblem } from "../contract";

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
