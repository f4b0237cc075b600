import type { ProfileSnapshot } from "../contract";
import type { ProfileStores } from "../storage/profile-stores";

/** Everything a profile holds, as a retired profile hands it to its survivor (and a data export shows it). */
export function takeSnapshot(s: ProfileStores): ProfileSnapshot {
  return {
    id: s.meta.get("id") ?? "",
    created: s.meta.num("created") || Date.now(),
    modified: s.meta.num("modified"),
    sessions: s.meta.num("sessions"),
    events: s.meta.num("events"),
    firstVisit: s.meta.num("first_visit"),
    lastVisit: s.meta.num("last_visit"),
    identifiers: s.identifiers.rows(),
    observations: s.observations.rows(),
    seen: s.seen.rows(),
    merged: s.absorbed.rows(),
    manual: s.membership.manual(),
    activity: s.meta.get("activity"),
    ...(s.content.has() ? { content: s.content.state() } : {}),
    ...(s.xp.isEmpty() ? {} : { experiences: s.xp.current() }),
    recent: s.recent.list(),
  };
}
