/**
 * Progress of a long operation (reevaluation, CSV import, backfill, bulk
 * import) read from its job-status endpoint: polled until the job ends,
 * shown as a `<progress>` bar with the state in words.
 */
import { useEffect, useState } from "preact/hooks";

/** The part of a job status the bar reads. */
export interface JobStatus {
  state: string;
  progress?: { done: number; total: number | null } | null;
  /** Why it failed, when it did. */
  error?: string | null;
}

/** States after which a job no longer changes. */
export const FINAL_STATES: readonly string[] = ["done", "completed", "complete", "failed", "error", "cancelled"];

/**
 * Polls `poll` every `intervalMs` until the job reaches a final state;
 * `onDone` gets the last status.
 */
export function JobProgress({
  label,
  poll,
  intervalMs = 1000,
  onDone,
  unit = "",
}: {
  label: string;
  /** What `done` and `total` count ("bytes"), shown after them. */
  unit?: string;
  poll: () => Promise<JobStatus>;
  intervalMs?: number;
  onDone?: (status: JobStatus) => void;
}) {
  const [status, setStatus] = useState<JobStatus | null>(null);
  const [error, setError] = useState<string>("");
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const s = await poll();
        if (!live) return;
        setStatus(s);
        setError("");
        if (FINAL_STATES.includes(s.state)) return onDone?.(s);
      } catch (e) {
        if (!live) return;
        setError(e instanceof Error ? e.message : String(e));
      }
      timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [poll, intervalMs]);
  const done = status?.progress?.done ?? 0;
  const total = status?.progress?.total ?? null;
  const words = !status
    ? "starting…"
    : total
      ? `${status.state}: ${done} of ${total}${unit && ` ${unit}`}`
      : `${status.state}${done ? `: ${done}${unit && ` ${unit}`} so far` : ""}`;
  return (
    <div class="job" role="status" aria-live="polite">
      <span>
        {label} — {words}
      </span>
      {status && !FINAL_STATES.includes(status.state) && (
        <progress aria-label={label} max={total ?? undefined} value={total ? done : undefined} />
      )}
      {status?.error && <span class="error-text">{status.error}</span>}
      {error && <span class="error-text">Could not read the job's status: {error}</span>}
    </div>
  );
}
