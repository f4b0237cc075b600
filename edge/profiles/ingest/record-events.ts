import type { CollectEvent } from "../../../types/wire";
import type { IdentityKey } from "../../identity/contract";
import { eventTime, profileFieldsOf, startsSession } from "../fields/event-fields";
import { recordEvent } from "../scores";
import type { Sighting } from "../storage/observation-store";
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
  if (!s.meta.get("id"))
    s.meta.setMany([
      ["id", id],
      ["cid", cid],
      ["created", now],
    ]);
  s.identifiers.link(identifiers);
  let sessions = s.meta.num("sessions");
  let accepted = 0;
  let activity = s.activity.current();
  const firstVisits: string[] = [];
  const fresh: CollectEvent[] = [];
  let seq = s.meta.num("obs_seq");
  // Field sightings and recent events are written once for the batch, after the loop.
  const sightings: Sighting[] = [];
  const recent: { event: CollectEvent; at: number }[] = [];
  // One statement both checks and records the batch's event ids: a duplicate writes no row.
  const unseen = s.seen.recordAll(
    events.flatMap((e) => (e._eid ? [e._eid] : [])),
    now,
  );
  for (const event of events) {
    // An id seen before, or earlier in this batch, is a duplicate.
    if (event._eid && !unseen.delete(event._eid)) continue;
    accepted++;
    fresh.push(event);
    if (startsSession(event) || (sessions === 0 && accepted === 1)) sessions++;
    // Each event gets the next arrival sequence: it orders events with the same time.
    seq++;
    const at = eventTime(event, now);
    activity = recordEvent(activity, { ts: at, sessionStart: startsSession(event) });
    for (const [name, value] of profileFieldsOf(event)) sightings.push({ name, value, at, seq });
    recent.push({ event, at });
    const first = s.content.record(event, now);
    if (first) firstVisits.push(first);
  }
  s.observations.observeAll(sightings);
  s.recent.record(recent);
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
