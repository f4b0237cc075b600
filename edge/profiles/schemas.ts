/** The profiles API's documented shapes: entities, privacy requests, their parameters. */
import { z } from "@hono/zod-openapi";
import { CidSchema } from "../accounts/settings/settings";

/** A JSON value (event field or profile field). */
export const FieldValueSchema = z.unknown().openapi({ description: "string, number, boolean, null, array or object" });

/** The entity `/personalize` answers. */
export const EntitySchema = z
  .object({
    data: z.object({
      user: z
        .object({ _uid: z.string().optional(), _uids: z.array(z.string()).optional(), segments: z.array(z.string()) })
        .catchall(FieldValueSchema),
      experiences: z.array(z.unknown()),
    }),
  })
  .openapi("Entity");

export const PrivacyRequestSchema = z
  .object({
    request_id: z.string(),
    type: z.literal("delete"),
    field: z.string().openapi({ description: "The identifier field the person was named by (its value is not kept)" }),
    state: z.enum(["running", "completed", "failed"]),
    erased_profiles: z.number().int(),
    error: z.string().optional(),
    created: z.string(),
    updated: z.string(),
  })
  .openapi("PrivacyRequest");

export const EntityResponse = z
  .object({
    status: z.literal(200),
    message: z.string(),
    data: z.record(z.string(), FieldValueSchema),
    meta: z
      .object({
        id: z.string(),
        created: z.string(),
        modified: z.string(),
        merged: z.array(z.string()),
        events: z.number().int(),
        refused_merges: z.array(z.object({ with: z.array(z.string()), reason: z.string(), at: z.string() })),
      })
      .optional(),
  })
  .openapi("EntityResponse");

export const EntityQuery = z.object({
  cid: z.string().optional().openapi({ description: "Account id (root token only)" }),
  fields: z.string().optional().openapi({ description: "Comma-separated fields to return" }),
  segments: z.enum(["true", "false"]).optional().openapi({ description: "Include audience slugs as `segments`" }),
  meta: z.enum(["true", "false"]).optional().openapi({ description: "Include profile metadata" }),
});

/** `{field}/{value}`: a person by any identifier. */
export const PersonParams = z.object({ field: z.string(), value: z.string() });
export const TableParams = z.object({ table: z.string(), field: z.string(), value: z.string() });
export const CidQuery = z.object({ cid: z.string().optional() });
export const DeletionParams = z.object({ request_id: z.string() });
export const DeletionStatusSchema = z.object({ status: z.number(), message: z.string(), data: PrivacyRequestSchema });
export const ErasedSchema = z.object({
  status: z.number(),
  message: z.string(),
  data: z.object({
    request_id: z.string(),
    state: z.enum(["completed"]),
    erased_profiles: z.array(z.string()),
  }),
});
export const ExportSchema = z.object({ status: z.number(), message: z.string(), data: z.unknown() });
export const PersonalizeQuery = z.object({
  cid: CidSchema,
  uid: z.string().max(256).optional(),
  field: z.string().max(128).optional(),
  value: z.string().max(256).optional(),
});
