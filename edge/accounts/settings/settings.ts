import { z } from "@hono/zod-openapi";
import { FIELD_TYPES, MERGE_STRATEGIES } from "../fields/field-vocabulary";

/** An account id: lower-case letters, digits, `-` and `_`, 1–64 characters. */
export const CidSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "lower-case letters, digits, - and _; at most 64 characters")
  .openapi({ example: "demo" });

/** Public suffixes refused as a whole `domains` entry (with every single-label name but localhost). */
const PUBLIC_SUFFIXES = new Set([
  "co.uk",
  "org.uk",
  "ac.uk",
  "gov.uk",
  "com.au",
  "net.au",
  "org.au",
  "co.nz",
  "co.jp",
  "ne.jp",
  "or.jp",
  "com.br",
  "com.cn",
  "com.mx",
  "co.in",
  "co.za",
  "com.tr",
  "com.sg",
  "github.io",
  "pages.dev",
  "workers.dev",
  "herokuapp.com",
  "vercel.app",
  "netlify.app",
  "appspot.com",
  "blogspot.com",
  "cloudfront.net",
  "azurewebsites.net",
]);

const DomainSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^(https?:\/\/)?(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i,
    "a host name such as example.com or *.example.com, or an origin such as https://example.com:8443",
  )
  .refine((entry) => {
    const host = entry
      .replace(/^https?:\/\//i, "")
      .replace(/^\*\./, "")
      .replace(/:\d+$/, "")
      .toLowerCase();
    return host === "localhost" || (host.includes(".") && !PUBLIC_SUFFIXES.has(host));
  }, "a public suffix (com, co.uk, github.io, ...) would admit every site under it; name the site's own domain");

/** Settings of one profile field. */
export const FieldSettingsSchema = z
  .object({
    type: z.enum(FIELD_TYPES).default("any"),
    merge: z.enum(MERGE_STRATEGIES).default("latest"),
    description: z.string().max(500).optional(),
  })
  .strict()
  .openapi("FieldSettings");
export type FieldSettings = z.infer<typeof FieldSettingsSchema>;

/** Account settings a token with the `admin` role may change. */
export const AccountSettingsSchema = z
  .object({
    name: z.string().min(1).max(200),
    /** Hosts whose pages may call the browser endpoints (CORS). `*.example.com` covers sub-domains. */
    domains: z.array(DomainSchema).max(100),
    /** Whether `/personalize` answers browsers at all. */
    public_personalization: z.boolean(),
    /** Fields besides `_uid` by which `/personalize` may look a visitor up (`entity.byFieldKey`). */
    personalize_fields: z.array(z.string().min(1).max(128)).max(20),
    /** Profile fields `/personalize` may show to the browser. */
    surfaced_fields: z.array(z.string().min(1).max(128)).max(200),
    /** Per-field type and merge strategy; fields not listed keep the most recent value. */
    fields: z
      .record(z.string().min(1).max(128), FieldSettingsSchema)
      .refine((f) => Object.keys(f).length <= 500, "at most 500 configured fields"),
    /** Fields that identify a person; events carrying two of them link them. */
    identifier_fields: z.array(z.string().min(1).max(128)).min(1).max(20),
    /** Run string callbacks from experience overrides in widgets (off: no eval of configuration). */
    allow_string_callbacks: z.boolean(),
    /** Browser requests per second allowed per account in each worker isolate (429 beyond). */
    rate_limit_per_second: z.number().int().min(1).max(100_000),
    /** The identifier field SegmentHub's `profileId` names (e.g. `user_id`, `email`). */
    profile_id_field: z.string().min(1).max(128),
    /** Most identifiers of one kind (e.g. `_uid`, `email`) one person may hold; merges beyond it are refused. */
    max_identifiers_per_kind: z.number().int().min(1).max(10_000),
    /** Values that never identify anyone (compared case-insensitively). */
    placeholder_values: z.array(z.string().max(128)).max(100),
    /** Defaults the served tag carries (`/api/tag/:cid/latest.min.js`). */
    tag: z
      .object({
        cookie: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
        cookie_domain: z.string().max(253).optional(),
        cookie_expires_days: z.number().int().min(1).max(730),
        sessecs: z.number().int().min(60).max(86_400),
      })
      .strict(),
  })
  .strict();

export type AccountSettings = z.infer<typeof AccountSettingsSchema>;

/** Body of `POST /api/account`: a new account, or settings to change. */
export const AccountUpsertSchema = AccountSettingsSchema.partial()
  .extend({ cid: CidSchema, tag: AccountSettingsSchema.shape.tag.partial().optional() })
  .strict()
  .openapi("AccountUpsert");

/** Body of `PUT /api/account`: settings to change. */
export const AccountUpdateSchema = AccountSettingsSchema.partial()
  .extend({ tag: AccountSettingsSchema.shape.tag.partial().optional() })
  .strict()
  .openapi("AccountUpdate");

/** Defaults of a new account. */
export function defaultSettings(cid: string): AccountSettings {
  return {
    name: cid,
    domains: [],
    public_personalization: true,
    personalize_fields: [],
    surfaced_fields: [],
    fields: {},
    identifier_fields: ["_uid", "email", "user_id"],
    max_identifiers_per_kind: 50,
    profile_id_field: "user_id",
    allow_string_callbacks: false,
    rate_limit_per_second: 250,
    placeholder_values: ["null", "undefined", "anonymous", "unknown", "-1", "0", "0000", "none", "n/a", ""],
    tag: { cookie: "_uid", cookie_expires_days: 365, sessecs: 1800 },
  };
}

/** Stored account: id, settings and timestamps, plus a summary of its audiences. */
export interface AccountRecord extends AccountSettings {
  cid: string;
  created: string;
  updated: string;
  /** Bumped on every audience change; profile objects recompile when it moves. */
  segments_version?: number;
  /** Slugs of API-enabled audiences (shown to browsers). */
  public_segments?: string[];
  /** Fields whose changes active webhook subscriptions want (profiles report them). */
  trigger_fields?: string[];
}
