import type { AudienceRecord } from "./audience-records";

/** Body formats a webhook subscription can send. */
export type SubscriptionFormat = "lytics" | "cloudevents";

/** Default CloudEvents `type` (as Lytics' audience trigger webhooks). */
export const DEFAULT_CLOUDEVENTS_TYPE = "com.lytics.audience.user.event";
/** Default batch size when batching is on. */
export const DEFAULT_BATCH_SIZE = 10;
/** Largest batch size. */
export const MAX_BATCH_SIZE = 500;
/** Most trigger fields per subscription (Lytics' "Fields to Trigger" allows 75). */
export const MAX_TRIGGER_FIELDS = 75;
/** Audience events a subscription can send. */
export type TriggerEvent = "enter" | "exit";
/** HTTP methods a webhook can be sent with (POST by default, as Lytics). */
export const WEBHOOK_METHODS = ["POST", "PUT", "PATCH"] as const;
/** Most subscriptions per account. */
export const MAX_SUBSCRIPTIONS = 100;

/** How a subscription delivers (the `config` of the Subscription API). */
export interface SubscriptionConfig {
  channel: "webhook";
  name: string;
  description: string;
  /** Audience ids. */
  segment_ids: string[];
  /** The inline SegmentQL the subscription was created with, if any. */
  segmentql?: string;
  webhook_url: string;
  /** Extra request headers (e.g. the receiver's own authorization). */
  headers: Record<string, string>;
  /** Current members were (or are being) sent as `enter` first. */
  withbackfill: boolean;
  /** `lytics` (default) or `cloudevents` (structured mode). */
  format: SubscriptionFormat;
  /** CloudEvents `type`. */
  cloudevents_type: string;
  /** CloudEvents `source`. */
  cloudevents_source: string;
  /** Send arrays of up to `batch_size` messages (at least every second) instead of one message per request. */
  batch: boolean;
  batch_size: number;
  /**
   * Trigger fields: a member of a subscribed audience whose value of one of
   * these fields changes is sent too (with `field_changes`), not only on
   * enter and exit.
   */
  trigger_fields?: string[];
  /** Which audience events are sent: both (the default), only `enter` or only `exit`. */
  trigger_events?: TriggerEvent[];
  /** The HTTP method of webhook requests (default POST). */
  method?: (typeof WEBHOOK_METHODS)[number];
}

/** A signing secret; the previous one stays valid until `expires` during a rotation. */
export interface SigningSecret {
  secret: string;
  /** ISO time after which it is no longer used, or null. */
  expires: string | null;
}

/** A stored subscription (the account object keeps these). */
export interface SubscriptionRecord {
  /** 32 hex characters. */
  id: string;
  account_id: string;
  /** Id of the token that created it (`root` for the bootstrap token). */
  user_id: string;
  workflow: "webhook_triggers";
  /** `disabled` after the receiver answered 410 Gone; an update re-enables it. */
  state: "active" | "disabled";
  state_reason: string | null;
  config: SubscriptionConfig;
  /** Newest first. Never shown after creation or rotation. */
  secrets: SigningSecret[];
  created: string;
  updated: string;
}

/** What the queue sink needs to route audience changes to a subscription. */
export interface SubscriptionRoute {
  id: string;
  active: boolean;
  /** Subscribed audience slugs → audience ids. */
  segments: Record<string, string>;
  /** Fields whose changes (of members) are sent too. */
  triggerFields: string[];
  /** Audience events sent (both unless the subscription chose one). */
  events?: TriggerEvent[];
}

/** The answer of the account object's `subscriptionIndex`. */
export type SubscriptionIndex =
  | { version: string; unchanged: true }
  | { version: string; unchanged?: false; routes: SubscriptionRoute[] };

/** Routes of an account's subscriptions, slugs resolved against its current audiences. */
export function subscriptionRoutes(
  subscriptions: SubscriptionRecord[],
  segments: AudienceRecord[],
): SubscriptionRoute[] {
  const byId = new Map(segments.map((s) => [s.id, s.slug_name]));
  return subscriptions.map((s) => {
    const slugs: Record<string, string> = {};
    for (const id of s.config.segment_ids) {
      const slug = byId.get(id);
      if (slug) slugs[slug] = id;
    }
    return {
      id: s.id,
      active: s.state === "active",
      segments: slugs,
      triggerFields: s.config.trigger_fields ?? [],
      events: s.config.trigger_events ?? ["enter", "exit"],
    };
  });
}
