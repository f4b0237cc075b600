import type { FieldValue } from "../../types/wire";
import type { SegmentChange } from "./membership-store";

/**
 * A person's audience changes, as a profile object puts them on the
 * segment-events queue. `seq` increases per profile, in the order the
 * changes happened: consumers order and deduplicate by it.
 */
export interface MembershipMessage {
  type: "membership";
  cid: string;
  profile: string;
  seq: number;
  /** ISO time of the change. */
  at: string;
  changes: SegmentChange[];
  /** The person's fields at the time of the change. */
  fields: Record<string, FieldValue>;
  /** Audiences the person is in after the change. */
  segments?: string[];
  /** Changes of trigger fields (see subscriptions) this event made. */
  field_changes?: FieldChange[];
}

/** A trigger field's value before and after an event. */
export interface FieldChange {
  field: string;
  previous: FieldValue;
  current: FieldValue;
}

/** Profiles that no longer exist on their own (merged away or erased): drop them from audience indexes. */
export interface ForgetMessage {
  type: "forget";
  cid: string;
  profiles: string[];
  reason: "merged" | "erased";
}

/** Everything on the segment-events queue. */
export type SegmentQueueMessage = MembershipMessage | ForgetMessage;
