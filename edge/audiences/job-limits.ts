/**
 * How hard an audience job (reevaluation) may push on the account's
 * profiles. A woken profile stays in memory, its storage open, for a while
 * after its last call (local workerd: ~10 s and 3 open files each), so the
 * rate bounds how many profiles a job keeps awake at once: about
 * JOB_RATE × that idle time.
 */

/** Profiles re-evaluated per job step (one alarm). */
export const JOB_PAGE = 100;
/** Profiles a job wakes at once: a step re-evaluates its page this many at a time, and steps never overlap. */
export const JOB_PARALLEL = 20;
/** Profiles a job wakes per second, at most: the next step starts no sooner than this rate allows after the previous one started. */
export const JOB_RATE = 400;
