import type { AccountConfig } from "../accounts/config";
import type { Env } from "../platform/env";
import { stubOf } from "../platform/stub";
import type { AliasAnswer, FieldOptions, ProfileRpc, ProfileView } from "./contract";

/** The object of profile `id` in account `cid`. */
export function profileStub(env: Env, cid: string, id: string): ProfileRpc {
  return stubOf<ProfileRpc>(env.PROFILE, `${cid}/${id}`);
}

/** The field settings profile objects apply when they compute fields. */
export function fieldOptions(account: AccountConfig): FieldOptions {
  return {
    fields: account.fields,
    segmentsVersion: account.segments_version ?? 0,
    triggerFields: account.trigger_fields ?? [],
  };
}

/** Whether a profile object answered with the id of the profile it was merged into. */
export const isAlias = (v: ProfileView | AliasAnswer | null): v is AliasAnswer => v !== null && "alias" in v;
