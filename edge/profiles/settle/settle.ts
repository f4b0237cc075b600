import type { FieldValue } from "../../../types/wire";
import { accountStub } from "../../accounts/settings/config";
import type { Env } from "../../platform/env";
import type { AudienceChange, AudienceQueueMessage, FieldChange, FieldOptions, ProfileView } from "../contract";
import { buildView } from "../fields/profile-view";
import { nextScoreChange } from "../scores";
import type { ProfileStores } from "../storage/profile-stores";
import type { ProfileAlarm } from "./alarm";
import { ASSIGNED_FIELD, audienceSet, REMOVED_FIELD } from "./audience-eval";
import { handOffDirectly } from "./handoff";
import { enqueue, flushOutbox } from "./outbox-sender";

/** What settling a profile works with: its stores, the worker's bindings and its alarm. */
export interface ProfileRuntime {
  stores: ProfileStores;
  env: Env;
  alarm: ProfileAlarm;
}

/**
 * Re-evaluates the person's audiences against the current fields,
 * records enter/exit changes, queues them as segment events (through a
 * transactional outbox, so none is lost if the queue refuses; webhook
 * delivery objects also get them directly, see handoff.ts), and sets
 * the alarm for the next time-relative boundary. Returns the view.
 */
export async function settle(
  p: ProfileRuntime,
  options: FieldOptions,
  now = Date.now(),
  before: Record<string, string> | null = null,
): Promise<ProfileView> {
  const s = p.stores;
  const cid = s.meta.get("cid")!;
  s.meta.set("field_options", JSON.stringify({ fields: options.fields ?? {} }));
  const { version, set, scoreFields, affinityThresholds } = await audienceSet(
    cid,
    options.segmentsVersion ?? 0,
    () => accountStub(p.env, cid).audienceDefinitions(),
    (since) => accountStub(p.env, cid).audienceChangesSince(since),
  );
  const view = buildView(s, options);
  const manual = s.membership.manual();
  const evalProfile = { ...view.fields, [ASSIGNED_FIELD]: manual.assigned, [REMOVED_FIELD]: manual.removed };
  // One evaluation gives both the audiences and the next time boundary (each alone walks every audience).
  const { members, boundary } = set.evaluateWithBoundary(evalProfile, now);
  const changes = s.membership.apply(members, now);
  s.meta.set("segments_version", version);
  if (boundary === null) {
    s.meta.delete("next_boundary");
  } else s.meta.set("next_boundary", boundary);
  // Scores the audiences read decay at UTC midnights: wake then, not before.
  const scoreChange = nextScoreChange(s.activity.current(), now, scoreFields);
  if (scoreChange === null) s.meta.delete("next_score_change");
  else s.meta.set("next_score_change", scoreChange);
  // Affinities decay: wake when one crosses a threshold the audiences compare it with.
  const affinityChange = s.content.nextChange(now, affinityThresholds);
  if (affinityChange === null) s.meta.delete("next_affinity_change");
  else s.meta.set("next_affinity_change", affinityChange);
  const fieldChanges: FieldChange[] = [];
  for (const [field, prev] of Object.entries(before ?? {})) {
    const current = JSON.stringify(view.fields[field] ?? null);
    if (current !== prev)
      fieldChanges.push({
        field,
        previous: JSON.parse(prev) as FieldValue,
        current: JSON.parse(current) as FieldValue,
      });
  }
  if (changes.length || fieldChanges.length) {
    const message = membershipMessage(view, changes, now);
    if (message.type === "membership") {
      message.segments = s.membership.current();
      if (fieldChanges.length) message.field_changes = fieldChanges;
    }
    enqueue(s, message);
    // Webhooks get it now, by RPC; the queue (flushed below) is the durable path and feeds the audience index.
    if (message.type === "membership") void handOffDirectly(s, p.env, message);
  }
  await flushOutbox(s, p.env);
  await s.xp.flush(cid);
  await p.alarm.scheduleAlarm();
  view.segments = s.membership.current();
  return view;
}

function membershipMessage(view: ProfileView, changes: AudienceChange[], now: number): AudienceQueueMessage {
  return {
    type: "membership",
    cid: view.cid,
    profile: view.id,
    seq: 0,
    at: new Date(now).toISOString(),
    changes,
    fields: view.fields,
  };
}
