/** The Segment API's documented shapes (v1 SegmentQL text, v2 reference 001), parameters and bodies. */
import { z } from "@hono/zod-openapi";

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
