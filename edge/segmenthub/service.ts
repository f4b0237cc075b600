/**
 * What the SegmentHub routes do between HTTP and the profiles: querying a
 * person's attributes and segments, saving attributes, assigning segments
 * by hand, and recording a visitor event that answers the eligible
 * campaigns. Throws `ApiError`s.
 */
import type { FieldValue } from "../../types/wire";
import { accountStub, type AccountConfig } from "../accounts/config";
import { validateEvents } from "../collect/parse";
import { eligibleFor } from "../experiences/delivery";
import type { Env } from "../platform/env";
import { normalizeIdentifier } from "../identity/identifiers";
import { badRequest, notFound } from "../platform/http/errors";
import { fieldOptions, profileStub } from "../profiles/profile-stub";
import { findProfile } from "../profiles/resolve/find-profile";
import { ingestEvents } from "../profiles/ingest/ingest-events";
import type { CampaignEvent, Kind } from "./schemas";

/** The identifier a `profileId` (the account's `profile_id_field`) or `visitorId` (`_uid`) stands for. */
export function keyOf(kind: Kind, account: AccountConfig, id: string) {
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

/**
 * A person's attributes (`names`, else every field the token may read) and
 * segments (those of `segmentRefs` they belong to, else all); 404 when unknown.
 */
export async function queryPerson(
  env: Env,
  account: AccountConfig,
  kind: Kind,
  id: string,
  names: string[] | null,
  segmentRefs: string[] | undefined,
): Promise<{ attributes: Record<string, { value: FieldValue }[]>; segments: string[] }> {
  const profile = await findProfile(env, account, keyOf(kind, account, id));
  if (!profile) throw notFound(`${kind === "profiles" ? "profile" : "visitor"} not found`);
  const attributes = Object.fromEntries(
    (names ?? Object.keys(profile.fields)).map((n) => [n, asValues(profile.fields[n])]),
  );
  const all = await accountStub(env, account.cid).listAudiences();
  const memberSlugs = new Set(profile.segments);
  const matches = (ref: string) => all.find((s) => s.slug_name === ref || s.id === ref || s.name === ref);
  const segments = segmentRefs
    ? segmentRefs.filter((ref) => {
        const s = matches(ref);
        return s && memberSlugs.has(s.slug_name);
      })
    : profile.segments;
  return { attributes, segments };
}

/** Saves attributes on a person (created when unknown); 400 naming each invalid attribute. */
export async function saveAttributes(
  env: Env,
  account: AccountConfig,
  kind: Kind,
  id: string,
  attributes: Record<string, unknown>,
): Promise<void> {
  const key = keyOf(kind, account, id);
  const parsed = validateEvents([{ ...attributes, [key.field]: key.value }]);
  if (!parsed.ok)
    throw badRequest(
      "the attributes are not valid",
      parsed.errors.map((e) => ({ ...e, path: e.path ? `attributes.${e.path}` : "attributes" })),
    );
  await ingestEvents(env, account, parsed.events, true);
}

/**
 * Assigns and removes audiences by hand (slug, id or name; 400 for an
 * unknown one) on a person, created when unknown; answers their segments.
 */
export async function assignSegments(
  env: Env,
  account: AccountConfig,
  kind: Kind,
  id: string,
  assignees: string[],
  removes: string[],
): Promise<string[]> {
  const all = await accountStub(env, account.cid).listAudiences();
  const resolve = (refs: string[], path: string) =>
    refs.map((ref) => {
      const s = all.find((x) => x.slug_name === ref || x.id === ref || x.name === ref);
      if (!s) throw badRequest("unknown segments", [{ path, message: `no segment ${ref}` }]);
      return s.slug_name;
    });
  const add = resolve(assignees, "assignees");
  const remove = resolve(removes, "removes");
  const key = keyOf(kind, account, id);
  // Find or create the person, then record the hand assignments on their profile.
  const { profiles } = await ingestEvents(env, account, [{ [key.field]: key.value }], true);
  const profile = profiles[0]!;
  const result = await profileStub(env, account.cid, profile.id).assign(add, remove, fieldOptions(account));
  return result && !("alias" in result) ? result.segments : [];
}

/** Checks a campaign event's required fields: `sku` for productView, `orderId` for purchase (400). */
export function checkCampaignEvent(b: CampaignEvent): void {
  if (b.event === "productView" && !b.sku)
    throw badRequest("productView needs sku", [{ path: "sku", message: "required" }]);
  if (b.event === "purchase" && !b.orderId)
    throw badRequest("purchase needs orderId", [{ path: "orderId", message: "required" }]);
}

/** Records a visitor's event on their profile and answers the campaigns (experiences) they are eligible for. */
export async function recordCampaignEvent(
  env: Env,
  account: AccountConfig,
  b: CampaignEvent,
): Promise<Awaited<ReturnType<typeof eligibleFor>>> {
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
  const ingested = await ingestEvents(env, account, parsed.events, false);
  const profile = ingested.profiles[ingested.profiles.length - 1];
  return eligibleFor(env, account, {
    key: (profile?.fields._uids as string[] | undefined)?.[0] ?? visitorId,
    segments: profile?.segments ?? [],
    reached: profile?.fields.experiences_reached,
  });
}
