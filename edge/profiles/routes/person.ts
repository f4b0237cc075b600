/**
 * `GET /api/person/{field}/{value}`: one person as the console shows them —
 * each field with its merge strategy and every value observed, audiences
 * with the times they entered and left, experiences reached and converted
 * on, identifiers and merged profiles, and a timeline of recent events.
 * A token limited to attributes sees only those fields (in every part).
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../accounts/app-env";
import { accountOfCall, requireRole } from "../../accounts/access/auth";
import { READ } from "../../accounts/access/roles";
import { normalizeIdentifier } from "../../identity/identifiers";
import { errorResponse, notFound } from "../../platform/http/errors";
import { errorResponses, tokenSecurity } from "../../platform/http/openapi";
import { FieldValueSchema } from "../schemas";
import { zodErrors } from "../../platform/http/validation";
import type { FieldValue } from "../../../types/wire";
import { findProfile } from "../resolve/find-profile";
import { profileStub } from "../profile-stub";
import { RECENT_EVENTS } from "../storage/recent-events";

const ObservedSchema = z.object({
  value: FieldValueSchema,
  first: z.string().openapi({ description: "When the value was first seen (event time, ISO-8601)" }),
  last: z.string().openapi({ description: "When the value was last seen" }),
  count: z.number().int().openapi({ description: "How many events carried it" }),
});

const PersonSchema = z
  .object({
    id: z.string(),
    created: z.string(),
    modified: z.string(),
    identifiers: z.array(z.object({ field: z.string(), value: z.string() })),
    merged: z.array(z.string()).openapi({ description: "Ids of the profiles merged into this one" }),
    events: z.number().int().openapi({ description: "Events stored" }),
    fields: z.array(
      z.object({
        name: z.string(),
        value: FieldValueSchema,
        merge: z
          .enum(["first", "latest", "frequent", "unique", "computed"])
          .openapi({ description: "The merge strategy combining the observed values; `computed` fields have none" }),
        type: z.string(),
        observed: z.array(ObservedSchema).openapi({ description: "Every value remembered, most recent first" }),
      }),
    ),
    audiences: z.array(
      z.object({
        slug: z.string(),
        member: z.boolean(),
        entered: z.string().nullable(),
        exited: z.string().nullable(),
      }),
    ),
    experiences: z.array(
      z.object({
        id: z.string(),
        variation: z.string().openapi({ description: "Variation shown, or `control`" }),
        converted: z.boolean(),
        goal: z.boolean(),
      }),
    ),
    timeline: z.array(
      z.object({
        at: z.string(),
        type: z.string().nullable(),
        stream: z.string().nullable(),
        fields: z.record(z.string(), FieldValueSchema),
      }),
    ),
  })
  .openapi("Person");

const route = createRoute({
  method: "get",
  path: "/api/person/{field}/{value}",
  tags: ["Profiles"],
  summary: "A person for the console: fields with strategies and observed values, audiences, experiences, timeline",
  description: `Looks the person up by any identifier (\`_uid\`, \`email\`, \`user_id\`, ...). The timeline holds the last ${RECENT_EVENTS} events, newest first. A token limited to attributes sees only those fields, identifiers and event fields.`,
  security: tokenSecurity,
  request: {
    params: z.object({ field: z.string().min(1).max(128), value: z.string().min(1).max(1024) }),
    query: z.object({ cid: z.string().optional().openapi({ description: "Account id (root token only)" }) }),
  },
  responses: {
    200: {
      description: "The person",
      content: {
        "application/json": { schema: z.object({ status: z.literal(200), message: z.string(), data: PersonSchema }) },
      },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

const iso = (ms: number) => new Date(ms).toISOString();

/** The person routes, mounted with `app.route("/", personRoutes())`. */
export function personRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return errorResponse(c, 400, "the request is not valid", zodErrors(result.error));
    },
  });
  app.use("/api/person/*", requireRole(...READ));
  app.openapi(route, async (c) => {
    const { field: rawField, value: raw } = c.req.valid("param");
    const account = await accountOfCall(c);
    const field = rawField === "_uids" ? "_uid" : rawField;
    const value = normalizeIdentifier(field, raw, account);
    const profile = value === null ? null : await findProfile(c.env, account, { field, value });
    if (!profile) throw notFound(`no profile with ${rawField} = ${raw}`);
    const stub = profileStub(c.env, account.cid, profile.id);
    const [stored, history] = await Promise.all([stub.dump(), stub.audienceHistory()]);
    const allowed = c.get("auth").attributes;
    const visible = (name: string) => !allowed || allowed.includes(name);

    const observed = new Map<string, z.infer<typeof ObservedSchema>[]>();
    for (const o of stored?.observations ?? []) {
      if (!visible(o.name)) continue;
      const list = observed.get(o.name) ?? [];
      list.push({ value: JSON.parse(o.value) as FieldValue, first: iso(o.first), last: iso(o.last), count: o.count });
      observed.set(o.name, list);
    }
    const fields = Object.entries(profile.fields)
      .filter(([name]) => visible(name))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, v]) => {
        const values = (observed.get(name) ?? []).sort((a, b) => b.last.localeCompare(a.last));
        const settings = account.fields[name];
        return {
          name,
          value: v,
          merge: values.length ? (settings?.merge ?? "latest") : ("computed" as const),
          type: settings?.type ?? "any",
          observed: values,
        };
      });
    const xp = stored?.experiences;
    const experiences = Object.entries(xp?.reached ?? {}).map(([id, variation]) => ({
      id,
      variation,
      converted: id in (xp?.converted ?? {}),
      goal: id in (xp?.goals ?? {}),
    }));
    const timeline = (stored?.recent ?? []).map((e) => ({
      at: iso(e.at),
      type: e.type,
      stream: e.stream,
      fields: Object.fromEntries(Object.entries(e.fields).filter(([name]) => visible(name))),
    }));
    return c.json(
      {
        status: 200 as const,
        message: "success",
        data: {
          id: profile.id,
          created: iso(profile.created),
          modified: iso(profile.modified),
          identifiers: profile.identifiers.filter((k) => visible(k.field)),
          merged: profile.merged,
          events: profile.events,
          fields,
          audiences: history.map((h) => ({ slug: h.slug, member: h.member, entered: h.enter, exited: h.exit })),
          experiences,
          timeline,
        },
      },
      200,
    );
  });
  return app;
}
