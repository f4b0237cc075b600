/** Zod schemas (and OpenAPI components) of the audiences routes added for the console. */
import { z } from "@hono/zod-openapi";
import { SIZE_HISTORY_DAYS } from "./size-history";

/** Most members one preview page lists. */
export const MAX_MEMBER_PREVIEW = 50;

/** `?cid=` of every management route. */
export const CidQuery = z.object({ cid: z.string().optional() });
/** An audience by id or slug. */
export const AudienceParam = z.object({ id: z.string() });

/** Body of `POST /v2/segment/validate`. */
export const ValidateBody = z
  .object({
    segment_ql: z.string().max(100_000).openapi({ description: "SegmentQL text, as the editor holds it" }),
  })
  .strict()
  .openapi("SegmentQLValidateInput");

/** One problem in SegmentQL text, at its place. */
export const SegmentQLProblemSchema = z
  .object({
    line: z.number().int().openapi({ description: "1-based line (0 when the problem has no place in the text)" }),
    column: z.number().int().openapi({ description: "1-based column (UTF-16 code units)" }),
    message: z.string(),
    expected: z.array(z.string()).optional().openapi({ description: "What would have been accepted there" }),
  })
  .openapi("SegmentQLProblem");

/** What validation answers: the parsed form when valid, every problem otherwise. */
export const ValidationSchema = z
  .object({
    valid: z.boolean(),
    table: z.string().nullable(),
    alias: z.string().nullable(),
    ast: z.unknown().nullable().openapi({ description: "The JSON ast when the text parses" }),
    segment_ql: z.string().nullable().openapi({ description: "The canonical text of the ast (as saved)" }),
    errors: z.array(SegmentQLProblemSchema),
  })
  .openapi("SegmentQLValidation");

/** `?limit=` of the member preview. */
export const MembersQuery = CidQuery.extend({
  limit: z.coerce.number().int().min(1).max(MAX_MEMBER_PREVIEW).optional().openapi({ description: "Default 20" }),
});

/** A member in the preview. */
export const MemberSchema = z
  .object({
    id: z.string().openapi({ description: "Profile id" }),
    identifiers: z.array(z.object({ field: z.string(), value: z.string() })),
    fields: z.record(z.string(), z.unknown()),
  })
  .openapi("AudienceMember");

/** `?days=` of the size history. */
export const HistoryQuery = CidQuery.extend({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(SIZE_HISTORY_DAYS)
    .optional()
    .openapi({ description: `Days ending today (UTC), default 30, at most ${SIZE_HISTORY_DAYS}` }),
});

/** A day of the size history. */
export const SizePointSchema = z
  .object({
    day: z.string().openapi({ example: "2026-11-29" }),
    size: z.number().int().nullable().openapi({ description: "Members at the end of the day; null before any record" }),
  })
  .openapi("AudienceSizePoint");

/** `{status, message, data}` around a schema. */
export const envelope = (schema: z.ZodType) => ({
  "application/json": { schema: z.object({ status: z.number(), message: z.string(), data: schema }) },
});
