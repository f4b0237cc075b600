/** The Segment API's documented shapes (v1 SegmentQL text, v2 reference 001), parameters and bodies. */
import { z } from "@hono/zod-openapi";
import { SIZE_HISTORY_DAYS } from "./size-history";

export const SegmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug_name: z.string(),
    description: z.string(),
    table: z.literal("user"),
    is_public: z.boolean(),
    kind: z.enum(["rule", "manual"]),
    ast: z.unknown().nullable(),
    segment_ql: z.string(),
    groups: z.array(z.string()),
    size: z.number().int(),
    created: z.string(),
    updated: z.string(),
  })
  .openapi("Segment");

export const SegmentBody = z
  .object({
    name: z.string().min(1).max(200).optional(),
    slug_name: z.string().min(1).max(128).optional(),
    description: z.string().max(2000).optional(),
    is_public: z.boolean().optional(),
    table: z.literal("user").optional(),
    kind: z.enum(["rule", "manual"]).optional(),
    ast: z.unknown().optional(),
    segment_ql: z.string().max(100_000).optional(),
    groups: z.array(z.string()).max(50).optional(),
  })
  .strict()
  .openapi("SegmentInput");

export const GroupBody = z
  .object({ name: z.string().min(1).max(200), description: z.string().max(2000).optional() })
  .strict()
  .openapi("SegmentGroupInput");
export const GroupSchema = z
  .object({ id: z.string(), name: z.string(), description: z.string(), created: z.string(), updated: z.string() })
  .openapi("AudienceGroup");
export const JobSchema = z
  .object({
    id: z.string(),
    segment_id: z.string(),
    type: z.literal("reevaluate"),
    state: z.enum(["queued", "running", "completed", "failed"]),
    progress: z.object({ done: z.number(), total: z.number().nullable(), shard: z.number(), changed: z.number() }),
    created: z.string(),
    updated: z.string(),
  })
  .openapi("AudienceJob");

export const ExportJobSchema = z
  .object({
    id: z.string().openapi({ description: "The subscription id" }),
    segment_id: z.string(),
    type: z.literal("export"),
    workflow: z.literal("webhook_triggers"),
    name: z.string(),
    state: z.enum(["active", "disabled"]),
    state_reason: z.string().nullable(),
    withbackfill: z.boolean(),
    created: z.string(),
    updated: z.string(),
  })
  .openapi("AudienceExportJob");

export type AudienceInput = z.infer<typeof SegmentBody>;
export type GroupInput = z.infer<typeof GroupBody>;

/** `{status, message, data}`. */
export const envelope = <T extends z.ZodTypeAny>(data: T) =>
  z.object({ status: z.number(), message: z.string(), data });
export const CidQuery = z.object({ cid: z.string().optional() });
export const IdParams = z.object({ id: z.string() });
/** The SegmentQL text of the v1 upsert. */
export const SegmentQlText = z.string();
export const JobsSchema = z.array(z.union([JobSchema, ExportJobSchema]));

// ---- added for the console ----

/** Most members one preview page lists. */
export const MAX_MEMBER_PREVIEW = 50;

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

/** `{status, message, data}` around a schema, as a response content map. */
export const jsonEnvelope = (schema: z.ZodType) => ({
  "application/json": { schema: z.object({ status: z.number(), message: z.string(), data: schema }) },
});
