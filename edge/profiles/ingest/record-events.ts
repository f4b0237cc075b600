import type { CollectEvent } from "../../../types/wire";
import type { IdentityKey } from "../../identity/contract";
import { eventTime, profileFieldsOf, startsSession } from "../fields/event-fields";
import { recordEvent } from "../scores";
import type { ProfileStores } from "../storage/profile-stores";

/** What recording a batch of events produced. */
export interface RecordedEvents {
  /** The events accepted (not seen before), in order. */
  fresh: CollectEvent[];
  /** URLs of documents this profile visited for the first time. */
  firstVisits: string[];
}

/**
 * Records events in the profile object's storage (skipping ids already
 * seen) and links identifiers: field observations, counters, activity,
 * recent events and content views. Creates the profile on its first event.
 */
export function recordEvents(
  s: ProfileStores,
  cid: string,
  id: string,
  events: CollectEvent[],
  identifiers: IdentityKey[],
  now: number,
): RecordedEvents {
  if (!s.meta.get("id")) {
    s.meta.set("id", id);
    s.meta.set("cid", cid);
    s.meta.set("created", now);
  }
  s.identifiers.link(identifiers);
  let sessions = s.meta.num("sessions");
  let accepted = 0;
  let activity = s.activity.current();
  const firstVisits: string[] = [];
  const fresh: CollectEvent[] = [];
  let seq = s.meta.num("obs_seq");
  for (const event of events) {
    // One statement both checks and records the event id: a duplicate writes no row.
    if (event._eid && !s.seen.record(event._eid, now)) continue;
    accepted++;
    fresh.push(event);
    if (startsSession(event) || (sessions === 0 && accepted === 1)) sessions++;
    // Each event gets the next arrival sequence: it orders events with the same time.
    seq++;
    const at = eventTime(event, now);
    activity = recordEvent(activity, { ts: at, sessionStart: startsSession(event) });
    for (const [name, value] of profileFieldsOf(event)) s.observations.observe(name, value, at, seq);
    s.recent.record(event, at);
    const first = s.content.record(event, now);
    if (first) firstVisits.push(first);
  }
  // One write for the counters an event moves.
  const counters: [string, string | number][] = [["modified", now]];
  if (accepted > 0) {
    counters.push(
      ["obs_seq", seq],
      ["sessions", sessions],
      ["first_visit", s.meta.get("first_visit") ?? now],
      ["last_visit", now],
      ["events", s.meta.num("events") + accepted],
      ["activity", JSON.stringify(activity)],
    );
  }
  s.meta.setMany(counters);
  if (Math.random() < 0.05) s.seen.prune(now);
  return { fresh, firstVisits };
}
