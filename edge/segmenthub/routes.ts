import type { Context } from "hono";
import { eligibleFor } from "../experiences/delivery";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { FieldValue } from "../../types/wire";
import type { AppEnv } from "../accounts/app-env";
import { accountStub, findAccount, type AccountConfig } from "../accounts/config";
import { authenticate, clientAddress, tokenOf } from "../accounts/auth";
import type { AuthContext } from "../accounts/contract";
import { READ, WRITE } from "../accounts/roles";
import { API_BODY_LIMIT, mediaType, parseJson, readText } from "../platform/http/body";
import { validateEvents } from "../collect/parse";
import { applyBrowserCors } from "../accounts/browser-guard";
import { ApiError, badRequest, forbidden, notFound, unauthorized, unsupportedType } from "../platform/http/errors";
import { normalizeIdentifier } from "../identity/identifiers";
import { fieldOptions, findProfile, ingestEvents, profileStub } from "../profiles/service";
import { errorResponses } from "../platform/http/openapi";

/**
 * SegmentHub REST API (reference 004): profiles (known people, by
 * `profileId`) and visitors (devices, by `visitorId` = the `_uid` cookie),
 * with the token in the body or the Authorization header. `profileId` is
 * looked up by the account's `profile_id_field` (default `user_id`).
 */

const Base = z.object({ account: z.string().min(1), token: z.string().optional() });
const Who = {
  profiles: z.object({ profileId: z.string().min(1).max(256) }),
  visitors: z.object({ visitorId: z.string().min(1).max(256) }),
};
const Query = z.object({
  attributes: z.array(z.string().min(1).max(128)).max(200).optional(),
  segments: z.array(z.string()).max(200).optional(),
});
const Attributes = z.object({ attributes: z.record(z.string().min(1).max(128), z.unknown()) });
const Segments = z.object({
  assignees: z.array(z.string()).max(200).optional(),
  removes: z.array(z.string()).max(200).optional(),
});

type Kind = keyof typeof Who;

/** The `profileId` or `visitorId` of a checked body. */
const idOf = (b: object, name: string): string => (b as Record<string, string>)[name]!;

/** Reads and checks a SegmentHub JSON body (415 / 400 with the field named). */
async function body<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.infer<T>> {
  if (mediaType(c) !== "application/json") throw unsupportedType("the API only accepts application/json");
  const parsed = schema.safeParse(parseJson(await readText(c, API_BODY_LIMIT)));
  if (!parsed.success)
    throw badRequest(
      "the request is malformed or misses required parameters",
      parsed.error.issues.map((i) => ({ path: i.path.join(".") || undefined, message: i.message })),
    );
  return parsed.data;
}

/** The account of the body (404 unknown) and the caller (401/403). */
async function caller(
  c: Context<AppEnv>,
  b: { account: string; token?: string },
  roles: typeof READ,
): Promise<{ account: AccountConfig; auth: AuthContext }> {
  const account = await findAccount(c.env, b.account);
  if (!account) throw notFound(`account ${b.account} not found`);
  const token = b.token ?? tokenOf(c);
  if (!token) throw unauthorized();
  const auth = await authenticate(c.env, token, roles, clientAddress(c));
  if (auth.cid && auth.cid !== account.cid) throw forbidden("the token belongs to another account");
  return { account, auth };
}

function checkAttributes(auth: AuthContext, names: string[]): void {
  if (!auth.attributes) return;
  const denied = names.filter((n) => !auth.attributes!.includes(n));
  if (denied.length)
    throw new ApiError(
      403,
      "the token may not access these attributes",
      denied.map((d) => ({ path: "attributes", message: d })),
    );
}

function keyOf(kind: Kind, account: AccountConfig, id: string) {
  const field = kind === "visitors" ? "_uid" : account.profile_id_field;
  const value = normalizeIdentifier(field, id, account);
  if (value === null) throw badRequest(`${kind === "visitors" ? "visitorId" : "profileId"} is not a usable identifier`);
  return { field, value };
}

/** SegmentHub attribute values: lists of `{value}`. */
function asValues(v: FieldValue | undefined): { value: FieldValue }[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((value) => ({ value }));
}

const envelope = z
  .object({
    status: z.number(),
    message: z.string(),
    errors: z.array(z.object({ path: z.string().optional(), message: z.string() })),
  })
  .catchall(z.unknown());
const doc = (path: string, summary: string, schema: z.ZodType) =>
  createRoute({
    method: "post",
    path,
    tags: ["SegmentHub"],
    summary,
    request: { body: { content: { "application/json": { schema } }, required: true } },
    responses: {
      200: { description: "Done", content: { "application/json": { schema: envelope } } },
      ...errorResponses(400, 401, 403, 404, 415),
    },
  });

export function registerSegmentHub(app: OpenAPIHono<AppEnv>): void {
  for (const kind of ["profiles", "visitors"] as const) {
    const idName = kind === "profiles" ? "profileId" : "visitorId";
    const label = kind === "profiles" ? "profile" : "visitor";

    app.openAPIRegistry.registerPath(
      doc(`/${kind}/query`, `Attributes and segments of a ${label}`, Base.merge(Who[kind]).merge(Query)),
    );
    app.post(`/${kind}/query`, async (c) => {
      const b = await body(c, Base.merge(Who[kind]).merge(Query));
      const { account, auth } = await caller(c, b, READ);
      const requested = b.attributes ?? [];
      checkAttributes(auth, requested);
      const profile = await findProfile(c.env, account, keyOf(kind, account, idOf(b, idName)));
      if (!profile) throw notFound(`${label} not found`);
      const names = b.attributes ?? auth.attributes ?? Object.keys(profile.fields);
      const attributes = Object.fromEntries(names.map((n) => [n, asValues(profile.fields[n])]));
      const all = await accountStub(c.env, account.cid).listAudiences();
      const memberSlugs = new Set(profile.segments);
      const matches = (ref: string) => all.find((s) => s.slug_name === ref || s.id === ref || s.name === ref);
      const segments = b.segments
        ? b.segments.filter((ref) => {
            const s = matches(ref);
            return s && memberSlugs.has(s.slug_name);
          })
        : profile.segments;
      return c.json({
        status: 200,
        message: `${kind === "profiles" ? "Profile" : "Visitor"} queried successfully.`,
        errors: [],
        attributes,
        segments,
      });
    });

    app.openAPIRegistry.registerPath(
      doc(`/${kind}/attributes`, `Update attributes of a ${label}`, Base.merge(Who[kind]).merge(Attributes)),
    );
    app.post(`/${kind}/attributes`, async (c) => {
      const b = await body(c, Base.merge(Who[kind]).merge(Attributes));
      const { account, auth } = await caller(c, b, WRITE);
      checkAttributes(auth, Object.keys(b.attributes));
      const id = idOf(b, idName);
      const key = keyOf(kind, account, id);
      const parsed = validateEvents([{ ...b.attributes, [key.field]: key.value }]);
      if (!parsed.ok)
        throw badRequest(
          "the attributes are not valid",
          parsed.errors.map((e) => ({ ...e, path: e.path ? `attributes.${e.path}` : "attributes" })),
        );
      await ingestEvents(c.env, account, parsed.events, true);
      return c.json({
        status: 200,
        [idName]: id,
        message: `${kind === "profiles" ? "Profile" : "Visitor"} attributes saved successfully.`,
        errors: [],
      });
    });

    app.openAPIRegistry.registerPath(
      doc(
        `/${kind}/segments`,
        `Assign or remove segments of a ${label} by hand`,
        Base.merge(Who[kind]).merge(Segments),
      ),
    );
    app.post(`/${kind}/segments`, async (c) => {
      const b = await body(c, Base.merge(Who[kind]).merge(Segments));
      const { account } = await caller(c, b, WRITE);
      const all = await accountStub(c.env, account.cid).listAudiences();
      const resolve = (refs: string[], path: string) =>
        refs.map((ref) => {
          const s = all.find((x) => x.slug_name === ref || x.id === ref || x.name === ref);
          if (!s) throw badRequest("unknown segments", [{ path, message: `no segment ${ref}` }]);
          return s.slug_name;
        });
      const add = resolve(b.assignees ?? [], "assignees");
      const remove = resolve(b.removes ?? [], "removes");
      const key = keyOf(kind, account, idOf(b, idName));
      // Find or create the person, then record the hand assignments on their profile.
      const { profiles } = await ingestEvents(c.env, account, [{ [key.field]: key.value }], true);
      const profile = profiles[0]!;
      const result = await profileStub(c.env, account.cid, profile.id).assign(add, remove, fieldOptions(account));
      const segments = result && !("alias" in result) ? result.segments : [];
      return c.json({ status: 200, message: "Segments updated successfully.", errors: [], segments });
    });
  }

  /** A price as SegmentHub's examples send it: a number (`99.90`) or a US-format string (`"1,299.90"`, `"$99.90"`). */
  const UsPrice = z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^\$?\s*-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/, 'a number, or a US-format amount such as "1,299.90"')
        .transform((s) => Number(s.replace(/[$,\s]/g, ""))),
    ])
    .openapi({ type: "number", description: 'A number, or a US-format amount string ("1,299.90", "$99.90")' });
  /** Event names: the three built-in ones or any name created in the panel. */
  const EventName = z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/, "a letter, then up to 63 letters, digits, _ . : or -")
    .openapi({ description: "`pageView`, `productView`, `purchase`, or a custom event name" });
  const Campaign = z
    .object({
      account: z.string().min(1),
      visitorId: z.string().min(1).max(256),
      profileId: z.string().max(256).nullish(),
      platform: z.string().min(1).max(253),
      device: z.enum(["desktop", "tablet", "mobile"]).nullish(),
      event: EventName,
      path: z.string().max(2048).nullish(),
      referrer: z.string().max(2048).nullish(),
      sku: z.string().max(256).optional(),
      price: UsPrice.optional(),
      brand: z.string().max(256).optional(),
      breadcrumb: z.string().max(1024).optional(),
      category: z.string().max(256).optional(),
      orderId: z.string().max(256).optional(),
      orderTotal: UsPrice.optional(),
      purchasedItems: z.array(z.string().max(256)).max(500).optional(),
    })
    .catchall(z.union([z.string().max(2048), z.number(), z.boolean(), z.null()]));
  app.openAPIRegistry.registerPath({
    ...doc(
      "/campaigns/query",
      "Record a pageView, productView, purchase or custom event and return the campaigns the visitor is eligible for",
      Campaign,
    ),
    description:
      "Browser endpoint (no token; CORS limited to the account's domains). Campaigns are the account's published experiences the visitor qualifies for after this event, as `/personalize` lists them: `{id, name, tactic, type, variation, widget}` (`variation: \"control\"` with `widget: null` for a visitor held out).",
  });
  app.options("/campaigns/query", async (c) => {
    const origin = c.req.header("origin");
    if (!origin) return c.body(null, 204);
    // The account is in the body, which a preflight does not carry: answer for the origin and check it on the real call.
    c.header("Access-Control-Allow-Origin", origin);
    c.header("Access-Control-Allow-Methods", "POST, OPTIONS");
    c.header("Access-Control-Allow-Headers", "content-type");
    c.header("Vary", "Origin");
    return c.body(null, 204);
  });
  app.post("/campaigns/query", async (c) => {
    const b = await body(c, Campaign);
    if (b.event === "productView" && !b.sku)
      throw badRequest("productView needs sku", [{ path: "sku", message: "required" }]);
    if (b.event === "purchase" && !b.orderId)
      throw badRequest("purchase needs orderId", [{ path: "orderId", message: "required" }]);
    const account = await findAccount(c.env, b.account);
    if (!account) throw notFound(`account ${b.account} not found`);
    applyBrowserCors(c, account);
    const { account: _a, visitorId, profileId, event, ...rest } = b;
    const data: Record<string, unknown> = {
      _uid: visitorId,
      _e: event,
      // The event name as a profile field too, so audiences can use it (`event = "addToCart"`).
      event,
      ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null && v !== undefined)),
    };
    if (profileId) data[account.profile_id_field] = profileId;
    const parsed = validateEvents([data], "segmenthub");
    if (!parsed.ok) throw badRequest("the event is not valid", parsed.errors);
    const ingested = await ingestEvents(c.env, account, parsed.events, false);
    const profile = ingested.profiles[ingested.profiles.length - 1];
    const campaigns = await eligibleFor(c.env, account, {
      key: (profile?.fields._uids as string[] | undefined)?.[0] ?? visitorId,
      segments: profile?.segments ?? [],
      reached: profile?.fields.experiences_reached,
    });
    return c.json({ status: 200, message: "Campaigns executed successfully.", campaigns });
  });
}
