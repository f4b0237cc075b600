import { z } from "@hono/zod-openapi";
import { checkWebhookUrl } from "./delivery/url-policy";
import type { AccountRpc } from "../accounts/contract";
import { badRequest, unprocessable, type ErrorDetail } from "../platform/http/errors";
import type { AudienceRecord } from "../accounts/records/audience-records";
import { parseText } from "../audiences/definitions";
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_CLOUDEVENTS_TYPE,
  MAX_BATCH_SIZE,
  MAX_TRIGGER_FIELDS,
  WEBHOOK_METHODS,
  type SubscriptionConfig,
  type SubscriptionRecord,
} from "../accounts/records/subscription-catalog";
import { zodErrors } from "../platform/http/validation";

/** Channels that deliver something. */
export const SUPPORTED_CHANNELS = ["webhook"] as const;

/** Headers a subscription may not set: the transport and the signature own them. */
const RESERVED_HEADERS = new Set([
  "content-type",
  "content-length",
  "host",
  "user-agent",
  "connection",
  "transfer-encoding",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;

/** The body of `POST /api/subscription` (create, or update with `id`). */
export const SubscriptionInputSchema = z
  .object({
    id: z.string().min(1).max(64).optional().openapi({ description: "Update this subscription (omit to create one)" }),
    channel: z
      .enum(SUPPORTED_CHANNELS)
      .optional()
      .openapi({ description: "Required when creating; only `webhook` is supported (any other channel answers 422)" }),
    name: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    segment_ids: z
      .array(z.string().min(1).max(128))
      .max(50)
      .optional()
      .openapi({ description: "Audience ids or slugs" }),
    segmentql: z
      .string()
      .max(100_000)
      .optional()
      .openapi({ description: "SegmentQL with an ALIAS: creates or updates that audience and subscribes to it" }),
    withbackfill: z
      .boolean()
      .optional()
      .openapi({ description: "Send every current member as `enter` first (one audience only)" }),
    webhook_url: z.string().max(2048).optional(),
    headers: z.record(z.string(), z.string().max(4096)).optional().openapi({ description: "Extra request headers" }),
    format: z
      .enum(["lytics", "cloudevents"])
      .optional()
      .openapi({ description: "`lytics` (default) or `cloudevents` (CloudEvents 1.0 structured mode)" }),
    cloudevents_type: z.string().min(1).max(200).optional(),
    cloudevents_source: z.string().min(1).max(500).optional(),
    batch: z
      .boolean()
      .optional()
      .openapi({ description: "Send arrays of up to batch_size messages, at least every second" }),
    batch_size: z.number().int().min(1).max(MAX_BATCH_SIZE).optional(),
    trigger_fields: z
      .array(z.string().min(1).max(128))
      .max(MAX_TRIGGER_FIELDS)
      .optional()
      .openapi({
        description: `Also send when a member's value of one of these fields changes (up to ${MAX_TRIGGER_FIELDS})`,
      }),
    trigger_events: z
      .array(z.enum(["enter", "exit"]))
      .min(1)
      .max(2)
      .optional()
      .openapi({ description: 'Audience events to send: `["enter", "exit"]` (default), `["enter"]` or `["exit"]`' }),
    method: z
      .enum(WEBHOOK_METHODS)
      .optional()
      .openapi({ description: "HTTP method of the webhook requests (default POST)" }),
    segmentio_writekey: z
      .string()
      .optional()
      .openapi({ description: "Delivery to Segment.io is not supported: a non-empty key answers 422" }),
  })
  .strict()
  .openapi("SubscriptionInput");

/** A parsed subscription body. */
export type SubscriptionInput = z.infer<typeof SubscriptionInputSchema>;

/**
 * Parses a subscription body. A channel other than `webhook` answers 422
 * "channel not supported" before anything else, so nothing is ever
 * accepted that would silently deliver nothing.
 */
export function parseSubscriptionInput(body: unknown, creating: boolean): SubscriptionInput {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw badRequest("the body must be a JSON object");
  const channel = (body as { channel?: unknown }).channel;
  if (channel !== undefined && !SUPPORTED_CHANNELS.includes(channel as "webhook")) {
    throw unprocessable("channel not supported", [
      {
        path: "channel",
        message: `${JSON.stringify(channel)} is not supported; supported: ${SUPPORTED_CHANNELS.join(", ")}`,
      },
    ]);
  }
  const writekey = (body as { segmentio_writekey?: unknown }).segmentio_writekey;
  if (writekey !== undefined && writekey !== null && writekey !== "")
    throw unprocessable("delivery to Segment.io is not supported", [
      {
        path: "segmentio_writekey",
        message: "Pathlight delivers to webhook_url only; forward from your receiver to Segment.io, or omit the key",
      },
    ]);
  if (creating && channel === undefined)
    throw unprocessable("channel is required", [
      { path: "channel", message: `one of ${SUPPORTED_CHANNELS.join(", ")}` },
    ]);
  // Schema parsing would silently drop a `__proto__` key: refuse it by name first.
  const headers = (body as { headers?: unknown }).headers;
  if (headers && typeof headers === "object" && Object.hasOwn(headers, "__proto__"))
    throw unprocessable("the headers are not valid", [
      { path: "headers.__proto__", message: "not a valid header name" },
    ]);
  const parsed = SubscriptionInputSchema.safeParse(body);
  if (!parsed.success) throw unprocessable("the subscription is not valid", zodErrors(parsed.error));
  return parsed.data;
}

/** Whether text holds a character an HTTP field value cannot carry (a control character but tab, or DEL). */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/** Checks custom headers (names, reserved names, line breaks, control characters); 422 naming each problem. */
export function checkHeaders(headers: Record<string, string>): Record<string, string> {
  const errors: ErrorDetail[] = [];
  if (Object.keys(headers).length > 30) errors.push({ path: "headers", message: "at most 30 headers" });
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) errors.push({ path: `headers.${name}`, message: "not a valid header name" });
    else if (RESERVED_HEADERS.has(name.toLowerCase()))
      errors.push({ path: `headers.${name}`, message: "set by Pathlight; cannot be overridden" });
    if (/[\r\n\0]/.test(value)) errors.push({ path: `headers.${name}`, message: "line breaks are not allowed" });
    // What HTTP cannot carry in a field value (control characters but tab, DEL) would fail every delivery.
    else if (hasControlCharacter(value))
      errors.push({ path: `headers.${name}`, message: "control characters are not allowed" });
  }
  if (errors.length) throw unprocessable("the headers are not valid", errors);
  return headers;
}

/** Checks the webhook URL against the target policy (https and public hosts unless in development mode). */
export function checkTarget(url: string, development: boolean): string {
  const verdict = checkWebhookUrl(url, { development });
  if (!verdict.ok)
    throw unprocessable("the webhook_url is not allowed", [{ path: "webhook_url", message: verdict.reason }]);
  return verdict.url;
}

/**
 * The audiences a body names: `segment_ids` (ids or slugs) resolved, plus
 * the inline SegmentQL (parsed, not yet saved). 422 for unknown audiences
 * or none; 400 for a backfill over more than one audience.
 */
export async function resolveAudiences(
  account: AccountRpc,
  input: SubscriptionInput,
  existing: SubscriptionRecord | null,
): Promise<{ segments: AudienceRecord[]; inline: { alias: string; ast: ReturnType<typeof parseText>["ast"] } | null }> {
  const all = await account.listAudiences();
  const find = (key: string) => all.find((s) => s.id === key || s.slug_name === key);
  const errors: ErrorDetail[] = [];
  const segments: AudienceRecord[] = [];
  const ids = input.segment_ids ?? (input.segmentql === undefined ? (existing?.config.segment_ids ?? []) : []);
  for (const key of ids) {
    const seg = find(key);
    if (!seg) errors.push({ path: "segment_ids", message: `no audience with id or slug ${key}` });
    else if (!segments.includes(seg)) segments.push(seg);
  }
  if (errors.length) throw unprocessable("unknown audiences", errors);
  let inline = null;
  if (input.segmentql !== undefined) {
    const parsed = parseText(input.segmentql, "segmentql");
    if (!parsed.alias)
      throw badRequest("the SegmentQL needs an ALIAS: it names the audience", [
        { path: "segmentql", message: "add ALIAS <slug>" },
      ]);
    if (parsed.table !== "user")
      throw unprocessable("only the user table has audiences", [
        { path: "segmentql", message: `FROM ${parsed.table}` },
      ]);
    inline = { alias: parsed.alias, ast: parsed.ast };
  }
  const count = new Set([...segments.map((s) => s.slug_name), ...(inline ? [inline.alias] : [])]).size;
  if (count === 0)
    throw unprocessable("a subscription needs an audience", [
      { path: "segment_ids", message: "give segment_ids or segmentql" },
    ]);
  if (input.withbackfill && count > 1) {
    throw badRequest("withbackfill works with a single audience", [
      {
        path: "withbackfill",
        message: `the subscription names ${count} audiences; backfill one audience per subscription`,
      },
    ]);
  }
  return { segments, inline };
}

/**
 * The config a body asks for, over the existing one on an update. The
 * CloudEvents source defaults to `/accounts/<cid>/subscriptions/<id>`.
 */
export function configOf(
  input: SubscriptionInput,
  existing: SubscriptionConfig | null,
  ctx: { cid: string; id: string; segmentIds: string[]; url: string },
): SubscriptionConfig {
  const base: SubscriptionConfig = existing ?? {
    channel: "webhook",
    name: "",
    description: "",
    segment_ids: [],
    webhook_url: ctx.url,
    headers: {},
    withbackfill: false,
    format: "lytics",
    cloudevents_type: DEFAULT_CLOUDEVENTS_TYPE,
    cloudevents_source: `/accounts/${ctx.cid}/subscriptions/${ctx.id}`,
    batch: false,
    batch_size: DEFAULT_BATCH_SIZE,
  };
  const config: SubscriptionConfig = {
    ...base,
    name: input.name ?? base.name,
    description: input.description ?? base.description,
    segment_ids: ctx.segmentIds,
    webhook_url: ctx.url,
    headers: input.headers !== undefined ? checkHeaders(input.headers) : base.headers,
    withbackfill: input.withbackfill ?? base.withbackfill,
    format: input.format ?? base.format,
    cloudevents_type: input.cloudevents_type ?? base.cloudevents_type,
    cloudevents_source: input.cloudevents_source ?? base.cloudevents_source,
    batch: input.batch ?? base.batch,
    batch_size: input.batch_size ?? base.batch_size,
    trigger_fields: input.trigger_fields ?? base.trigger_fields ?? [],
    trigger_events: input.trigger_events
      ? [...new Set(input.trigger_events)]
      : (base.trigger_events ?? ["enter", "exit"]),
    method: input.method ?? base.method ?? "POST",
  };
  if (config.withbackfill && input.withbackfill && !config.trigger_events!.includes("enter"))
    throw unprocessable("withbackfill sends current members as enter events", [
      { path: "withbackfill", message: 'this subscription sends only exits (trigger_events ["exit"])' },
    ]);
  if (input.segmentql !== undefined) config.segmentql = input.segmentql;
  else if (input.segment_ids !== undefined) delete config.segmentql;
  return config;
}
