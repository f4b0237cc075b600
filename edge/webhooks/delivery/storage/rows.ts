/**
 * Row shapes of a delivery object's SQLite, as the object and the
 * delivery log (`GET /api/subscription/:id/deliveries`) see them.
 */

/** States of a request (one HTTP delivery of one message, or of a batch). */
export type RequestState = "pending" | "sending" | "delivered" | "dead";

/** A request as the delivery object works with it. */
export interface RequestRow {
  id: string;
  state: RequestState;
  attempts: number;
  next_at: number | null;
  created: number;
}

/** One logged attempt. */
export interface AttemptView {
  attempt: number;
  at: string;
  /** HTTP status, or null (network error, timeout). */
  status: number | null;
  latency_ms: number;
  error: string | null;
}

/** A request as `GET /api/subscription/:id/deliveries` shows it. */
export interface DeliveryView {
  /** The `webhook-id` of the request (the same on every attempt). */
  id: string;
  state: RequestState;
  attempts: number;
  created: string;
  updated: string;
  next_attempt: string | null;
  last_status: number | null;
  last_error: string | null;
  /** What the request carries (no profile fields). */
  messages: {
    event_id: string;
    profile_id: string;
    seq: number;
    backfill: boolean;
    segment_events: { slug: string; event: string }[];
  }[];
  /** Attempts, oldest first (the last 20). */
  log: AttemptView[];
}

/** Counts of requests by state, and messages not yet in a request. */
export interface DeliveryCounts {
  pending: number;
  sending: number;
  delivered: number;
  dead: number;
  /** Messages waiting to be put in a request (batch window). */
  queued_messages: number;
}

/** A new request id (`webhook-id`). */
export function requestId(): string {
  return "msg_" + crypto.randomUUID().replaceAll("-", "");
}

/** A new message id (`event_id`). */
export function eventId(): string {
  return "evt_" + crypto.randomUUID().replaceAll("-", "");
}
