// Ingests one event into a profile object whose queue is swapped for a test
// double (and whose confirmation wait is set), through the object's own
// `ingest` RPC. The object's environments are private fields; they are
// swapped inside the object, where the tests can reach them.
import { runInDurableObject } from "cloudflare:test";
import type { Env } from "../../../edge/platform/env";
import type { ProfileObject } from "../../../edge/profiles/profile-object";
import type { CollectEvent } from "../../../types/wire";

/** The profile object's environments (private fields, swapped to put the test queue in). */
type Wired = { env: Env; runtime: { env: Env }; alarmClock: { env: Env } };

/**
 * Ingests `event` for the person `id` of account `cid` into `stub`, with
 * `queue` as its audience-change queue and `confirmMs` as the wait for the
 * consumer's confirmation before a resend (development only).
 */
export function ingestWithQueue(
  stub: DurableObjectStub,
  cid: string,
  id: string,
  queue: Queue,
  confirmMs: number,
  event: CollectEvent,
): Promise<void> {
  return runInDurableObject(stub, async (instance) => {
    const o = instance as unknown as Wired;
    const patched = { ...o.env, SEGMENT_EVENTS: queue, SEGMENT_EVENTS_CONFIRM_MS: String(confirmMs) };
    o.runtime.env = patched;
    o.alarmClock.env = patched;
    await (instance as unknown as ProfileObject).ingest(cid, id, [event], [{ field: "_uid", value: id }]);
  });
}
