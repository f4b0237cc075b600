/**
 * One timer for every delayed job (showDelay, hideAfter, form-state
 * delays, removal after the close transition): jobs are keyed by widget id
 * so closing or clearing a widget cancels its jobs.
 */

interface Job {
  at: number;
  key: string;
  run: () => void;
}

let jobs: Job[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;

function arm(): void {
  clearTimeout(timer);
  if (jobs.length) timer = setTimeout(tick, Math.min(...jobs.map((j) => j.at)) - Date.now());
}

function tick(): void {
  const now = Date.now();
  const due = jobs.filter((j) => j.at <= now);
  jobs = jobs.filter((j) => j.at > now);
  due.forEach((j) => j.run());
  arm();
}

/** Runs `run` after `seconds`, under `key`. */
export function later(key: string, seconds: number, run: () => void): void {
  jobs.push({ at: Date.now() + seconds * 1e3, key, run });
  arm();
}

/** Cancels the jobs of `key`, or every job without a key. */
export function cancel(key?: string): void {
  jobs = key == null ? [] : jobs.filter((j) => j.key != key);
  arm();
}
