/**
 * Stubs of the collections objects (class `CollectionStore`, binding
 * `COLLECTIONS`): the account's registry, one object per collection, and
 * one per profile for its event matches.
 */
import type { Env } from "../platform/env";
import type { CollectionStore } from "./collection-object";

/** The RPC surface of the registry object. */
export type RegistryRpc = Pick<
  CollectionStore,
  | "listCollections"
  | "findCollection"
  | "sourceCollections"
  | "createCollection"
  | "updateCollection"
  | "deleteCollection"
  | "listEvents"
  | "putEvent"
  | "deleteEvent"
>;

/** The RPC surface of a collection object. */
export type CollectionRpc = Pick<
  CollectionStore,
  | "configure"
  | "describe"
  | "existingKeys"
  | "commitRows"
  | "getRow"
  | "deleteRow"
  | "listRows"
  | "destroy"
  | "createUpload"
  | "claimUpload"
  | "uploadStored"
  | "uploadStatus"
>;

/** The RPC surface of a profile's matches object. */
export type MatchesRpc = Pick<CollectionStore, "recordMatches" | "matches">;

/** The registry of account `cid`'s collections and events. */
export function registryStub(env: Env, cid: string): RegistryRpc {
  return env.COLLECTIONS.get(env.COLLECTIONS.idFromName(`${cid}/registry`)) as unknown as RegistryRpc;
}

/** The object of collection `id` of account `cid`. */
export function collectionStub(env: Env, cid: string, id: string): CollectionRpc {
  return env.COLLECTIONS.get(env.COLLECTIONS.idFromName(`${cid}/c/${id}`)) as unknown as CollectionRpc;
}

/** The object holding the event matches of profile `profileId`. */
export function matchesStub(env: Env, cid: string, profileId: string): MatchesRpc {
  return env.COLLECTIONS.get(env.COLLECTIONS.idFromName(`${cid}/m/${profileId}`)) as unknown as MatchesRpc;
}
