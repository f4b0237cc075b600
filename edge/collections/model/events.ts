/**
 * Events (Intempt): named filters on a collection. A row stored in the
 * collection that passes the filter is a match for the person the row
 * belongs to. Filters are a "sum of products": `filter` is a list of
 * alternatives (OR), each a list of conditions that must all hold (AND).
 * Pure.
 */
import { z } from "@hono/zod-openapi";
import { storedSchema, type AvroType } from "../codecs/avro";
import type { CollectionDef, Outcome } from "./collection";
import type { ErrorDetail } from "../../platform/http/errors";

/** Operators of event conditions. */
export const OPERATORS = [
  "equals",
  "notEquals",
  "greater",
  "greaterOrEqual",
  "less",
  "lessOrEqual",
  "contains",
  "in",
  "exists",
  "notExists",
] as const;
/** An operator of an event condition. */
export type Operator = (typeof OPERATORS)[number];

/** A scalar a condition compares with. */
export type ConditionScalar = string | number | boolean | null;
/** A value a condition compares with (a list for `in`). */
export type ConditionValue = ConditionScalar | ConditionScalar[];

/** One condition: a field of the row (dotted path into records), an operator and a value. */
export interface Condition {
  field: string;
  operator: Operator;
  value?: ConditionValue;
}

/** A stored event definition. */
export interface EventDef {
  name: string;
  /** Id of the collection the event watches. */
  collection: string;
  description: string | null;
  /** OR of ANDs. */
  filter: Condition[][];
  created: string;
  updated: string;
}

/** Most events per account. */
export const MAX_EVENTS = 100;
/** Most conditions in one event. */
export const MAX_CONDITIONS = 50;

const ScalarSchema = z.union([z.string().max(1024), z.number(), z.boolean(), z.null()]);
const ValueSchema = z.union([ScalarSchema, z.array(ScalarSchema).max(100)]);

/** Body of `POST /v1/:org/events`. */
export const EventInputSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "letters, digits, _ and -; at most 64 characters")
      .openapi({ example: "bigBooking" }),
    collection: z.string().min(1).max(64).openapi({ description: "Id or name of the collection" }),
    description: z.string().max(500).nullable().optional(),
    filter: z
      .array(
        z
          .array(
            z
              .object({ field: z.string().min(1).max(256), operator: z.enum(OPERATORS), value: ValueSchema.optional() })
              .strict(),
          )
          .min(1),
      )
      .min(1)
      .openapi({
        description: "Alternatives (OR) of conditions that must all hold (AND)",
        example: [[{ field: "nights", operator: "greaterOrEqual", value: 7 }]],
      }),
  })
  .strict()
  .openapi("EventInput");
/** Body of `POST /v1/:org/events`. */
export type EventInput = z.infer<typeof EventInputSchema>;

/** The type at a dotted path of a record type, or null. */
function typeAt(type: AvroType, path: string[]): AvroType | null {
  let t: AvroType = type;
  for (const part of path) {
    const options: AvroType[] = t.kind === "union" ? t.branches : [t];
    const rec = options.find((o) => o.kind === "record" || o.kind === "map");
    if (!rec) return null;
    if (rec.kind === "map") t = rec.values;
    else {
      const f = rec.fields.find((x) => x.name === part);
      if (!f) return null;
      t = f.type;
    }
  }
  return t;
}

/**
 * Checks an event against its collection: it needs a profile identifier
 * (events belong to people), every condition names a field of the schema,
 * and carries the value its operator needs.
 */
export function buildEvent(
  input: EventInput,
  collection: CollectionDef,
  previous: EventDef | null,
  now = new Date().toISOString(),
): Outcome<EventDef> {
  const errors: ErrorDetail[] = [];
  if (input.name === "matches") errors.push({ path: "name", message: '"matches" is reserved' });
  if (!collection.profileIdentifier)
    errors.push({
      path: "collection",
      message: `collection "${collection.name}" has no profile identifier, so its rows belong to nobody; events need one`,
    });
  const schema = storedSchema(collection.schema);
  const count = input.filter.reduce((n, and) => n + and.length, 0);
  if (count > MAX_CONDITIONS) errors.push({ path: "filter", message: `at most ${MAX_CONDITIONS} conditions` });
  input.filter.forEach((and, i) =>
    and.forEach((cond, j) => {
      const path = `filter[${i}][${j}]`;
      if (!typeAt(schema, cond.field.split(".")))
        errors.push({
          path: `${path}.field`,
          message: `"${cond.field}" is not a field of collection "${collection.name}"`,
        });
      const needsValue = cond.operator !== "exists" && cond.operator !== "notExists";
      if (needsValue && cond.value === undefined)
        errors.push({ path: `${path}.value`, message: `the operator ${cond.operator} needs a value` });
      if (cond.operator === "in" && !Array.isArray(cond.value))
        errors.push({ path: `${path}.value`, message: "the operator in needs an array" });
    }),
  );
  if (errors.length) return { ok: false, reason: "invalid", message: "the event is not valid", errors };
  return {
    ok: true,
    value: {
      name: input.name,
      collection: collection.id,
      description: input.description ?? null,
      filter: input.filter,
      created: previous?.created ?? now,
      updated: now,
    },
  };
}

function valueAt(row: Record<string, unknown>, path: string): unknown {
  let v: unknown = row;
  for (const part of path.split(".")) {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
    v = Object.hasOwn(v, part) ? (v as Record<string, unknown>)[part] : undefined;
  }
  return v;
}

const same = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === "object" && a !== null && JSON.stringify(a) === JSON.stringify(b));

function order(a: unknown, b: unknown): number | null {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

/** Whether one condition holds for a row. */
export function holds(cond: Condition, row: Record<string, unknown>): boolean {
  const v = valueAt(row, cond.field);
  const present = v !== undefined && v !== null;
  switch (cond.operator) {
    case "exists":
      return present;
    case "notExists":
      return !present;
    case "equals":
      return same(v, cond.value);
    case "notEquals":
      return !same(v, cond.value);
    case "contains":
      if (typeof v === "string" && typeof cond.value === "string") return v.includes(cond.value);
      if (Array.isArray(v)) return v.some((x) => same(x, cond.value));
      return false;
    case "in":
      return Array.isArray(cond.value) && cond.value.some((x) => same(v, x));
    default: {
      const d = order(v, cond.value);
      if (d === null) return false;
      if (cond.operator === "greater") return d > 0;
      if (cond.operator === "greaterOrEqual") return d >= 0;
      if (cond.operator === "less") return d < 0;
      return d <= 0;
    }
  }
}

/** Names of the events a row matches (any alternative whose conditions all hold). */
export function matchEvents(events: EventDef[], row: Record<string, unknown>): string[] {
  return events.filter((e) => e.filter.some((and) => and.every((c) => holds(c, row)))).map((e) => e.name);
}
