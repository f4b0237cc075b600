/** The accounts domain's documented shapes: account, identity secret, tokens, whoami, profile field schema. */
import { z } from "@hono/zod-openapi";
import { FIELD_TYPES, MERGE_STRATEGIES } from "./fields/field-vocabulary";
import { ROLES } from "./access/roles";
import { CidSchema } from "./settings/settings";

export { AccountUpdateSchema, AccountUpsertSchema } from "./settings/settings";

/** `{status, message, data}`. */
export const envelope = <T extends z.ZodTypeAny>(data: T) =>
  z.object({ status: z.number(), message: z.string(), data });
export const CidQuery = z.object({ cid: z.string().optional() });

// ---- account ----
export const AccountSchema = z
  .object({ cid: CidSchema, name: z.string(), domains: z.array(z.string()), created: z.string(), updated: z.string() })
  .catchall(z.unknown())
  .openapi("Account");
export const AccountResponse = z.object({ status: z.number(), message: z.string(), data: AccountSchema });
export const AccountQuery = z.object({ cid: CidSchema.optional() });
export const SecretQuery = z.object({ cid: CidSchema.optional(), rotate: z.enum(["true", "false"]).optional() });
export const SecretResponse = envelope(z.object({ secret: z.string() }));

// ---- tokens ----
export const TokenCreateSchema = z
  .object({
    name: z.string().min(1).max(200),
    role: z.enum(ROLES),
    attributes: z
      .array(z.string().min(1).max(128))
      .max(200)
      .optional()
      .openapi({ description: "Limit the token to these profile fields" }),
    expires: z.string().datetime({ offset: true }).optional().openapi({ description: "Expiry, ISO-8601" }),
  })
  .strict()
  .openapi("TokenCreate");
export type TokenCreateInput = z.infer<typeof TokenCreateSchema>;
export const TokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    attributes: z.array(z.string()).nullable(),
    expires: z.string().nullable(),
    created: z.string(),
  })
  .openapi("Token");
export const TokenIdParams = z.object({ id: z.string() });

export const WhoamiSchema = z
  .object({
    role: z.enum(ROLES).openapi({ description: "What the token may do: admin, data_manager or reader" }),
    cid: z
      .string()
      .nullable()
      .openapi({ description: "The token's account; null for the bootstrap ADMIN_TOKEN, which acts on any account" }),
    root: z.boolean().openapi({ description: "True for the bootstrap ADMIN_TOKEN" }),
    attributes: z
      .array(z.string())
      .nullable()
      .openapi({ description: "Profile fields the token is limited to, or null" }),
  })
  .openapi("Whoami");

// ---- profile field schema ----
export const FieldSchema = z
  .object({
    name: z.string(),
    type: z.enum(FIELD_TYPES),
    merge: z.enum(MERGE_STRATEGIES),
    surfaced: z.boolean(),
    identifier: z.boolean(),
    builtin: z.boolean(),
    description: z.string().optional(),
  })
  .openapi("Field");
export type FieldView = z.infer<typeof FieldSchema>;
export const FieldUpdateSchema = z
  .object({
    type: z.enum(FIELD_TYPES).optional(),
    merge: z.enum(MERGE_STRATEGIES).optional(),
    surfaced: z.boolean().optional().openapi({ description: "Show the field to browsers through /personalize" }),
    identifier: z
      .boolean()
      .optional()
      .openapi({ description: "The field identifies a person (links and merges profiles)" }),
    description: z.string().max(500).optional(),
  })
  .strict()
  .openapi("FieldUpdate");
export type FieldUpdate = z.infer<typeof FieldUpdateSchema>;
export const FieldParams = z.object({ name: z.string() });
