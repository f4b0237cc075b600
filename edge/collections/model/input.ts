/** Request bodies that create and change a collection's definition. */
import { z } from "@hono/zod-openapi";
import { COLLECTION_NAME, DEFAULT_SOURCE, SOURCE_ID } from "./limits";

const FieldName = z.string().min(1).max(128);

/** Body of `POST /v1/:org/collections`. */
export const CollectionCreateSchema = z
  .object({
    name: z
      .string()
      .regex(COLLECTION_NAME, "starts with a letter; letters, digits, _ and -; at most 64 characters")
      .optional()
      .openapi({ description: "Defaults to the schema's record name", example: "bookings" }),
    source: z
      .string()
      .regex(SOURCE_ID, "letters, digits, _ and -; at most 64 characters")
      .optional()
      .openapi({ description: `Source the collection belongs to (default "${DEFAULT_SOURCE}")` }),
    description: z.string().max(500).nullable().optional(),
    schema: z.record(z.string(), z.unknown()).openapi({
      description: "Apache Avro record schema",
      example: {
        type: "record",
        name: "booking",
        fields: [
          { name: "id", type: "long" },
          { name: "guestId", type: ["null", "long"], default: null },
        ],
      },
    }),
    primaryKey: FieldName.nullable().optional().openapi({
      description: "Top-level field (string, int or long) that identifies a row; required before data is stored",
    }),
    foreignKeys: z
      .array(
        z
          .object({
            field: FieldName,
            collection: z.string().min(1).max(64).openapi({ description: "Id or name of the referenced collection" }),
            relation: z.string().min(1).max(64).nullable().optional(),
          })
          .strict(),
      )
      .max(50)
      .optional(),
    profileIdentifier: FieldName.nullable()
      .optional()
      .openapi({ description: "Field identifying the person's profile in this source (e.g. visitorId)" }),
    userIdentifiers: z
      .array(FieldName)
      .max(20)
      .optional()
      .openapi({ description: "Fields identifying the person across sources (e.g. email); need a profileIdentifier" }),
    userAttributes: z
      .array(FieldName)
      .max(200)
      .nullable()
      .optional()
      .openapi({ description: "Fields copied onto the profile (default: all)" }),
  })
  .strict()
  .openapi("CollectionCreate");
/** Body of `POST /v1/:org/collections`. */
export type CollectionInput = z.infer<typeof CollectionCreateSchema>;

/** Body of `PUT /v1/:org/collections/:id`: the keys given replace the current ones. */
export const CollectionUpdateSchema = CollectionCreateSchema.partial().strict().openapi("CollectionUpdate");
