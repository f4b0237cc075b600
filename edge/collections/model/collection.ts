/**
 * Collections (Intempt-style data tables with Avro schemas): their stored
 * definitions, request bodies, limits, and the checks a definition must
 * pass against the account's other collections. Pure.
 */
import { z } from "@hono/zod-openapi";
import { describeType, isNullable, nonNull, parseSchema, type AvroRecord, type AvroType } from "../codecs/avro";
import type { ErrorDetail } from "../../platform/http/errors";

/** Most collections per account. */
export const MAX_COLLECTIONS = 200;
/** Most rows one JSON request (collection or source data) may carry. */
export const MAX_ROWS_PER_REQUEST = 1000;
/** Largest stored row, in characters of its JSON. */
export const MAX_ROW_CHARS = 128 * 1024;
/** Longest primary key value (characters). */
export const MAX_KEY_LENGTH = 512;
/** Largest schema, as JSON text. */
export const MAX_SCHEMA_CHARS = 64 * 1024;
/** Default and largest page of `GET .../data`. */
export const PAGE_DEFAULT = 100;
export const PAGE_MAX = 1000;

/** A collection name: starts with a letter; letters, digits, `_` and `-`; at most 64 characters. */
export const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** A source id: letters, digits, `_` and `-`; at most 64 characters. */
export const SOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Collection ids are decimal digits (so they never look like names). */
export const COLLECTION_ID = /^\d{1,20}$/;
/** The source a collection belongs to when none is named. */
export const DEFAULT_SOURCE = "api";

/** A foreign key: `field` holds primary keys of `collection`. */
export interface ForeignKey {
  field: string;
  /** Id of the referenced collection. */
  collection: string;
  /** Name of the referenced collection (names never change). */
  collectionName: string;
  /** Optional name of the relation (Intempt "relations"). */
  relation: string | null;
}

/** A stored collection definition. */
export interface CollectionDef {
  id: string;
  name: string;
  source: string;
  description: string | null;
  /** The Avro record schema, as given. */
  schema: Record<string, unknown>;
  primaryKey: string | null;
  foreignKeys: ForeignKey[];
  /** Field identifying a person's profile within the source (e.g. a visitor id). */
  profileIdentifier: string | null;
  /** Fields identifying the person across sources (e.g. email); they link and merge profiles. */
  userIdentifiers: string[];
  /** Fields copied onto the person's profile; null: every field. */
  userAttributes: string[] | null;
  /** Bumped on every change. */
  version: number;
  created: string;
  updated: string;
}

/** What a registry or collection object answers instead of throwing HTTP errors. */
export type Outcome<T> =
  | { ok: true; value: T; created?: boolean }
  | { ok: false; reason: "invalid" | "conflict" | "not_found"; message: string; errors?: ErrorDetail[] };

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

/** A new collection id: decimal digits from the clock and randomness (like Intempt's numeric ids). */
export function newCollectionId(): string {
  const random = crypto.getRandomValues(new Uint32Array(1))[0]! % 1000;
  return String(Date.now() * 1000 + random);
}

/** Top-level field of a schema by name. */
function field(schema: AvroRecord, name: string) {
  return schema.fields.find((f) => f.name === name);
}

/** The key kind (`string` or `integer`) of a type usable as a key, or null. */
function keyKind(type: AvroType): "string" | "integer" | null {
  const t = nonNull(type);
  if (t.kind !== "primitive") return null;
  if (t.type === "string") return "string";
  if (t.type === "int" || t.type === "long") return "integer";
  return null;
}

/** Avro type promotions allowed when data exists (reader can read old data). */
function readable(oldType: AvroType, newType: AvroType): boolean {
  const a = JSON.stringify(simplify(oldType));
  const b = simplify(newType);
  if (a === JSON.stringify(b)) return true;
  if (oldType.kind === "primitive" && newType.kind === "primitive") {
    const promotions: Record<string, string[]> = {
      int: ["long", "float", "double"],
      long: ["float", "double"],
      float: ["double"],
      string: ["bytes"],
      bytes: ["string"],
    };
    return promotions[oldType.type]?.includes(newType.type) ?? false;
  }
  if (newType.kind === "union") {
    const olds = oldType.kind === "union" ? oldType.branches : [oldType];
    return olds.every((o) => newType.branches.some((n) => readable(o, n)));
  }
  return false;
}
function simplify(t: AvroType, depth = 0): unknown {
  if (depth > 6) return "…";
  switch (t.kind) {
    case "primitive":
      return t.type;
    case "record":
      return { record: t.name, fields: t.fields.map((f) => [f.name, simplify(f.type, depth + 1)]) };
    case "enum":
      return { enum: t.name, symbols: t.symbols };
    case "fixed":
      return { fixed: t.name, size: t.size };
    case "array":
      return { array: simplify(t.items, depth + 1) };
    case "map":
      return { map: simplify(t.values, depth + 1) };
    case "union":
      return t.branches.map((b) => simplify(b, depth + 1));
  }
}

/** What `checkDefinition` needs to know besides the candidate. */
export interface DefinitionContext {
  /** The account's other collections. */
  others: CollectionDef[];
  /** The current definition when updating. */
  previous: CollectionDef | null;
  /** Whether the collection holds rows. */
  hasRows: boolean;
}

/**
 * Builds a definition from a request body (and the current definition when
 * updating) and checks it: the schema, the keys and identifiers (top-level
 * fields of suitable types), foreign keys (the referenced collection exists
 * and its primary key has the same type), one profile identifier field name
 * per source, user identifiers and attributes only with a profile
 * identifier, and — when rows exist — a schema that can still read them and
 * an unchanged primary key.
 */
export function buildDefinition(
  id: string,
  input: Partial<CollectionInput>,
  ctx: DefinitionContext,
  now = new Date().toISOString(),
): Outcome<CollectionDef> {
  const prev = ctx.previous;
  const schemaJson = input.schema ?? prev?.schema;
  if (!schemaJson)
    return {
      ok: false,
      reason: "invalid",
      message: "the collection needs a schema",
      errors: [{ path: "schema", message: "required" }],
    };
  if (JSON.stringify(schemaJson).length > MAX_SCHEMA_CHARS)
    return {
      ok: false,
      reason: "invalid",
      message: "the schema is too large",
      errors: [{ path: "schema", message: `at most ${MAX_SCHEMA_CHARS} characters of JSON` }],
    };
  const parsed = parseSchema(schemaJson);
  if (!parsed.ok)
    return {
      ok: false,
      reason: "invalid",
      message: "the schema is not a valid Avro record schema",
      errors: parsed.errors,
    };
  const schema = parsed.schema;
  const name = input.name ?? prev?.name ?? schema.name.split(".").pop()!;
  const def: CollectionDef = {
    id,
    name,
    source: input.source ?? prev?.source ?? DEFAULT_SOURCE,
    description: input.description !== undefined ? input.description : (prev?.description ?? null),
    schema: schemaJson,
    primaryKey: input.primaryKey !== undefined ? input.primaryKey : (prev?.primaryKey ?? null),
    foreignKeys: prev?.foreignKeys ?? [],
    profileIdentifier:
      input.profileIdentifier !== undefined ? input.profileIdentifier : (prev?.profileIdentifier ?? null),
    userIdentifiers: input.userIdentifiers ?? prev?.userIdentifiers ?? [],
    userAttributes: input.userAttributes !== undefined ? input.userAttributes : (prev?.userAttributes ?? null),
    version: (prev?.version ?? 0) + 1,
    created: prev?.created ?? now,
    updated: now,
  };
  const errors: ErrorDetail[] = [];
  if (prev && def.name !== prev.name)
    errors.push({ path: "name", message: `a collection's name cannot change (it is "${prev.name}")` });
  if (!COLLECTION_NAME.test(def.name))
    errors.push({ path: "name", message: "starts with a letter; letters, digits, _ and -; at most 64 characters" });
  if (ctx.others.some((o) => o.name === def.name))
    return { ok: false, reason: "conflict", message: `a collection named "${def.name}" already exists` };

  const topLevel = (path: string, fieldName: string, what: string, allowNull: boolean) => {
    const f = field(schema, fieldName);
    if (!f) {
      errors.push({ path, message: `"${fieldName}" is not a top-level field of the schema` });
      return null;
    }
    if (!keyKind(f.type)) {
      errors.push({
        path,
        message: `the ${what} must be a string, int or long field; "${fieldName}" is ${describeType(f.type)}`,
      });
      return null;
    }
    if (!allowNull && f.type.kind === "union") {
      errors.push({ path, message: `the ${what} may not be nullable; "${fieldName}" is ${describeType(f.type)}` });
      return null;
    }
    return f;
  };

  if (def.primaryKey !== null) topLevel("primaryKey", def.primaryKey, "primary key", false);
  if (prev && ctx.hasRows && prev.primaryKey !== null && def.primaryKey !== prev.primaryKey) {
    return {
      ok: false,
      reason: "conflict",
      message: `the primary key cannot change while the collection holds data (it is "${prev.primaryKey}")`,
    };
  }

  if (input.foreignKeys !== undefined) {
    const fks: ForeignKey[] = [];
    const seen = new Set<string>();
    input.foreignKeys.forEach((fk, i) => {
      const path = `foreignKeys[${i}]`;
      if (seen.has(fk.field))
        return errors.push({ path: `${path}.field`, message: `"${fk.field}" has two foreign keys` });
      seen.add(fk.field);
      const own = topLevel(`${path}.field`, fk.field, "foreign key", true);
      const self = fk.collection === id || fk.collection === def.name;
      const target = self ? def : ctx.others.find((o) => o.id === fk.collection || o.name === fk.collection);
      if (!target) return errors.push({ path: `${path}.collection`, message: `no collection "${fk.collection}"` });
      if (target.primaryKey === null)
        return errors.push({
          path: `${path}.collection`,
          message: `collection "${target.name}" has no primary key; set it before referring to it`,
        });
      const targetSchema = target === def ? ({ ok: true, schema } as const) : parseSchema(target.schema);
      const pk = targetSchema.ok ? field(targetSchema.schema, target.primaryKey) : undefined;
      if (own && pk && keyKind(own.type) !== keyKind(pk.type)) {
        errors.push({
          path: `${path}.field`,
          message: `"${fk.field}" is ${describeType(own.type)} but the primary key "${target.primaryKey}" of "${target.name}" is ${describeType(pk.type)}`,
        });
      }
      fks.push({ field: fk.field, collection: target.id, collectionName: target.name, relation: fk.relation ?? null });
    });
    def.foreignKeys = fks;
  } else {
    def.foreignKeys.forEach((fk, i) => {
      if (!field(schema, fk.field))
        errors.push({
          path: `foreignKeys[${i}].field`,
          message: `"${fk.field}" is no longer a field of the schema; change foreignKeys too`,
        });
    });
  }

  if (def.profileIdentifier !== null) {
    topLevel("profileIdentifier", def.profileIdentifier, "profile identifier", true);
    const other = ctx.others.find(
      (o) => o.source === def.source && o.profileIdentifier !== null && o.profileIdentifier !== def.profileIdentifier,
    );
    if (other)
      errors.push({
        path: "profileIdentifier",
        message: `source "${def.source}" identifies profiles by "${other.profileIdentifier}" (collection "${other.name}"); a source has one profile identifier field`,
      });
  }
  if (def.userIdentifiers.length && def.profileIdentifier === null)
    errors.push({ path: "userIdentifiers", message: "user identifiers need a profile identifier on the collection" });
  if (new Set(def.userIdentifiers).size !== def.userIdentifiers.length)
    errors.push({ path: "userIdentifiers", message: "listed twice" });
  def.userIdentifiers.forEach((u, i) => topLevel(`userIdentifiers[${i}]`, u, "user identifier", true));
  if (def.userAttributes && def.userAttributes.length && def.profileIdentifier === null)
    errors.push({ path: "userAttributes", message: "user attributes need a profile identifier on the collection" });
  def.userAttributes?.forEach((a, i) => {
    if (!field(schema, a))
      errors.push({ path: `userAttributes[${i}]`, message: `"${a}" is not a top-level field of the schema` });
  });

  if (prev && ctx.hasRows && input.schema !== undefined) {
    const old = parseSchema(prev.schema);
    if (old.ok) {
      for (const f of schema.fields) {
        const before = field(old.schema, f.name);
        if (!before) {
          if (!f.hasDefault && !isNullable(f.type))
            errors.push({
              path: `schema.${f.name}`,
              message: `the collection holds data: a new field needs a default or a null branch`,
            });
        } else if (!readable(before.type, f.type)) {
          errors.push({
            path: `schema.${f.name}`,
            message: `the collection holds data: ${describeType(before.type)} cannot become ${describeType(f.type)}`,
          });
        }
      }
    }
  }
  if (errors.length) return { ok: false, reason: "invalid", message: "the collection is not valid", errors };
  return { ok: true, value: def };
}

/** The kind of a definition's primary key (`string` or `integer`), or null without one. */
export function primaryKeyKind(def: CollectionDef): "string" | "integer" | null {
  if (!def.primaryKey) return null;
  const parsed = parseSchema(def.schema);
  const f = parsed.ok ? field(parsed.schema, def.primaryKey) : undefined;
  return f ? keyKind(f.type) : null;
}
