/**
 * What the experiences domain shows the rest of the edge (types only).
 *
 * An experience is a marketer's personalization campaign (Lytics
 * "Experience"): a tactic, one or more variations (each a Pathfora widget
 * configuration and a traffic share), an optional control group that sees
 * nothing, audience targeting by slug, display conditions, dates and a
 * status. The pure core in this folder validates, transitions, merges API
 * overrides, assigns variations, renders `config.js` and counts reports; the
 * storage objects and routes wrap it.
 */
import type { DisplayConditions, WidgetConfig, WidgetType } from "../../types/widgets";

/** A JSON value, as stored and as sent to the browser. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Lifecycle: draft → published ⇄ paused → archived (archived is read-only). */
export type ExperienceStatus = "draft" | "published" | "paused" | "archived";

/**
 * What the marketer wants to achieve; decides the widget type (Lytics
 * tactics; `capture_leads` is accepted on input as an alias of
 * `collect_leads`).
 */
export type Tactic = "drive_traffic" | "collect_leads" | "present_message" | "recommend_content" | "gate_content";

/** A link a drive-traffic variation sends visitors to when they confirm. */
export interface ExperienceLink {
  /** Absolute http(s) URL. */
  url: string;
  /** Open in a new tab (default false). */
  new_tab?: boolean;
}

/** One variation: a Pathfora widget configuration and its traffic share. */
export interface Variation {
  /** Short key, `[a-z0-9_]{1,32}` (`a`, `b`, ...); `control` is reserved. */
  id: string;
  /** Label shown in reports. */
  name: string;
  /** Percentage of qualifying visitors (0–100, two decimals at most). */
  share: number;
  /** Pathfora configuration (JSON) without `id`, which Pathlight assigns. */
  widget: JsonObject;
  /** Drive traffic: where the call to action goes. */
  link?: ExperienceLink;
}

/** Audience targeting by audience slug. */
export interface Targeting {
  /** The visitor must be in at least one of these (empty: everyone). */
  include: string[];
  /** The visitor must be in none of these. */
  exclude: string[];
}

/** Execution dates (ISO 8601, UTC). */
export interface ExperienceDates {
  start_date: string | null;
  /** At this time a published or paused experience is archived by itself. */
  end_date: string | null;
}

/** Execution data (Lytics `vehicle`). */
export interface ExperienceVehicle {
  /**
   * Any Pathfora configuration merged over every variation's widget when it
   * is delivered (Lytics API overrides). JSON Merge Patch semantics (RFC
   * 7396): objects merge, arrays and scalars replace, `null` removes the
   * key. String callbacks are stored and delivered only when the account
   * allows string callbacks.
   */
  detail_override: JsonObject | null;
}

/** The goal event the report measures conversions on for lift. */
export interface ExperienceGoal {
  /** Event type (`_e`) that counts as reaching the goal, e.g. `purchase`. */
  event: string;
}

/** The experience resource as stored and as the API returns it. */
export interface Experience {
  /** 32 lowercase hex characters. */
  id: string;
  name: string;
  description: string;
  tactic: Tactic;
  /** The Pathfora widget type the tactic produces. */
  widget_type: WidgetType;
  variations: Variation[];
  /** Percentage held out as a control group that sees nothing (0: none). */
  control_share: number;
  targeting: Targeting;
  /** Pathfora display conditions of every variation (a variation's own keys win). */
  display_conditions: DisplayConditions & JsonObject;
  dates: ExperienceDates;
  status: ExperienceStatus;
  vehicle: ExperienceVehicle;
  goal: ExperienceGoal | null;
  /** Dotted paths of string callbacks in the widgets and override. */
  string_callbacks: string[];
  /** First publication time, or null. */
  published: string | null;
  created: string;
  updated: string;
}

/** A field-level problem, as the API reports it in `errors`. */
export interface FieldError {
  path?: string;
  message: string;
}

/**
 * Why an operation was refused: `invalid` (422, the body is wrong) or
 * `conflict` (409, the experience's state forbids it).
 */
export interface ExperienceProblem {
  kind: "invalid" | "conflict";
  message: string;
  errors: FieldError[];
}

/** Success or a problem. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: ExperienceProblem };

/** The variation key of the control group. */
export type ControlKey = "control";

/** A visitor's variation of one experience: a variation id or `control`. */
export type Assignment = string;

// ---------------------------------------------------------------------------
// Delivery to the browser (config.js) and to /personalize.

/**
 * One experience as the browser receives it in `config.js`.
 *
 * The loader evaluates, for each experience: the visitor qualifies when the
 * current time is within `start`/`end`, they are in at least one `include`
 * slug (or `include` is empty) and in no `exclude` slug. The variation is
 * the one `/personalize` named for this experience when the entity is
 * loaded; otherwise `bucket(id + ":" + _uid)` (see `assignment.ts`) walked
 * over `variations[].weight` then `control_weight` (weights are basis points
 * summing to 10,000). The variation's `widget` is passed to
 * `pathfora[factory](widget)`; the control group is sent one
 * `pf-widget-event: "holdout"` event and shown nothing.
 */
export interface DeliveredExperience {
  id: string;
  tactic: Tactic;
  /** Pathfora widget type. */
  type: WidgetType;
  /** The `window.pathfora` constructor: `Message`, `Form`, `Subscription` or `SiteGate`. */
  factory: "Message" | "Form" | "Subscription" | "SiteGate";
  include: string[];
  exclude: string[];
  /** Epoch milliseconds or null. */
  start: number | null;
  end: number | null;
  variations: DeliveredVariation[];
  /** Basis points held out (0–10,000). */
  control_weight: number;
}

/** One variation as delivered: its id, its weight and the final widget configuration. */
export interface DeliveredVariation {
  id: string;
  /** Basis points (0–10,000). */
  weight: number;
  /** Final Pathfora configuration; `id` is `{experience id}-{variation id}`. */
  widget: WidgetConfig & JsonObject;
}

/** The payload of `config.js` (`window.pathlightExperiences.push(payload)`). */
export interface ConfigPayload {
  /** Shape version (1). */
  v: 1;
  /** Account id. */
  cid: string;
  /** True when string callbacks are delivered (the loader then sets `pathfora.enableStringCallbacks`). */
  string_callbacks: boolean;
  experiences: DeliveredExperience[];
}

/** An experience a visitor qualifies for, as `/personalize` lists it. */
export interface EligibleExperience {
  id: string;
  name: string;
  tactic: Tactic;
  type: WidgetType;
  /** Variation id, or `control` (then `widget` is null: show nothing). */
  variation: Assignment;
  widget: (WidgetConfig & JsonObject) | null;
}

// ---------------------------------------------------------------------------
// Reporting.

/** The widget events (`pf-widget-event`) the report counts (defined where profiles fold them). */
export type { WidgetEventKind } from "../profiles/experiences/report-model";
import type { ReportDelta, WidgetEventKind } from "../profiles/experiences/report-model";

/** Counters of one variation (or the control group) over one period. */
export interface VariationCounters {
  /** Unique profiles shown (control: unique profiles held out). */
  reach: number;
  /** Unique profiles that converted as the tactic defines it. */
  conversions: number;
  /** Unique profiles that reached the goal event after being reached. */
  goal_conversions: number;
  /** Raw widget events by kind (retries excluded). */
  events: Partial<Record<WidgetEventKind, number>>;
}

/**
 * A report delta and the profile's experience state: the profile object
 * produces and keeps them (`profiles/experiences/`).
 */
export type { ProfileExperienceState, ReportDelta } from "../profiles/experiences/report-model";

// ---------------------------------------------------------------------------
// Storage (the experiences object, experience-object.ts).

/** What `config.js` and eligibility read: the live experiences and a version that moves on every change. */
export interface PublishedSnapshot {
  /** Bumped on every create, edit, status change, archive or delete. */
  version: number;
  /** Published experiences (end date not passed). */
  experiences: Experience[];
}

/**
 * RPC of an account's experiences store (object name `store:{cid}`). It
 * validates through the pure core, stores, and archives experiences at
 * their end date by alarm.
 */
export interface ExperienceStoreRpc {
  list(): Promise<Experience[]>;
  get(id: string): Promise<Experience | null>;
  create(body: unknown): Promise<Outcome<Experience>>;
  /** Null when there is no such experience. */
  patch(id: string, body: unknown): Promise<Outcome<Experience> | null>;
  /** Null when there is no such experience. */
  remove(id: string): Promise<Outcome<Experience> | null>;
  published(): Promise<PublishedSnapshot>;
  summaries(): Promise<Record<string, { conversion: readonly WidgetEventKind[]; goal: string | null }>>;
}

/** RPC of a report shard (object name `report:{cid}:{experience id}/{n}`). */
export interface ReportShardRpc {
  applyDeltas(deltas: ReportDelta[]): Promise<number>;
  /** The shard's counters. */
  counters(): Promise<{
    variations: Record<string, { total: VariationCounters; days: Record<string, VariationCounters> }>;
  }>;
}
