// A reevaluation job wakes every profile of the account. A woken profile stays
// in memory with its storage open for a while after its last call, so a job
// that wakes profiles as fast as it can keeps an unbounded number of them
// awake (on local workerd: 3 open files each, up to the process's limit).
// The job's documented bounds: JOB_PARALLEL profiles at once, JOB_RATE a second.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AudienceJob } from "../../../edge/accounts/records/audience-records";
import { accountStub } from "../../../edge/accounts/settings/config";
import { JOB_PARALLEL, JOB_RATE } from "../../../edge/audiences/job-limits";
import { runJobStep } from "../../../edge/audiences/jobs";
import type { Env } from "../../../edge/platform/env";
import { admin, newAccount, ok } from "../helpers";

const PEOPLE = 150;

/** The worker's bindings, with the profile namespace counting the re-evaluations under way. */
function counting(base: Env) {
  const seen = { calls: 0, inFlight: 0, peak: 0 };
  const PROFILE = {
    idFromName: (name: string) => base.PROFILE.idFromName(name),
    get: (id: DurableObjectId) => {
      const stub = base.PROFILE.get(id) as unknown as { reevaluate: (...a: unknown[]) => Promise<unknown> };
      return {
        reevaluate: async (...args: unknown[]) => {
          seen.calls++;
          seen.peak = Math.max(seen.peak, ++seen.inFlight);
          try {
            return await stub.reevaluate(...args);
          } finally {
            seen.inFlight--;
          }
        },
      };
    },
  } as unknown as DurableObjectNamespace;
  return { env: { ...base, PROFILE } as Env, seen };
}

describe("reevaluation job: bounded wakes", () => {
  it("wakes at most JOB_PARALLEL profiles at once and schedules each step no sooner than JOB_RATE allows", {
    timeout: 30_000,
  }, async () => {
    const cid = await newAccount();
    const seg = (
      await ok(await admin(`/v2/segment?cid=${cid}`, "POST", { slug_name: "big", segment_ql: "FILTER n > 10" }), 201)
    ).data;
    const people = Array.from({ length: PEOPLE }, (_, i) => ({ _uid: `pace-${i}`, n: i }));
    await ok(await admin(`/collect/json/default?cid=${cid}`, "POST", people));
    const account = await accountStub(env as unknown as Env, cid).get();
    const now = new Date().toISOString();
    let job: AudienceJob = {
      id: "pace",
      segment_id: seg.id,
      type: "reevaluate",
      state: "queued",
      progress: { done: 0, total: null, shard: 0, changed: 0 },
      created: now,
      updated: now,
    };
    let cursor = "";
    let total = 0;
    for (let steps = 0; job.state !== "completed" && steps < 100; steps++) {
      const { env: watched, seen } = counting(env as unknown as Env);
      const before = Date.now();
      const step = await runJobStep(watched, account!, job, cursor);
      ({ job, cursor } = step);
      total += seen.calls;
      expect(seen.peak).toBeLessThanOrEqual(JOB_PARALLEL);
      // The next step may not start before this step's wakes fit the rate.
      expect(step.nextStepAt).toBeGreaterThanOrEqual(before + (seen.calls * 1000) / JOB_RATE);
    }
    expect(job.state).toBe("completed");
    expect(total).toBe(PEOPLE);
    expect(job.progress.done).toBe(PEOPLE);
  });
});
