/**
 * The JSON building blocks of the Experiences API's request schemas: bounded
 * text, http(s) URLs, string callbacks, regular expressions that compile,
 * and the size and depth limits of a JSON configuration.
 */
import { z } from "@hono/zod-openapi";

/** Most JSON bytes (UTF-16 units) of one widget configuration or override. */
export const MAX_CONFIG_CHARS = 32 * 1024;
/** Deepest nesting of a configuration. */
export const MAX_CONFIG_DEPTH = 12;

/** Text of at most `max` characters. */
export const text = (max = 10_000) => z.string().max(max);
/** An absolute http(s) URL. */
export const httpUrl = z
  .string()
  .max(2048)
  .refine((u) => {
    try {
      const { protocol } = new URL(u);
      return protocol === "https:" || protocol === "http:";
    } catch {
      return false;
    }
  }, "an absolute http(s) URL");

/** `function (...) {...}` as a string: stored, delivered only when the account allows string callbacks. */
export const StringCallback = z.string().max(MAX_CONFIG_CHARS);

/** A regular expression that compiles. */
export const compilableRegex = z
  .string()
  .max(1000)
  .refine((p) => {
    try {
      new RegExp(p);
      return true;
    } catch {
      return false;
    }
  }, "not a valid regular expression");
/** Is `value` JSON no deeper than `limit`? */
function depthWithin(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return true;
  if (limit === 0) return false;
  return Object.values(value).every((v) => depthWithin(v, limit - 1));
}

/** A JSON object within the size and depth limits. */
export const boundedJson = <T extends z.ZodType>(schema: T) =>
  schema.superRefine((value, ctx) => {
    if (!depthWithin(value, MAX_CONFIG_DEPTH))
      ctx.addIssue({ code: "custom", message: `nested deeper than ${MAX_CONFIG_DEPTH} levels` });
    else if (JSON.stringify(value).length > MAX_CONFIG_CHARS)
      ctx.addIssue({ code: "custom", message: `larger than ${MAX_CONFIG_CHARS} characters of JSON` });
  });
/** `value` without its `null` members, at every depth (what the types of an override are checked on). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === null ? [] : [[k, withoutNulls(v)]])));
}
