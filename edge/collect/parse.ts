import type { CollectEvent, FieldValue } from "../../types/wire";
import { badRequest, type ErrorDetail, unprocessable } from "../platform/http/errors";

/** Most events one collect request may carry. */
export const MAX_EVENTS_PER_REQUEST = 200;
/** Most fields one event may carry. */
export const MAX_FIELDS_PER_EVENT = 300;
/** Longest field name. */
export const MAX_FIELD_NAME = 128;
/** Longest string value. */
export const MAX_STRING_VALUE = 16 * 1024;
/** Deepest nesting of arrays and objects in one value. */
export const MAX_DEPTH = 4;

/** Most key=value pairs one legacy (query string or form) request may carry. */
export const MAX_LEGACY_PAIRS = 1000;
/** Most times one key may repeat in a legacy request (repeats become an array). */
export const MAX_LEGACY_REPEATS = 500;

/** Result of parsing a collect body: the events, or what is wrong with it. */
export type ParsedCollect = { ok: true; events: CollectEvent[] } | { ok: false; errors: ErrorDetail[] };

/**
 * Turns one flat record of the legacy Lytics wire format (query string or
 * form fields) into an event: `k_json` holds a JSON array or object for `k`
 * (its `k_len` is dropped), `_js` holds a whole JSON event (large payloads),
 * `_uidn` (the name of a custom cookie) is dropped, nested keys stay
 * flattened as `a.b`, and numeric-looking strings stay strings.
 *
 * Linear in the number of pairs; refuses (422) past {@link MAX_LEGACY_PAIRS}
 * pairs or {@link MAX_LEGACY_REPEATS} repeats of one key, without reading on.
 */
export function fromLegacyFields(fields: Iterable<[string, string]>): Record<string, unknown>[] {
  // No prototype: `toString` or `__proto__` are keys like any other (validation refuses the reserved ones).
  const event: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const lens = new Set<string>();
  const repeats = new Map<string, number>();
  let embedded: unknown;
  let pairs = 0;
  for (const [key, value] of fields) {
    if (++pairs > MAX_LEGACY_PAIRS)
      throw unprocessable(`at most ${MAX_LEGACY_PAIRS} key=value pairs per legacy request`, [
        { message: `more than ${MAX_LEGACY_PAIRS} pairs` },
      ]);
    const seen = (repeats.get(key) ?? 0) + 1;
    repeats.set(key, seen);
    if (seen > MAX_LEGACY_REPEATS)
      throw unprocessable(`a key may repeat at most ${MAX_LEGACY_REPEATS} times per legacy request`, [
        { path: key, message: `more than ${MAX_LEGACY_REPEATS} repeats` },
      ]);
    if (key === "_js") {
      embedded = safeJson(value);
      if (embedded === undefined) throw badRequest("_js is not valid JSON", [{ path: "_js", message: "not JSON" }]);
    } else if (key === "_uidn") {
    } else if (key.endsWith("_json")) {
      const parsed = safeJson(value);
      define(event, key.slice(0, -5), parsed === undefined ? value : parsed);
    } else if (key.endsWith("_len")) {
      lens.add(key.slice(0, -4));
      define(event, key, value);
    } else if (Object.hasOwn(event, key)) {
      const prev = event[key];
      // Appending in place keeps the whole parse linear in the number of pairs.
      if (Array.isArray(prev)) prev.push(value);
      else define(event, key, [prev, value]);
    } else {
      define(event, key, value);
    }
  }
  for (const base of lens) if (base in event) delete event[`${base}_len`];
  const extra = embedded === undefined ? [] : Array.isArray(embedded) ? embedded : [embedded];
  if (extra.length === 0) return [event];
  // `_js` carries the payload; flat fields beside it (ids, `_e`) apply to each event.
  return extra.map((e) => (isPlainObject(e) ? { ...event, ...e } : e)) as Record<string, unknown>[];
}

/** Sets an own property, even one named `__proto__`. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Parses a form body or query string of the legacy format into its pairs,
 * refusing (422) more than {@link MAX_LEGACY_PAIRS} pairs before decoding,
 * and (400) invalid percent-encoding or UTF-8, which URLSearchParams would
 * keep as-is or turn into U+FFFD.
 */
export function legacyParams(text: string): [string, string][] {
  let pairs = 1;
  for (let at = text.indexOf("&"); at !== -1; at = text.indexOf("&", at + 1))
    if (++pairs > MAX_LEGACY_PAIRS)
      throw unprocessable(`at most ${MAX_LEGACY_PAIRS} key=value pairs per legacy request`, [
        { message: `more than ${MAX_LEGACY_PAIRS} pairs` },
      ]);
  const out: [string, string][] = [];
  if (!text) return out;
  for (const part of text.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = decodeComponent(eq === -1 ? part : part.slice(0, eq));
    out.push([key, decodeComponent(eq === -1 ? "" : part.slice(eq + 1))]);
  }
  return out;
}

function decodeComponent(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    throw badRequest("the request is not validly percent-encoded UTF-8", [{ message: raw.slice(0, 100) }]);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Splits a JSON collect body (event, array, or `{events: [...]}`) into events. */
export function fromJsonBody(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (isPlainObject(body) && Array.isArray(body.events) && Object.keys(body).length === 1) return body.events;
  return [body];
}

/**
 * Validates raw events against the collect limits. All or nothing: one bad
 * event rejects the request, so nothing of it is stored.
 */
export function validateEvents(raw: unknown[], streamFromPath?: string): ParsedCollect {
  const errors: ErrorDetail[] = [];
  if (raw.length === 0) errors.push({ message: "no events in the request" });
  if (raw.length > MAX_EVENTS_PER_REQUEST) {
    errors.push({ message: `at most ${MAX_EVENTS_PER_REQUEST} events per request, got ${raw.length}` });
    return { ok: false, errors };
  }
  const events: CollectEvent[] = [];
  raw.forEach((item, i) => {
    const at = raw.length > 1 ? `[${i}]` : "";
    if (!isPlainObject(item)) {
      errors.push({ path: at || "$", message: "an event must be a JSON object" });
      return;
    }
    const keys = Object.keys(item);
    if (keys.length > MAX_FIELDS_PER_EVENT) {
      errors.push({ path: at || "$", message: `at most ${MAX_FIELDS_PER_EVENT} fields per event, got ${keys.length}` });
      return;
    }
    const event: CollectEvent = {};
    for (const key of keys) {
      const path = at ? `${at}.${key}` : key;
      if (key.length === 0 || key.length > MAX_FIELD_NAME) {
        errors.push({ path, message: `field names must have 1 to ${MAX_FIELD_NAME} characters` });
        continue;
      }
      if (key === "__proto__" || key === "constructor" || key === "prototype") {
        errors.push({ path, message: "reserved field name" });
        continue;
      }
      // A cookie id JSON cannot hold exactly would be rounded into another visitor's id.
      if ((key === "_uid" || key === "_uido") && typeof item[key] === "number" && !Number.isSafeInteger(item[key])) {
        errors.push({ path, message: "a numeric id must be an integer below 2^53; send it as a string" });
        continue;
      }
      const problem = checkValue(item[key], 0);
      if (problem) errors.push({ path, message: problem });
      else event[key] = item[key] as FieldValue;
    }
    if (streamFromPath && event._stream === undefined) event._stream = streamFromPath;
    events.push(event);
  });
  return errors.length ? { ok: false, errors } : { ok: true, events };
}

function checkValue(value: unknown, depth: number): string | null {
  if (value === null || typeof value === "boolean") return null;
  if (typeof value === "number") return Number.isFinite(value) ? null : "numbers must be finite";
  if (typeof value === "string")
    return value.length > MAX_STRING_VALUE ? `strings may have at most ${MAX_STRING_VALUE} characters` : null;
  if (depth >= MAX_DEPTH) return `values may nest at most ${MAX_DEPTH} levels`;
  if (Array.isArray(value)) {
    if (value.length > 1000) return "arrays may have at most 1000 items";
    for (const v of value) {
      const p = checkValue(v, depth + 1);
      if (p) return p;
    }
    return null;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length > MAX_FIELDS_PER_EVENT) return `objects may have at most ${MAX_FIELDS_PER_EVENT} keys`;
    for (const k of keys) {
      if (k === "__proto__") return "reserved key __proto__";
      const p = checkValue(value[k], depth + 1);
      if (p) return p;
    }
    return null;
  }
  return "unsupported value type";
}
