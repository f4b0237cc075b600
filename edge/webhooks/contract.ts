/**
 * What the webhooks domain shows others: the RPC surface of a delivery
 * object (one per subscription) and the values it takes and answers.
 */
import type { SubscriptionRecord } from "../accounts/records/subscription-catalog";
import type { DeliveryItem, SegmentEvent } from "./delivery/message";
import type { DeliveryCounts, DeliveryView, RequestState } from "./delivery/storage/rows";

/** A person's audience change as the queue sink hands it over. */
export interface IncomingChange {
  profile: string;
  seq: number;
  at: string;
  fields: DeliveryItem["fields"];
  segment_events: SegmentEvent[];
  /** Trigger-field changes (when the subscription has trigger fields). */
  field_changes?: DeliveryItem["field_changes"];
}

/** Progress of a backfill (current members sent as `enter`). */
export interface BackfillState {
  slug: string;
  segment_id: string;
  /** When it was requested: live changes received since then win over it. */
  requested: number;
  /** It starts once every isolate routes live changes here (SUBSCRIPTION_CACHE_MS). */
  not_before: number;
  shard: number;
  after: string;
  sent: number;
  done: boolean;
}

/** What `status` answers. */
export interface DeliveryStatus {
  counts: DeliveryCounts;
  backfill: { state: "running" | "done"; sent: number } | null;
}

/** RPC surface of a delivery object (webhooks/delivery-object.ts implements it). */
export interface DeliveryRpc {
  /**
   * Stores the subscription's configuration (on create and every update);
   * `backfill` starts sending the current members of its one audience.
   */
  configure(record: SubscriptionRecord, backfill: { slug: string; segment_id: string } | null): Promise<void>;
  /** Takes audience changes from the queue sink; drops redeliveries. Returns how many were queued. */
  accept(changes: IncomingChange[]): Promise<number>;
  /** Removes every message about erased people. Returns how many were removed. */
  forget(profiles: string[]): Promise<number>;
  /** Requests newest first, with attempts (the delivery log). */
  deliveries(
    state: RequestState | null,
    limit: number,
  ): Promise<{ counts: DeliveryCounts; deliveries: DeliveryView[] }>;
  /** Counts by state and backfill progress. */
  status(): Promise<DeliveryStatus>;
  /** Sends the dead letters again (or every request created within `range`, ms). Returns how many. */
  replay(range: { from: number; to: number } | null): Promise<number>;
  /** Deletes everything (the subscription was deleted). */
  destroy(): Promise<void>;
}
