/**
 * Reading an account's experiences for delivery: the store stub, the
 * experiences a visitor qualifies for (`/personalize`, SegmentHub), and the
 * report summed over its shards.
 */
import type { AccountConfig } from "../accounts/config";
import type { Env } from "../platform/env";
import { IsolateCache } from "../platform/isolate-cache";
import { stubOf } from "../platform/stub";
import { experienceStoreName, REPORT_SHARDS, reportShardName } from "../profiles/experiences/report-model";
import type {
  Assignment,
  EligibleExperience,
  Experience,
  ExperienceStoreRpc,
  PublishedSnapshot,
  ReportShardRpc,
} from "./contract";
import { eligibleExperiences } from "./eligibility";
import { buildReport, type ExperienceCounters, type ExperienceReport, mergeCounters } from "./report";

/** The experiences store of account `cid`. */
export function experienceStore(env: Env, cid: string): ExperienceStoreRpc {
  return stubOf<ExperienceStoreRpc>(env.EXPERIENCES, experienceStoreName(cid));
}

/**
 * Published experiences per account, per isolate, for the paths that may
 * lag a few seconds (`/personalize`, SegmentHub, the tag's flag): the
 * loader takes what to show from `config.js`, which is always read fresh.
 */
const PUBLISHED = new IsolateCache<PublishedSnapshot>(5_000, 1_000);

/** The account's published experiences, at most 5 s old. */
export async function publishedSoon(env: Env, cid: string): Promise<PublishedSnapshot> {
  let snapshot = PUBLISHED.get(cid);
  if (!snapshot) PUBLISHED.set(cid, (snapshot = await experienceStore(env, cid).published()));
  return snapshot;
}

/** Whether the account has published experiences (the flag baked into the served tag). */
export async function hasPublishedExperiences(env: Env, cid: string): Promise<boolean> {
  return (await publishedSoon(env, cid)).experiences.length > 0;
}

/**
 * Experience id → variation from the profile field `experiences_reached`
 * (entries `{id}:{variation}`), so a visitor keeps the variation they were
 * first shown.
 */
export function previousAssignments(reached: unknown): Record<string, Assignment> {
  const out: Record<string, Assignment> = {};
  if (!Array.isArray(reached)) return out;
  for (const entry of reached) {
    if (typeof entry !== "string") continue;
    const m = /^([0-9a-f]{32}):([a-z0-9_]{1,32})$/.exec(entry);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** What eligibility needs about the visitor. */
export interface VisitorFacts {
  /** Assignment key: the profile's first `_uid`, else the browser's. */
  key: string;
  segments: readonly string[];
  /** The profile's `experiences_reached`, if known. */
  reached?: unknown;
}

/** The published experiences `visitor` qualifies for now (none when the account has none). */
export async function eligibleFor(
  env: Env,
  account: AccountConfig,
  visitor: VisitorFacts,
): Promise<EligibleExperience[]> {
  const { experiences } = await publishedSoon(env, account.cid);
  if (!experiences.length) return [];
  return eligibleExperiences(
    experiences,
    { key: visitor.key, segments: visitor.segments, previous: previousAssignments(visitor.reached) },
    { allowStringCallbacks: account.allow_string_callbacks, now: new Date() },
  );
}

/** The report of `experience`: its 16 shards read and summed. */
export async function reportOf(
  env: Env,
  cid: string,
  experience: Experience,
  range: { from?: string; to?: string } = {},
): Promise<ExperienceReport> {
  const parts = await Promise.all(
    Array.from({ length: REPORT_SHARDS }, (_, i) =>
      stubOf<ReportShardRpc>(env.EXPERIENCES, reportShardName(cid, `${experience.id}/${i}`)).counters(),
    ),
  );
  return buildReport(experience, mergeCounters(parts as ExperienceCounters[]), range);
}
