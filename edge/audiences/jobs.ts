import type { Env } from "../platform/env";
import type { AccountRecord } from "../accounts/settings/settings";
import { IDENTITY_SHARDS, shard } from "../identity/directory";
import { fieldOptions, profileStub } from "../profiles/profile-stub";
import type { AudienceJob } from "../accounts/records/audience-records";
import type { JobStep } from "../accounts/contract";
import { JOB_PAGE, JOB_PARALLEL, JOB_RATE } from "./job-limits";

/**
 * Runs one step of a reevaluation job: up to JOB_PAGE profile ids from the
 * identity directory (shard by shard, moving on through short shards within
 * the step), each profile re-evaluated against the current audiences.
 * Returns the updated job and when the next step may start (JOB_RATE); the
 * account object keeps the job and schedules the next step until it completes.
 */
export async function runJobStep(env: Env, account: AccountRecord, job: AudienceJob, cursor: string): Promise<JobStep> {
  const started = Date.now();
  const now = new Date(started).toISOString();
  if (job.progress.shard >= IDENTITY_SHARDS)
    return { job: { ...job, state: "completed", updated: now }, cursor, nextStepAt: started };
  const options = fieldOptions(account);
  const progress = { ...job.progress };
  let next = cursor;
  let budget = JOB_PAGE;
  let woken = 0;
  while (budget > 0 && progress.shard < IDENTITY_SHARDS) {
    const limit = budget;
    const ids = await shard(env, account.cid, progress.shard).profiles(next, limit);
    let changed = 0;
    for (let i = 0; i < ids.length; i += JOB_PARALLEL) {
      const results = await Promise.all(
        ids.slice(i, i + JOB_PARALLEL).map((id) => profileStub(env, account.cid, id).reevaluate(options)),
      );
      changed += results.filter((r) => r !== null && !("alias" in r)).length;
    }
    progress.done += changed;
    woken += ids.length;
    budget -= ids.length;
    if (ids.length < limit) {
      // This shard is done: go on with the next one.
      progress.shard += 1;
      next = "";
    } else {
      next = ids[ids.length - 1]!;
    }
  }
  const done = progress.shard >= IDENTITY_SHARDS;
  if (done) progress.total = progress.done;
  return {
    job: { ...job, state: done ? "completed" : "running", progress, updated: now },
    cursor: next,
    nextStepAt: started + Math.ceil((woken * 1000) / JOB_RATE),
  };
}
