/**
 * Experience lifecycle, as Lytics campaign management works:
 *
 * ```
 * draft ──publish──▶ published ◀──resume/pause──▶ paused
 *                        │                          │
 *                        └────────archive───────────┴──▶ archived (read-only)
 * ```
 *
 * - A draft can be edited, published or deleted; it never reaches the page.
 * - A published experience runs; it can be edited (the change is live on
 *   the next page load), paused or archived, but not deleted: pause it
 *   first (409), so a running campaign is never removed by accident.
 * - A paused one is hidden from the page; it can be edited, resumed,
 *   archived or deleted.
 * - Published and paused experiences are archived by themselves when their
 *   end date passes (the storage object sets an alarm at
 *   {@link nextArchiveAt}). Archived experiences are read-only so their
 *   reports stay historically accurate: edits and status changes answer 409;
 *   they can still be deleted.
 * - Nothing goes back to draft.
 */
import type { Experience, ExperienceProblem, ExperienceStatus, Outcome } from "../contract";

/** Status changes allowed, by current status. */
const NEXT: Record<ExperienceStatus, readonly ExperienceStatus[]> = {
  draft: ["published"],
  published: ["paused", "archived"],
  paused: ["published", "archived"],
  archived: [],
};

const conflict = (message: string, path?: string): ExperienceProblem => ({
  kind: "conflict",
  message,
  errors: [{ path, message }],
});

/** Is an experience with this status delivered to the page? */
export function isLive(status: ExperienceStatus): boolean {
  return status === "published";
}

/**
 * Is `experience` delivered in `config.js` at `now`: published and not past
 * its end date (a future start date is delivered; the browser waits for it).
 */
export function isDelivered(experience: Pick<Experience, "status" | "dates">, now: Date): boolean {
  const end = experience.dates.end_date;
  return isLive(experience.status) && (end === null || Date.parse(end) > now.getTime());
}

/** Is `experience` running at `now`: delivered and started? */
export function isRunning(experience: Pick<Experience, "status" | "dates">, now: Date): boolean {
  const start = experience.dates.start_date;
  return isDelivered(experience, now) && (start === null || Date.parse(start) <= now.getTime());
}

/**
 * Whether `from` may become `to` for `experience` at `now`: same status is a
 * no-op; publishing (or resuming) an experience whose end date has passed is
 * refused, as is any change of an archived one.
 */
export function checkTransition(
  experience: Pick<Experience, "status" | "dates">,
  to: ExperienceStatus,
  now: Date,
): Outcome<ExperienceStatus> {
  const from = experience.status;
  if (from === "archived") return { ok: false, problem: conflict("an archived experience is read-only", "status") };
  if (from === to) return { ok: true, value: to };
  if (!NEXT[from].includes(to)) {
    const hint = to === "draft" ? "; nothing goes back to draft" : "";
    return { ok: false, problem: conflict(`a ${from} experience cannot become ${to}${hint}`, "status") };
  }
  if (to === "published" && isPast(experience.dates.end_date, now))
    return {
      ok: false,
      problem: conflict("the end date has passed: move it later to publish", "dates.end_date"),
    };
  return { ok: true, value: to };
}

/** An edit (other than a status change) is refused on archived experiences. */
export function checkEditable(experience: Pick<Experience, "status">): ExperienceProblem | undefined {
  return experience.status === "archived"
    ? conflict("an archived experience is read-only (its report stays as it was)")
    : undefined;
}

/** Deleting a published experience is refused until it is paused. */
export function checkDeletable(experience: Pick<Experience, "status">): ExperienceProblem | undefined {
  return experience.status === "published" ? conflict("pause the experience before deleting it", "status") : undefined;
}

function isPast(iso: string | null, now: Date): boolean {
  return iso !== null && Date.parse(iso) <= now.getTime();
}

/** Is `experience` due to be archived at `now` (published or paused, end date passed)? */
export function isArchiveDue(experience: Pick<Experience, "status" | "dates">, now: Date): boolean {
  return (
    (experience.status === "published" || experience.status === "paused") && isPast(experience.dates.end_date, now)
  );
}

/**
 * `experience` archived at `now` if it is due (its `updated` time becomes
 * `now`), else the same object. What the storage object's alarm applies.
 */
export function archiveIfDue<T extends Experience>(experience: T, now: Date): T {
  return isArchiveDue(experience, now) ? { ...experience, status: "archived", updated: now.toISOString() } : experience;
}

/**
 * When the storage object's alarm must next fire: the earliest end date of
 * the published or paused experiences (epoch ms), or null when none ends.
 * A date already past gives that past time (fire now).
 */
export function nextArchiveAt(experiences: Iterable<Pick<Experience, "status" | "dates">>): number | null {
  let next: number | null = null;
  for (const e of experiences) {
    if (e.status !== "published" && e.status !== "paused") continue;
    if (e.dates.end_date === null) continue;
    const at = Date.parse(e.dates.end_date);
    if (next === null || at < next) next = at;
  }
  return next;
}
