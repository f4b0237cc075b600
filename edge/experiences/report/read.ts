/** Reading an experience's report: its report shards read and summed. */
import type { Env } from "../../platform/env";
import { stubOf } from "../../platform/stub";
import { REPORT_SHARDS, reportShardName } from "../../profiles/experiences/report-model";
import type { Experience, ReportShardRpc } from "../contract";
import { buildReport, type ExperienceReport } from "./build";
import { type ExperienceCounters, mergeCounters } from "./counters";

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
