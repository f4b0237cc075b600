/**
 * A person's erasure as a privacy request: the request is recorded on the
 * account (completed with the number of profiles erased, or failed so it
 * can be sent again), and `GET /api/entity/deletion/:id` reports it.
 */
import { hexId } from "../../accounts/audience-records";
import { accountStub, type AccountConfig } from "../../accounts/config";
import type { PrivacyRequest } from "../../accounts/privacy-requests";
import type { IdentityKey } from "../../identity/contract";
import type { Env } from "../../platform/env";
import { erasePerson } from "./person-data";

/** A completed erasure: the request's id and the profiles erased. */
export interface Erasure {
  request_id: string;
  erased_profiles: string[];
}

/** Erases the person `key` names and records the request; null when no profile has that identifier. */
export async function eraseWithRequest(env: Env, account: AccountConfig, key: IdentityKey): Promise<Erasure | null> {
  const rpc = accountStub(env, account.cid);
  const now = new Date().toISOString();
  const request: PrivacyRequest = {
    request_id: hexId(),
    type: "delete",
    field: key.field,
    state: "running",
    erased_profiles: 0,
    created: now,
    updated: now,
  };
  let erased: string[] | null;
  try {
    erased = await erasePerson(env, account, key);
  } catch (err) {
    const failed = { ...request, state: "failed" as const, error: "erasure failed; send the request again" };
    await rpc.putPrivacyRequest({ ...failed, updated: new Date().toISOString() });
    throw err;
  }
  if (!erased) return null;
  const done = { ...request, state: "completed" as const, erased_profiles: erased.length };
  await rpc.putPrivacyRequest({ ...done, updated: new Date().toISOString() });
  return { request_id: request.request_id, erased_profiles: erased };
}
