/** The SegmentHub API's request bodies (reference 004) and its answer envelope. */
import { z } from "@hono/zod-openapi";

/** The account and the token, in every body. */
export const Base = z.object({ account: z.string().min(1), token: z.string().optional() });
/** Who a call is about: a known person (`profileId`) or a device (`visitorId`, the `_uid` cookie). */
export const Who = {
  profiles: z.object({ profileId: z.string().min(1).max(256) }),
  visitors: z.object({ visitorId: z.string().min(1).max(256) }),
};
export type Kind = keyof typeof Who;

const Query = z.object({
  attributes: z.array(z.string().min(1).max(128)).max(200).optional(),
  segments: z.array(z.string()).max(200).optional(),
});
const Attributes = z.object({ attributes: z.record(z.string().min(1).max(128), z.unknown()) });
const Segments = z.object({
  assignees: z.array(z.string()).max(200).optional(),
  removes: z.array(z.string()).max(200).optional(),
});

/** The bodies of `/{kind}/query`, `/{kind}/attributes` and `/{kind}/segments`. */
export const bodiesOf = (kind: Kind) => ({
  query: Base.merge(Who[kind]).merge(Query),
  attributes: Base.merge(Who[kind]).merge(Attributes),
  segments: Base.merge(Who[kind]).merge(Segments),
});

/** `{status, message, errors, ...}`: every SegmentHub answer. */
export const EnvelopeSchema = z
  .object({
    status: z.number(),
    message: z.string(),
    errors: z.array(z.object({ path: z.string().optional(), message: z.string() })),
  })
  .catchall(z.unknown());

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

/** The body of `/campaigns/query`: one visitor event. */
export const CampaignSchema = z
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
export type CampaignEvent = z.infer<typeof CampaignSchema>;

/** The answer of `/campaigns/query`: the experiences the visitor is eligible for, as `/personalize` lists them. */
export const CampaignsAnswerSchema = z.object({
  status: z.number(),
  message: z.string(),
  campaigns: z.array(z.record(z.string(), z.unknown())),
});
