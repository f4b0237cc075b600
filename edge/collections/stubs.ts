/**
 * Stubs of the collections objects (class `CollectionStore`, binding
 * `COLLECTIONS`): the account's registry, one object per collection, and
 * one per profile for its event matches.
 */
import type { Env } from "../platform/env";
import { stubOf } from "../platform/stub";
import type { CollectionRpc, MatchesRpc, RegistryRpc } from "./contract";

/** The registry of account `cid`'s collections and events. */
export function registryStub(env: Env, cid: string): RegistryRpc {
  return stubOf<RegistryRpc>(env.COLLECTIONS, `${cid}/registry`);
}

/** The object of collection `id` of account `cid`. */
export function collectionStub(env: Env, cid: string, id: string): CollectionRpc {
  return stubOf<CollectionRpc>(env.COLLECTIONS, `${cid}/c/${id}`);
}

/** The object holding the event matches of profile `profileId`. */
export function matchesStub(env: Env, cid: string, profileId: string): MatchesRpc {
  return stubOf<MatchesRpc>(env.COLLECTIONS, `${cid}/m/${profileId}`);
}
