/**
 * Building and checking a collection definition against the account's
 * other collections and the rows it holds. Pure.
 */
import { describeType, isNullable, parseSchema } from "../codecs/avro";
import type { ErrorDetail } from "../../platform/http/errors";
import type { CollectionDef, ForeignKey, Outcome } from "./collection";
import type { CollectionInput } from "./input";
import { COLLECTION_NAME, DEFAULT_SOURCE, MAX_SCHEMA_CHARS } from "./limits";
import { field, keyKind, readable } from "./schema-fields";

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
