import type { FieldValue } from "../../../types/wire";

/** One audience change as a webhook message lists it (Lytics `segment_events`). */
export interface SegmentEvent {
  /** Audience id. */
  id: string;
  event: "enter" | "exit";
  enter: string | null;
  exit: string | null;
  slug: string;
}

/**
 * One message queued for a subscription: a person's audience changes
 * (or, for a backfill, their current membership) with their fields.
 * Stored as is; the body is rendered in the subscription's format when
 * it is sent.
 */
export interface DeliveryItem {
  /** Unique per message (`evt_...`): receivers deduplicate by it. */
  event_id: string;
  /** The person's profile id. */
  profile_id: string;
  /** Per-person sequence number of the change (0 for backfill messages). */
  seq: number;
  /** ISO time of the change (of the read, for a backfill). */
  at: string;
  /** Sent by a backfill: the person was already a member. */
  backfill: boolean;
  fields: Record<string, FieldValue>;
  segment_events: SegmentEvent[];
  /** Trigger-field changes that caused (or came with) this message. */
  field_changes?: { field: string; previous: FieldValue; current: FieldValue }[];
}

/** How a subscription renders its requests. */
export interface RenderOptions {
  subscriptionId: string;
  format: "lytics" | "cloudevents";
  cloudeventsType: string;
  cloudeventsSource: string;
  /** Arrays (even of one message) instead of a single message per request. */
  batch: boolean;
}

/**
 * The `exit` an `enter` event shows: a far-future time meaning "still a
 * member", as Lytics' messages carry it (reference 000: `"exit": "2099-…"`).
 */
export const STILL_MEMBER_EXIT = "2099-12-31T23:59:59Z";

/** Segment events as sent: an `enter` carries {@link STILL_MEMBER_EXIT} as its `exit`. */
export function sentSegmentEvents(events: SegmentEvent[]): SegmentEvent[] {
  return events.map((e) => (e.event === "enter" ? { ...e, exit: STILL_MEMBER_EXIT } : e));
}

/** The Lytics message shape: `{data: {...fields, segment_events}, meta}`. */
export function lyticsMessage(item: DeliveryItem, subscriptionId: string) {
  return {
    data: {
      ...item.fields,
      segment_events: sentSegmentEvents(item.segment_events),
      ...(item.field_changes ? { field_changes: item.field_changes } : {}),
    },
    meta: {
      object: "user",
      source: "subscription",
      subscription_id: subscriptionId,
      event_id: item.event_id,
      profile_id: item.profile_id,
      seq: item.seq,
      ...(item.backfill ? { backfill: true } : {}),
    },
  };
}

/**
 * A CloudEvents 1.0 structured-mode event: the Lytics `data` object as
 * `data`, the person as `subject`, and the extension attributes `seq` and
 * `subscriptionid`.
 */
export function cloudEvent(
  item: DeliveryItem,
  options: Pick<RenderOptions, "subscriptionId" | "cloudeventsType" | "cloudeventsSource">,
) {
  return {
    specversion: "1.0",
    id: item.event_id,
    source: options.cloudeventsSource,
    type: options.cloudeventsType,
    subject: item.profile_id,
    time: item.at,
    datacontenttype: "application/json",
    seq: item.seq,
    subscriptionid: options.subscriptionId,
    data: {
      ...item.fields,
      segment_events: sentSegmentEvents(item.segment_events),
      ...(item.field_changes ? { field_changes: item.field_changes } : {}),
    },
  };
}

/** The body and content type of one request carrying `items` (one unless batching). */
export function renderBody(items: DeliveryItem[], options: RenderOptions): { body: string; contentType: string } {
  const ce = options.format === "cloudevents";
  const one = (item: DeliveryItem) => (ce ? cloudEvent(item, options) : lyticsMessage(item, options.subscriptionId));
  if (options.batch) {
    return {
      body: JSON.stringify(items.map(one)),
      contentType: ce ? "application/cloudevents-batch+json" : "application/json",
    };
  }
  return {
    body: JSON.stringify(one(items[0]!)),
    contentType: ce ? "application/cloudevents+json" : "application/json",
  };
}
