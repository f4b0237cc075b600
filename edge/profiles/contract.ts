/**
 * What the profiles domain shows others: profile views and snapshots, the
 * RPC surface of a profile object, and the audience changes profile objects
 * put on the queue (consumed by the audience index and webhooks).
 */
import type { CollectEvent, FieldValue } from "../../types/wire";
import type { FieldType, MergeStrategy } from "../accounts/fields/field-vocabulary";
import type { IdentityKey } from "../identity/contract";
import type { AffinityState } from "./affinity/affinity";
import type { ProfileExperienceState } from "./experiences/report-model";
import type { RecentEvent } from "./storage/recent-events";

/** What a profile holds, with fields combined by their strategies. */
export interface ProfileView {
  id: string;
  cid: string;
  created: number;
  modified: number;
  identifiers: IdentityKey[];
  fields: Record<string, FieldValue>;
  /** Ids of profiles merged into this one. */
  merged: string[];
  /** Events stored (duplicates not counted). */
  events: number;
  /** Merges refused by the guard rails (latest 20). */
  refusedMerges: RefusedMerge[];
  /** Audience slugs the person is in. */
  segments: string[];
  /** Content viewed: topic affinities and visited documents (absent when none). */
  content?: AffinityState;
  /** Documents this ingest call visited for the first time (counted as unique visitors by the content domain). */
  firstVisits?: string[];
}

/**
 * What an ingest call answers: the view without the content state (topic
 * affinities and up to 500 visited documents, which nothing on the event
 * path reads: it would cross the RPC boundary on every page view).
 */
export type IngestedView = Omit<ProfileView, "content">;

/**
 * What a browser may be shown of a person (`/personalize`): the profile id,
 * the `_uids` field and the asked-for fields it holds, and its audiences.
 */
export interface ProfileEntity {
  id: string;
  fields: Record<string, FieldValue>;
  /** Audience slugs the person is in (every audience: the caller keeps the public ones). */
  segments: string[];
}

/** A merge the identity guard rails refused. */
export interface RefusedMerge {
  with: string[];
  reason: string;
  at: string;
}

/** Everything a profile holds, moved into the surviving profile on a merge. */
export interface ProfileSnapshot {
  id: string;
  created: number;
  modified: number;
  sessions: number;
  events: number;
  firstVisit: number;
  lastVisit: number;
  identifiers: IdentityKey[];
  observations: {
    name: string;
    value: string;
    first: number;
    last: number;
    count: number;
    /** Arrival sequence of the first and last sightings (orders sightings with the same time). */
    fseq?: number;
    lseq?: number;
  }[];
  seen: { eid: string; ts: number }[];
  merged: string[];
  /** Audiences assigned and removed by hand. */
  manual: { assigned: string[]; removed: string[] };
  /** The behavioral-score activity state (JSON), null before the first event. */
  activity?: string | null;
  /** Topic affinities and visited documents (absent when none). */
  content?: AffinityState;
  /** Experiences reached and converted on (absent when none). */
  experiences?: ProfileExperienceState;
  /** The last events accepted, newest first (absent in snapshots stored before they were kept). */
  recent?: RecentEvent[];
}

/** Answer of a profile that was merged into another. */
export interface AliasAnswer {
  alias: string;
}

/** Answer of an erased profile: its id must not be used again. */
export interface GoneAnswer {
  gone: true;
}

/** Per-field settings a call passes in (the account's schema). */
export interface FieldOptions {
  /** Per-field type and merge strategy (the account's field settings). */
  fields?: Record<string, { type?: FieldType; merge?: MergeStrategy }>;
  /** The account's audience version the caller knows; older compiled audiences are refreshed. */
  segmentsVersion?: number;
  /** Fields whose changes webhook subscriptions want reported (trigger fields). */
  triggerFields?: string[];
}

/** One audience change of a person, as the queue carries it. */
export interface AudienceChange {
  slug: string;
  event: "enter" | "exit";
  /** ISO time the person (last) entered, or null. */
  enter: string | null;
  /** ISO time the person (last) left, or null. */
  exit: string | null;
}

/** A person's membership of one audience, for exports. */
export interface AudienceHistoryEntry {
  slug: string;
  member: boolean;
  /** ISO time the person (last) entered, or null. */
  enter: string | null;
  /** ISO time the person (last) left, or null. */
  exit: string | null;
}

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
  /** The sending profile's outbox row: the consumer confirms it once handled ({@link ProfileRpc.confirm}). */
  outbox?: OutboxRef;
  /** ISO time of the change. */
  at: string;
  changes: AudienceChange[];
  /** The person's fields at the time of the change. */
  fields: Record<string, FieldValue>;
  /** Audiences the person is in after the change. */
  segments?: string[];
  /** Changes of trigger fields (see subscriptions) this event made. */
  field_changes?: FieldChange[];
}

/**
 * A membership message too large for the queue (over its 128 KB per
 * message: a person in thousands of audiences, or with large fields),
 * sent in its place: it names the message, whose whole body stays in the
 * sending profile's outbox until the consumer confirms it, and the
 * consumer reads it from there ({@link ProfileRpc.outboxMessage}). Its
 * size does not depend on the profile's, so every change can be sent.
 * It has no `changes`: a consumer that does not know references fails
 * on it (and the batch is retried) rather than taking it for an empty change.
 */
export interface MembershipReference {
  type: "membership";
  cid: string;
  profile: string;
  seq: number;
  outbox: OutboxRef;
  /** ISO time of the change. */
  at: string;
  /** The message's body is kept by the sending profile (in its outbox). */
  stored: true;
}

/** What the segment-events queue carries: a whole message, or a reference to one kept by its profile. */
export type QueuedAudienceMessage = AudienceQueueMessage | MembershipReference;

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
  /** The sending profile's outbox row: the consumer confirms it once handled ({@link ProfileRpc.confirm}). */
  outbox?: OutboxRef;
}

/** Which profile object queued a message, and its outbox sequence number. */
export interface OutboxRef {
  profile: string;
  seq: number;
}

/** Everything on the segment-events queue. */
export type AudienceQueueMessage = MembershipMessage | ForgetMessage;

/** RPC surface of a profile object (profiles/profile-object.ts implements it). */
export interface ProfileRpc {
  /** Records events (skipping ids already seen) and links identifiers. */
  ingest(
    cid: string,
    id: string,
    events: CollectEvent[],
    identifiers: IdentityKey[],
    options?: FieldOptions,
  ): Promise<IngestedView | AliasAnswer | GoneAnswer>;
  /** Re-evaluates audiences now (reevaluation jobs, definition changes). */
  reevaluate(options?: FieldOptions): Promise<{ segments: string[] } | AliasAnswer | null>;
  /** Assigns the person to audiences by hand, or removes them (SegmentHub API). */
  assign(add: string[], remove: string[], options?: FieldOptions): Promise<ProfileView | AliasAnswer | null>;
  /** The profile with fields combined, or an alias answer, or null if empty. */
  read(options?: FieldOptions): Promise<ProfileView | AliasAnswer | null>;
  /**
   * `_uids` and the given fields (those the profile holds) and the audiences,
   * or an alias answer, or null if empty: what `/personalize` shows. Reflects
   * every write before the call, as `read` does.
   */
  entity(options: FieldOptions, fields: readonly string[]): Promise<ProfileEntity | AliasAnswer | null>;
  /** Creation time, or null when the profile holds nothing yet. */
  info(): Promise<{ created: number | null; alias: string | null; idCounts: Record<string, number> }>;
  /** Records that a merge with other profiles was refused (shown in the profile's metadata). */
  noteRefusedMerge(others: string[], reason: string): Promise<void>;
  /**
   * Marks this profile as merged into `masterId` and returns what it holds.
   * Idempotent: a repeated call returns the same snapshot. The data stays
   * until the person is erased, so a failed merge can be completed later.
   */
  retire(masterId: string): Promise<ProfileSnapshot>;
  /**
   * Folds a retired profile's snapshot into this one: observations add up
   * (earliest first, latest last, counts summed), identifiers and seen
   * event ids unite, the earlier creation time wins. Idempotent per source.
   */
  absorb(cid: string, id: string, source: ProfileSnapshot, options?: FieldOptions): Promise<ProfileView | AliasAnswer>;
  /** Everything this profile holds, for a data-subject export (null when empty). */
  dump(): Promise<ProfileSnapshot | null>;
  /** Erases everything this profile holds (GDPR/CCPA). */
  erase(): Promise<void>;
  /**
   * The queue consumer handled these outbox messages: the profile stops
   * resending them. Until then it resends them (the consumer drops
   * redeliveries), so a queue that loses a message loses nothing.
   */
  confirm(seqs: number[]): Promise<void>;
  /**
   * The membership message `seq` as it was stored in the outbox, for the
   * queue consumer of a {@link MembershipReference}; null once it is no
   * longer there (confirmed, so already handled, or the person was erased).
   */
  outboxMessage(seq: number): Promise<MembershipMessage | null>;
  /** Audience history for exports. */
  audienceHistory(): Promise<AudienceHistoryEntry[]>;
  /** The last events the profile accepted, newest first (at most `limit`). */
  recentEvents(limit?: number): Promise<RecentEvent[]>;
}
