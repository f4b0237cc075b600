/**
 * Apache Avro schemas for collections: parsing a JSON schema, checking JSON
 * values against it, and converting CSV cells to its types. Pure.
 *
 * Why not `avsc` (or `avro-js`, `@avro/types`): they compile record types
 * with `new Function(...)`, and workerd refuses code generation from
 * strings ("Code generation from strings disallowed for this context"), so
 * `Type.forSchema` throws in the worker even with `nodejs_compat`.
 *
 * Supported: primitives (`null boolean int long float double bytes
 * string`), `record`, `enum`, `fixed`, `array`, `map`, unions, named-type
 * references (with namespaces, recursion), field defaults, and the logical
 * types `timestamp-millis`, `timestamp-micros`, `time-millis`,
 * `time-micros` (long/int), `date` (int), `uuid` (string). Unknown or
 * misplaced logical types are ignored, as the Avro spec says, and the
 * underlying type applies.
 *
 * JSON values (Intempt rules): a union value may be bare — the first branch
 * that accepts it is used — or wrapped as `{"<type name>": value}`.
 * `long` values must be safe JavaScript integers (|n| < 2^53). A missing
 * field takes its default, or null when its type is a union with `null`;
 * otherwise it is an error. Fields the schema does not name are ignored.
 * `timestamp-millis` also accepts an ISO-8601 string and `date` a
 * `YYYY-MM-DD` string; both are stored as numbers.
 */
import type { ErrorDetail } from "../../platform/http/errors";

/** Avro primitive type names. */
export type AvroPrimitive = "null" | "boolean" | "int" | "long" | "float" | "double" | "bytes" | "string";
/** Logical types this module understands (others are ignored). */
export type AvroLogical = "timestamp-millis" | "timestamp-micros" | "time-millis" | "time-micros" | "date" | "uuid";

/** A parsed Avro type. Named types referenced by name are the same object (recursion allowed). */
export type AvroType =
  | { kind: "primitive"; type: AvroPrimitive; logical?: AvroLogical }
  | AvroRecord
  | { kind: "enum"; name: string; symbols: string[] }
  | { kind: "fixed"; name: string; size: number }
  | { kind: "array"; items: AvroType }
  | { kind: "map"; values: AvroType }
  | { kind: "union"; branches: AvroType[] };

/** A parsed record type. */
export interface AvroRecord {
  kind: "record";
  /** Full name (with namespace). */
  name: string;
  fields: AvroField[];
}

/** A field of a record. */
export interface AvroField {
  name: string;
  type: AvroType;
  /** Whether the schema declared a default. */
  hasDefault: boolean;
  /** The default, already checked against the type. */
  default?: unknown;
}

/** Result of parsing a schema. */
export type ParsedSchema = { ok: true; schema: AvroRecord } | { ok: false; errors: ErrorDetail[] };
/** Result of checking a value. */
export type Checked = { ok: true; value: unknown } | { ok: false; errors: ErrorDetail[] };

/** Most top-level fields a collection schema may have. */
export const MAX_SCHEMA_FIELDS = 200;
/** Deepest nesting of type definitions in a schema. */
export const MAX_SCHEMA_DEPTH = 8;
/** Most type nodes in one schema (fields, items, branches, ...). */
export const MAX_SCHEMA_NODES = 2000;
/** Deepest nesting of a value checked against a schema (recursive types). */
export const MAX_VALUE_DEPTH = 32;

const PRIMITIVES = new Set<string>(["null", "boolean", "int", "long", "float", "double", "bytes", "string"]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAMESPACE = /^([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const RESERVED = new Set(["__proto__", "constructor", "prototype"]);
const LOGICAL_BASE: Record<AvroLogical, AvroPrimitive> = {
  "timestamp-millis": "long",
  "timestamp-micros": "long",
  "time-millis": "int",
  "time-micros": "long",
  date: "int",
  uuid: "string",
};
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const DAY_MS = 86_400_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const show = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};
const typeOfValue = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
const join = (base: string, key: string) => (base ? `${base}.${key}` : key);

/** The name a union branch is wrapped with in JSON (`{"long": 1}`). */
export function branchName(type: AvroType): string {
  switch (type.kind) {
    case "primitive":
      return type.type;
    case "record":
    case "enum":
    case "fixed":
      return type.name;
    default:
      return type.kind;
  }
}

/** A short human description of a type, for messages: `long`, `["null","string"]`, `record guest`. */
export function describeType(type: AvroType): string {
  switch (type.kind) {
    case "primitive":
      return type.logical ? `${type.type} (${type.logical})` : type.type;
    case "record":
    case "enum":
    case "fixed":
      return `${type.kind} ${type.name}`;
    case "array":
      return `array of ${describeType(type.items)}`;
    case "map":
      return `map of ${describeType(type.values)}`;
    case "union":
      return `union [${type.branches.map(branchName).join(", ")}]`;
  }
}

/** Whether a union (or the type itself) accepts null. */
export function isNullable(type: AvroType): boolean {
  return (
    (type.kind === "primitive" && type.type === "null") ||
    (type.kind === "union" && type.branches.some((b) => b.kind === "primitive" && b.type === "null"))
  );
}

/** The type without its null branch: `["null","long"]` → `long` (unions of several stay unions). */
export function nonNull(type: AvroType): AvroType {
  if (type.kind !== "union") return type;
  const rest = type.branches.filter((b) => !(b.kind === "primitive" && b.type === "null"));
  return rest.length === 1 ? rest[0]! : { kind: "union", branches: rest };
}

class SchemaParser {
  readonly errors: ErrorDetail[] = [];
  private readonly named = new Map<string, AvroType>();
  private nodes = 0;

  fail(path: string, message: string): null {
    this.errors.push({ path, message });
    return null;
  }

  private fullName(name: string, namespace: string | undefined): string {
    return name.includes(".") || !namespace ? name : `${namespace}.${name}`;
  }

  /** Registers a named type; false (with an error) when the name is taken or invalid. */
  private define(
    raw: Record<string, unknown>,
    path: string,
    namespace: string | undefined,
  ): { full: string; ns: string | undefined } | null {
    const name = raw.name;
    if (typeof name !== "string" || name === "") return this.fail(join(path, "name"), "a named type needs a name");
    const parts = name.split(".");
    if (!parts.every((p) => NAME.test(p)))
      return this.fail(
        join(path, "name"),
        `"${name}" is not a valid Avro name (letters, digits and _, not starting with a digit)`,
      );
    let ns = namespace;
    if (raw.namespace !== undefined) {
      if (typeof raw.namespace !== "string" || (raw.namespace !== "" && !NAMESPACE.test(raw.namespace)))
        return this.fail(join(path, "namespace"), "not a valid namespace");
      ns = raw.namespace || undefined;
    }
    const full = this.fullName(name, ns);
    if (PRIMITIVES.has(parts[parts.length - 1]!))
      return this.fail(join(path, "name"), `"${name}" is a primitive type name`);
    if (this.named.has(full)) return this.fail(join(path, "name"), `the type "${full}" is defined twice`);
    const innerNs = name.includes(".") ? parts.slice(0, -1).join(".") : ns;
    return { full, ns: innerNs };
  }

  parse(raw: unknown, path: string, namespace: string | undefined, depth: number): AvroType | null {
    if (++this.nodes > MAX_SCHEMA_NODES) return this.fail(path, `a schema may have at most ${MAX_SCHEMA_NODES} types`);
    if (depth > MAX_SCHEMA_DEPTH) return this.fail(path, `types may nest at most ${MAX_SCHEMA_DEPTH} levels`);
    if (typeof raw === "string") {
      if (PRIMITIVES.has(raw)) return { kind: "primitive", type: raw as AvroPrimitive };
      const found = this.named.get(this.fullName(raw, namespace)) ?? this.named.get(raw);
      if (found) return found;
      return this.fail(path, `unknown type "${raw}" (a primitive, or a named type defined earlier)`);
    }
    if (Array.isArray(raw)) return this.union(raw, path, namespace, depth);
    if (!isObject(raw)) return this.fail(path, "a type is a name, an object or a union array");
    const type = raw.type;
    if (typeof type === "string" && PRIMITIVES.has(type)) {
      const primitive: AvroType = { kind: "primitive", type: type as AvroPrimitive };
      const logical = raw.logicalType;
      if (typeof logical === "string" && logical in LOGICAL_BASE && LOGICAL_BASE[logical as AvroLogical] === type)
        primitive.logical = logical as AvroLogical;
      return primitive;
    }
    switch (type) {
      case "record":
      case "error":
        return this.record(raw, path, namespace, depth);
      case "enum":
        return this.enumType(raw, path, namespace);
      case "fixed":
        return this.fixed(raw, path, namespace);
      case "array": {
        if (!("items" in raw)) return this.fail(join(path, "items"), "an array needs items");
        const items = this.parse(raw.items, join(path, "items"), namespace, depth + 1);
        return items && { kind: "array", items };
      }
      case "map": {
        if (!("values" in raw)) return this.fail(join(path, "values"), "a map needs values");
        const values = this.parse(raw.values, join(path, "values"), namespace, depth + 1);
        return values && { kind: "map", values };
      }
      default:
        if (Array.isArray(type) || isObject(type) || typeof type === "string")
          return this.parse(type, join(path, "type"), namespace, depth + 1);
        return this.fail(join(path, "type"), "missing or invalid type");
    }
  }

  private union(raw: unknown[], path: string, namespace: string | undefined, depth: number): AvroType | null {
    if (raw.length === 0) return this.fail(path, "a union needs at least one type");
    const branches: AvroType[] = [];
    const seen = new Set<string>();
    raw.forEach((b, i) => {
      const at = `${path}[${i}]`;
      if (Array.isArray(b)) return this.fail(at, "a union may not directly contain another union");
      const t = this.parse(b, at, namespace, depth + 1);
      if (!t) return;
      if (t.kind === "union") return this.fail(at, "a union may not directly contain another union");
      const key = branchName(t);
      if (seen.has(key)) return this.fail(at, `the union has two branches of type ${key}`);
      seen.add(key);
      branches.push(t);
    });
    return branches.length === raw.length ? { kind: "union", branches } : null;
  }

  private record(
    raw: Record<string, unknown>,
    path: string,
    namespace: string | undefined,
    depth: number,
  ): AvroType | null {
    const def = this.define(raw, path, namespace);
    if (!def) return null;
    const record: AvroRecord = { kind: "record", name: def.full, fields: [] };
    this.named.set(def.full, record); // before the fields: they may refer to the record itself
    if (!Array.isArray(raw.fields)) return this.fail(join(path, "fields"), "a record needs a fields array");
    const names = new Set<string>();
    let ok = true;
    raw.fields.forEach((f, i) => {
      const at = `${join(path, "fields")}[${i}]`;
      if (!isObject(f)) {
        ok = false;
        return this.fail(at, "a field is an object with name and type");
      }
      if (typeof f.name !== "string" || !NAME.test(f.name) || RESERVED.has(f.name)) {
        ok = false;
        return this.fail(
          join(at, "name"),
          `${show(f.name)} is not a valid field name (letters, digits and _, not starting with a digit)`,
        );
      }
      if (names.has(f.name)) {
        ok = false;
        return this.fail(join(at, "name"), `the field "${f.name}" is defined twice`);
      }
      names.add(f.name);
      if (!("type" in f)) {
        ok = false;
        return this.fail(join(at, "type"), `the field "${f.name}" needs a type`);
      }
      const type = this.parse(f.type, join(at, "type"), def.ns, depth + 1);
      if (!type) {
        ok = false;
        return;
      }
      const field: AvroField = { name: f.name, type, hasDefault: "default" in f };
      if (field.hasDefault) {
        // The default of a union matches its first branch (Avro spec).
        const target = type.kind === "union" ? type.branches[0]! : type;
        const checked = checkValue(target, f.default, join(at, "default"));
        if (!checked.ok) {
          ok = false;
          this.errors.push(
            ...checked.errors.map((e) => ({
              path: e.path ?? join(at, "default"),
              message: `invalid default: ${e.message}`,
            })),
          );
          return;
        }
        field.default = checked.value;
      }
      record.fields.push(field);
    });
    return ok ? record : null;
  }

  private enumType(raw: Record<string, unknown>, path: string, namespace: string | undefined): AvroType | null {
    const def = this.define(raw, path, namespace);
    if (!def) return null;
    const symbols = raw.symbols;
    if (!Array.isArray(symbols) || symbols.length === 0)
      return this.fail(join(path, "symbols"), "an enum needs a non-empty symbols array");
    const bad = symbols.findIndex((s) => typeof s !== "string" || !NAME.test(s));
    if (bad >= 0)
      return this.fail(`${join(path, "symbols")}[${bad}]`, `${show(symbols[bad])} is not a valid enum symbol`);
    if (new Set(symbols).size !== symbols.length)
      return this.fail(join(path, "symbols"), "enum symbols must be unique");
    const t: AvroType = { kind: "enum", name: def.full, symbols: symbols as string[] };
    if (raw.default !== undefined && !(symbols as string[]).includes(raw.default as string))
      return this.fail(join(path, "default"), "the enum default must be one of its symbols");
    this.named.set(def.full, t);
    return t;
  }

  private fixed(raw: Record<string, unknown>, path: string, namespace: string | undefined): AvroType | null {
    const def = this.define(raw, path, namespace);
    if (!def) return null;
    if (typeof raw.size !== "number" || !Number.isInteger(raw.size) || raw.size < 0 || raw.size > 65536)
      return this.fail(join(path, "size"), "a fixed type needs an integer size (0 to 65536)");
    const t: AvroType = { kind: "fixed", name: def.full, size: raw.size };
    this.named.set(def.full, t);
    return t;
  }
}

/**
 * Parses a collection schema: an Avro `record` given as JSON (object or
 * JSON text). Errors name the offending part (`fields[2].type`).
 */
export function parseSchema(input: unknown): ParsedSchema {
  let raw = input;
  if (typeof raw === "string") {
    try {
      raw = JSON.parse(raw);
    } catch {
      return { ok: false, errors: [{ path: "schema", message: "the schema is not valid JSON" }] };
    }
  }
  if (!isObject(raw) || raw.type !== "record")
    return {
      ok: false,
      errors: [
        {
          path: "schema.type",
          message: 'a collection schema must be an Avro record: {"type": "record", "name": ..., "fields": [...]}',
        },
      ],
    };
  if (Array.isArray(raw.fields) && raw.fields.length > MAX_SCHEMA_FIELDS)
    return {
      ok: false,
      errors: [{ path: "schema.fields", message: `at most ${MAX_SCHEMA_FIELDS} fields, got ${raw.fields.length}` }],
    };
  if (Array.isArray(raw.fields) && raw.fields.length === 0)
    return { ok: false, errors: [{ path: "schema.fields", message: "a collection schema needs at least one field" }] };
  const parser = new SchemaParser();
  const type = parser.parse(raw, "schema", undefined, 0);
  if (!type || parser.errors.length)
    return {
      ok: false,
      errors: parser.errors.length ? parser.errors : [{ path: "schema", message: "invalid schema" }],
    };
  return { ok: true, schema: type as AvroRecord };
}

/** Parses a schema known to be valid (stored); throws otherwise. Cached per schema text. */
export function storedSchema(schema: unknown): AvroRecord {
  const key = JSON.stringify(schema);
  const hit = cache.get(key);
  if (hit) return hit;
  const parsed = parseSchema(schema);
  if (!parsed.ok) throw new Error(`stored schema is invalid: ${parsed.errors[0]?.message}`);
  if (cache.size > 500) cache.clear();
  cache.set(key, parsed.schema);
  return parsed.schema;
}
const cache = new Map<string, AvroRecord>();

class ValueChecker {
  readonly errors: ErrorDetail[] = [];

  fail(path: string, message: string): undefined {
    this.errors.push({ path, message });
    return undefined;
  }

  /** Returns the normalized value, or undefined after recording an error. */
  check(type: AvroType, value: unknown, path: string, depth: number): unknown {
    if (depth > MAX_VALUE_DEPTH) return this.fail(path, `values may nest at most ${MAX_VALUE_DEPTH} levels`);
    switch (type.kind) {
      case "primitive":
        return this.primitive(type.type, type.logical, value, path);
      case "enum":
        if (typeof value === "string" && type.symbols.includes(value)) return value;
        return this.fail(
          path,
          `expected one of ${type.symbols.map((s) => JSON.stringify(s)).join(", ")}, got ${show(value)}`,
        );
      case "fixed":
        if (typeof value !== "string" || !isByteString(value))
          return this.fail(
            path,
            `expected fixed ${type.name} (a string of ${type.size} bytes), got ${typeOfValue(value)}`,
          );
        if (value.length !== type.size) return this.fail(path, `expected ${type.size} bytes, got ${value.length}`);
        return value;
      case "array": {
        if (!Array.isArray(value)) return this.fail(path, `expected an array, got ${typeOfValue(value)}`);
        const before = this.errors.length;
        const out = value.map((v, i) => this.check(type.items, v, `${path}[${i}]`, depth + 1));
        return this.errors.length > before ? undefined : out;
      }
      case "map": {
        if (!isObject(value)) return this.fail(path, `expected a map (JSON object), got ${typeOfValue(value)}`);
        const before = this.errors.length;
        const entries: [string, unknown][] = [];
        for (const [k, v] of Object.entries(value)) {
          if (RESERVED.has(k)) {
            this.fail(join(path, k), "reserved key");
            continue;
          }
          entries.push([k, this.check(type.values, v, join(path, k), depth + 1)]);
        }
        return this.errors.length > before ? undefined : Object.fromEntries(entries);
      }
      case "record":
        return this.record(type, value, path, depth);
      case "union":
        return this.union(type, value, path, depth);
    }
  }

  record(type: AvroRecord, value: unknown, path: string, depth: number): unknown {
    if (!isObject(value))
      return this.fail(path || "$", `expected a record ${type.name} (JSON object), got ${typeOfValue(value)}`);
    const before = this.errors.length;
    const entries: [string, unknown][] = [];
    for (const field of type.fields) {
      const at = join(path, field.name);
      const v = Object.hasOwn(value, field.name) ? value[field.name] : undefined;
      if (v === undefined) {
        if (field.hasDefault) entries.push([field.name, structuredClone(field.default)]);
        else if (isNullable(field.type)) entries.push([field.name, null]);
        else this.fail(at, `required field "${field.name}" (${describeType(field.type)}) is missing`);
        continue;
      }
      entries.push([field.name, this.check(field.type, v, at, depth + 1)]);
    }
    return this.errors.length > before ? undefined : Object.fromEntries(entries);
  }

  union(type: Extract<AvroType, { kind: "union" }>, value: unknown, path: string, depth: number): unknown {
    if (value === null) {
      if (isNullable(type)) return null;
      return this.fail(path, `expected ${describeType(type)}, got null`);
    }
    // Wrapped form: {"long": 3}
    if (isObject(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1) {
        const branch = type.branches.find(
          (b) =>
            branchName(b) === keys[0] || (b.kind !== "primitive" && "name" in b && b.name.split(".").pop() === keys[0]),
        );
        if (branch) return this.check(branch, value[keys[0]!], path, depth + 1);
      }
    }
    const candidates = type.branches.filter((b) => !(b.kind === "primitive" && b.type === "null"));
    if (candidates.length === 1) return this.check(candidates[0]!, value, path, depth + 1);
    for (const branch of candidates) {
      const trial = new ValueChecker();
      const out = trial.check(branch, value, path, depth + 1);
      if (trial.errors.length === 0) return out;
    }
    return this.fail(
      path,
      `${show(value)} matches no type of ${describeType(type)}; wrap it to choose one, e.g. {"${branchName(candidates[0]!)}": ...}`,
    );
  }

  primitive(type: AvroPrimitive, logical: AvroLogical | undefined, value: unknown, path: string): unknown {
    const expected = logical ? `${type} (${logical})` : type;
    const wrong = () => this.fail(path, `expected ${expected}, got ${typeOfValue(value)} ${show(value)}`);
    switch (type) {
      case "null":
        return value === null ? null : wrong();
      case "boolean":
        return typeof value === "boolean" ? value : wrong();
      case "int":
        if (logical === "date" && typeof value === "string") {
          const days = parseDate(value);
          return days === null
            ? this.fail(path, `expected a date (YYYY-MM-DD or days since 1970-01-01), got ${show(value)}`)
            : days;
        }
        if (typeof value !== "number" || !Number.isInteger(value)) return wrong();
        if (value < INT_MIN || value > INT_MAX) return this.fail(path, `${value} is out of range for int (32 bits)`);
        return value;
      case "long":
        if (logical === "timestamp-millis" && typeof value === "string") {
          const ms = parseTimestamp(value);
          return ms === null
            ? this.fail(path, `expected a timestamp (epoch milliseconds or ISO-8601), got ${show(value)}`)
            : ms;
        }
        if (typeof value !== "number" || !Number.isInteger(value)) return wrong();
        if (!Number.isSafeInteger(value))
          return this.fail(path, `${value} is beyond the safe integer range (±2^53) this API accepts for long`);
        return value;
      case "float":
      case "double":
        return typeof value === "number" && Number.isFinite(value) ? value : wrong();
      case "bytes":
        return typeof value === "string" && isByteString(value) ? value : wrong();
      case "string":
        return typeof value === "string" ? value : wrong();
    }
  }
}

function isByteString(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 255) return false;
  return true;
}

/** Epoch milliseconds of an ISO-8601 date or date-time, or null. */
export function parseTimestamp(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return null;
  const normalized =
    text.length === 10
      ? `${text}T00:00:00Z`
      : /Z|[+-]\d{2}:?\d{2}$/.test(text.slice(10))
        ? text.replace(" ", "T")
        : `${text.replace(" ", "T")}Z`;
  const ms = Date.parse(normalized);
  return Number.isFinite(ms) ? ms : null;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or null. */
export function parseDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms);
  if (back.getUTCMonth() !== Number(m[2]) - 1 || back.getUTCDate() !== Number(m[3])) return null;
  return Math.floor(ms / DAY_MS);
}

/**
 * Checks a JSON value against a type and returns it normalized (defaults
 * filled in, union wrappers removed, unknown record fields dropped,
 * ISO timestamps and dates as numbers). Errors carry dotted paths under
 * `path` (`guest.email`, `items[2]`).
 */
export function checkValue(type: AvroType, value: unknown, path = ""): Checked {
  const checker = new ValueChecker();
  const out = checker.check(type, value, path, 0);
  return checker.errors.length ? { ok: false, errors: checker.errors } : { ok: true, value: out };
}

/** Checks one row (a JSON object) against a collection's record schema. */
export function checkRecord(
  schema: AvroRecord,
  row: unknown,
  path = "",
): { ok: true; value: Record<string, unknown> } | { ok: false; errors: ErrorDetail[] } {
  const checker = new ValueChecker();
  const out = checker.record(schema, row, path, 0);
  return checker.errors.length
    ? { ok: false, errors: checker.errors }
    : { ok: true, value: out as Record<string, unknown> };
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE = new Set(["true", "t", "yes", "y", "1"]);
const FALSE = new Set(["false", "f", "no", "n", "0"]);

/**
 * Converts a CSV cell to a JSON value of `type`, for `checkValue` to check.
 * An empty cell is null for a nullable type and "" for a string; numbers,
 * booleans (`true/false/yes/no/1/0`), dates and timestamps are parsed;
 * arrays, maps and records are read as JSON. Unions try their branches in
 * order. Returns an error message when the cell cannot be read as the type.
 */
export function fromCsvCell(
  type: AvroType,
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const bad = (what: string) => ({ ok: false as const, message: `expected ${what}, got ${show(text)}` });
  switch (type.kind) {
    case "union": {
      if (text === "" && isNullable(type)) return { ok: true, value: null };
      const branches = type.branches.filter((b) => !(b.kind === "primitive" && b.type === "null"));
      if (branches.length === 1) return fromCsvCell(branches[0]!, text);
      for (const branch of branches) {
        const r = fromCsvCell(branch, text);
        if (r.ok && checkValue(branch, r.value).ok) return r;
      }
      return bad(describeType(type));
    }
    case "primitive":
      switch (type.type) {
        case "null":
          return text === "" ? { ok: true, value: null } : bad("an empty cell (null)");
        case "boolean": {
          const t = text.trim().toLowerCase();
          if (TRUE.has(t)) return { ok: true, value: true };
          if (FALSE.has(t)) return { ok: true, value: false };
          return bad("a boolean (true or false)");
        }
        case "int":
        case "long": {
          const t = text.trim();
          if (INTEGER.test(t)) return { ok: true, value: Number(t) };
          if (type.logical === "date" || type.logical === "timestamp-millis") return { ok: true, value: t };
          return bad(`an integer (${type.type})`);
        }
        case "float":
        case "double": {
          const t = text.trim();
          return DECIMAL.test(t) ? { ok: true, value: Number(t) } : bad(`a number (${type.type})`);
        }
        case "string":
        case "bytes":
          return { ok: true, value: text };
      }
      break;
    case "enum":
    case "fixed":
      return { ok: true, value: text };
    case "array":
    case "map":
    case "record":
      if (text.trim() === "") return bad(`${describeType(type)} as JSON`);
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch {
        return bad(`${describeType(type)} as JSON`);
      }
  }
  return bad(describeType(type));
}
