/**
 * The Experiences API's documented shapes: the experience and its report,
 * parameters and envelopes. The request bodies are documented by the
 * schemas that check them (`input/experience.ts`, run by the store).
 */
import { z } from "@hono/zod-openapi";
import { CidSchema } from "../accounts/settings/settings";
import { checkedByHandler } from "../platform/http/openapi";

export const ExperienceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    tactic: z.enum(["drive_traffic", "collect_leads", "present_message", "recommend_content", "gate_content"]),
    widget_type: z.string(),
    variations: z.array(
      z.object({ id: z.string(), name: z.string(), share: z.number(), widget: z.record(z.string(), z.unknown()) }),
    ),
    control_share: z.number(),
    targeting: z.object({ include: z.array(z.string()), exclude: z.array(z.string()) }),
    display_conditions: z.record(z.string(), z.unknown()),
    dates: z.object({ start_date: z.string().nullable(), end_date: z.string().nullable() }),
    status: z.enum(["draft", "published", "paused", "archived"]),
    vehicle: z.object({ detail_override: z.record(z.string(), z.unknown()).nullable() }),
    goal: z.object({ event: z.string() }).nullable(),
    string_callbacks: z.array(z.string()),
    published: z.string().nullable(),
    created: z.string(),
    updated: z.string(),
  })
  .openapi("Experience");

export const CountersSchema = z.object({
  reach: z.number(),
  conversions: z.number(),
  goal_conversions: z.number(),
  conversion_rate: z.number(),
  day: z.string(),
  events: z.record(z.string(), z.number()),
});
export const ReportSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    tactic: z.string(),
    conversion: z.string(),
    goal: z.string().nullable(),
    totals: z.object({ reach: z.number(), conversions: z.number(), conversion_rate: z.number() }),
    variations: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        reach: z.number(),
        conversions: z.number(),
        conversion_rate: z.number(),
        goal_conversions: z.number(),
        goal_rate: z.number(),
        lift: z.number().nullable(),
        events: z.record(z.string(), z.number()),
        series: z.array(CountersSchema),
      }),
    ),
    control: z
      .object({
        reach: z.number(),
        goal_conversions: z.number(),
        goal_rate: z.number(),
        series: z.array(CountersSchema),
      })
      .nullable(),
  })
  .openapi("ExperienceReport");

/** `{status, message, data}`. */
export const envelope = <T extends z.ZodTypeAny>(data: T) =>
  z.object({ status: z.number(), message: z.string(), data });
export const CidQuery = z.object({ cid: z.string().optional() });
export const IdParams = z.object({ id: z.string() });
export const ConfigParams = z.object({ cid: CidSchema });
/** `status` filters the list; an unknown status lists nothing. */
export const ListQuery = CidQuery.extend({
  status: checkedByHandler({ values: ["draft", "published", "paused", "archived"] }),
});
/** `from`/`to`, days `YYYY-MM-DD` (checked by the handler: 422 naming the parameter). */
export const ReportQuery = CidQuery.extend({
  from: checkedByHandler({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" }),
  to: checkedByHandler({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" }),
});
