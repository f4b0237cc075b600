/**
 * Wire types shared by the browser code (tag, widgets, console) and the edge.
 * Types only: importing this module adds no bytes to any bundle.
 */

/** A value a collected event or a profile field may hold. */
export type FieldValue = string | number | boolean | null | FieldValue[] | { [key: string]: FieldValue };

/**
 * One collected event, in the tag's own JSON format: the Lytics raw fields
 * (`_e`, `_ts`, `_uid`, ...) plus whatever the site sent.
 */
export interface CollectEvent {
  /** Event id, used by the edge to deduplicate retried sends. */
  _eid?: string;
  /** Event type, e.g. `pv` for a page view. */
  _e?: string;
  /** Client time, epoch milliseconds. */
  _ts?: number;
  /** The visitor's first-party id (cookie). */
  _uid?: string;
  /** A previous id of this browser, sent once after `setid` so both link. */
  _uido?: string;
  [field: string]: FieldValue | undefined;
}

/** Body of a tag collect request: one event or a batch. */
export type CollectBody = CollectEvent | CollectEvent[] | { events: CollectEvent[] };

/** The visitor's profile as `/personalize` and `jstag.getEntity()` show it. */
export interface Entity {
  data: {
    user: EntityUser;
    experiences: unknown[];
  };
}

/** The user part of an entity: ids, audience slugs and surfaced fields. */
export interface EntityUser {
  _uid?: string;
  _uids?: string[];
  segments: string[];
  [field: string]: FieldValue | undefined;
}

/** Error body of every failed API call. */
export interface ApiErrorBody {
  status: number;
  message: string;
  errors: { path?: string; message: string }[];
}
