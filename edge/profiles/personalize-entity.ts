/**
 * The visitor's entity as `/personalize` answers it, shared by that route
 * and by collect's `?_entity=1` (a page view and the entity in one round
 * trip): public audience slugs, the account's surfaced fields and the
 * experiences the visitor qualifies for. The caller checks that the
 * account allows public personalization and, for a lookup by another
 * field, that the field is enabled.
 */
import type { Entity } from "../../types/wire";
import type { AccountConfig } from "../accounts/settings/config";
import { normalizeIdentifier } from "../identity/identifiers";
import type { Env } from "../platform/env";
import { browserEntity } from "./fields/entity-view";
import { findEntity } from "./resolve/find-profile";

/**
 * The experiences a visitor qualifies for, listed in the entity's
 * `experiences`: given by the experiences domain (above profiles in the
 * domain order).
 */
export type PersonalizeExperiences = (
  env: Env,
  account: AccountConfig,
  visitor: { key: string; segments: readonly string[] },
) => Promise<unknown[]>;

/** The entity of the visitor whose `field` (`_uid`, the cookie id, or an enabled field) is `raw`. */
export async function personalizeEntity(
  env: Env,
  account: AccountConfig,
  field: string,
  raw: string,
  experiencesFor?: PersonalizeExperiences,
): Promise<Entity> {
  const value = normalizeIdentifier(field, raw, account);
  // By another field: through verified links only (anyone can type an email), without anyone's cookie ids.
  const byField = field !== "_uid";
  const profile =
    value === null ? null : await findEntity(env, account, { field, value }, byField, account.surfaced_fields);
  const entity = browserEntity(profile, account, byField ? undefined : raw);
  if (byField) delete entity.data.user._uids;
  const { user } = entity.data;
  const key = user._uids?.[0] ?? user._uid;
  if (experiencesFor && key)
    entity.data.experiences = await experiencesFor(env, account, { key, segments: user.segments ?? [] });
  return entity;
}
