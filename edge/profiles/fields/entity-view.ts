import type { Entity, FieldValue } from "../../../types/wire";
import type { ProfileView } from "../contract";
import type { AccountConfig } from "../../accounts/settings/config";

/** The audience every visitor belongs to. */
export const ALL_SEGMENT = "all";

/**
 * The entity a browser may see: ids, public audience slugs and the
 * account's surfaced fields only. `uid` is the visitor's cookie id.
 */
export function browserEntity(
  profile: Pick<ProfileView, "fields" | "segments"> | null,
  account: AccountConfig,
  uid: string | undefined,
): Entity {
  const visible = new Set(account.public_segments ?? []);
  const segments = (profile?.segments ?? []).filter((s) => visible.has(s) && s !== ALL_SEGMENT);
  const user: Entity["data"]["user"] = { segments: [ALL_SEGMENT, ...segments] };
  if (uid) user._uid = uid;
  if (profile) {
    user._uids = (profile.fields._uids as string[] | undefined) ?? [];
    for (const name of account.surfaced_fields) {
      const value = profile.fields[name];
      if (value !== undefined) user[name] = value;
    }
  }
  return { data: { user, experiences: [] } };
}

/**
 * A profile as the token-authenticated entity API shows it: every field,
 * or only `fields` when given.
 */
export function apiEntity(profile: ProfileView, fields?: string[]): Record<string, FieldValue> {
  if (!fields?.length) return { ...profile.fields };
  const out: Record<string, FieldValue> = {};
  for (const f of fields) if (profile.fields[f] !== undefined) out[f] = profile.fields[f]!;
  return out;
}
