/**
 * Intempt's `GET /v1/:org/segmentations/latest`: a person's latest audience
 * evaluation, looked up by profile id or master id (merged profiles are
 * followed to the surviving one).
 */
import type { AccountConfig } from "../accounts/config";
import type { Env } from "../platform/env";
import { notFound } from "../platform/http/errors";
import { followAliases } from "../profiles/merge/aliases";
import { fieldOptions, profileStub } from "../profiles/profile-stub";

/** One segmentation as Intempt lists it, plus the audience slugs it holds. */
export interface Segmentation {
  /** Identifies this evaluation: the master id and the time of the profile's latest change. */
  id: string;
  masterId: string;
  profileIds: string[];
  /** ISO time of the evaluation (the profile's latest change). */
  created: string;
  /** Audience slugs the person is in. */
  segments: string[];
}

/** The latest segmentation of the person holding profile `profileId`; 404 when unknown. */
export async function latestSegmentation(env: Env, account: AccountConfig, profileId: string): Promise<Segmentation> {
  const found = await followAliases(
    profileId,
    (id) => profileStub(env, account.cid, id).info(),
    (info) => info.alias,
  );
  if (!found.answer.alias && found.answer.created === null) throw notFound(`no profile "${profileId}"`);
  const view = await profileStub(env, account.cid, found.id).read(fieldOptions(account));
  if (!view || "alias" in view) throw notFound(`no profile "${profileId}"`);
  return {
    id: `${view.id}-${view.modified}`,
    masterId: view.id,
    profileIds: [view.id, ...view.merged.filter((m) => m !== view.id)],
    created: new Date(view.modified).toISOString(),
    segments: view.segments,
  };
}
