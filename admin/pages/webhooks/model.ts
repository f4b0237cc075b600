import { api, type Session } from "../../api";

/** A subscription as `/api/subscription` answers it. */
export interface Subscription {
  id: string;
  name: string;
  description: string;
  segment_ids: string[];
  state: "active" | "disabled";
  state_reason: string | null;
  config: {
    webhook_url: string;
    format: "lytics" | "cloudevents";
    batch: boolean;
    batch_size: number;
    trigger_fields?: string[];
    trigger_events?: ("enter" | "exit")[];
    headers: Record<string, string>;
    withbackfill: boolean;
  };
  created: string;
  updated: string;
  /** Only in the answer that creates or rotates it. */
  secret?: string;
}

/** Requests by state. */
export interface DeliveryCounts {
  pending: number;
  sending: number;
  delivered: number;
  dead: number;
  queued_messages: number;
}

/** One attempt of a request. */
export interface Attempt {
  attempt: number;
  at: string;
  status: number | null;
  latency_ms: number;
  error: string | null;
}

/** A request in the delivery log. */
export interface Delivery {
  id: string;
  state: "pending" | "sending" | "delivered" | "dead";
  attempts: number;
  created: string;
  updated: string;
  next_attempt: string | null;
  last_status: number | null;
  last_error: string | null;
  messages: { event_id: string; profile_id: string; segment_events: { slug: string; event: string }[] }[];
  log: Attempt[];
}

/** Progress of a backfill (the audience's current members sent as `enter`). */
export interface Backfill {
  state: "running" | "done";
  sent: number;
}

/** What `GET /api/subscription/{id}` adds: counts by state and the backfill, if one was asked for. */
export interface DeliveryStatus {
  counts: DeliveryCounts;
  backfill: Backfill | null;
}

type Envelope<T> = { data: T; message: string };

export const listSubscriptions = (s: Session) =>
  api<Envelope<Subscription[]>>(s, "GET", "/api/subscription").then((r) => r.data);
export const getSubscription = (s: Session, id: string) =>
  api<Envelope<Subscription & { delivery: DeliveryStatus }>>(
    s,
    "GET",
    `/api/subscription/${encodeURIComponent(id)}`,
  ).then((r) => r.data);
export const deliveryLog = (s: Session, id: string, state: string) =>
  api<Envelope<{ counts: DeliveryCounts; deliveries: Delivery[] }>>(
    s,
    "GET",
    `/api/subscription/${encodeURIComponent(id)}/deliveries?limit=200${state ? `&state=${state}` : ""}`,
  ).then((r) => r.data);
