/**
 * What the audiences domain shows others: the RPC surface of the audience
 * index (exact sizes and member lists, kept from the audience-changes queue).
 */
import type { MembershipMessage } from "../profiles/contract";

/** What the index keeps of a membership message. */
export type IndexedChanges = Pick<MembershipMessage, "profile" | "seq" | "changes">;

/** One shard's member count of an audience at the end of a UTC day (`YYYY-MM-DD`), or now for today. */
export interface DailySize {
  day: string;
  n: number;
}

/** RPC surface of an audience index shard (audiences/audience-index-object.ts implements it). */
export interface AudienceIndexRpc {
  /** Applies membership messages; stale ones (lower seq) and forgotten profiles are ignored. */
  apply(messages: IndexedChanges[]): Promise<void>;
  /** Drops profiles (merged away or erased) for good. */
  forget(profiles: string[]): Promise<void>;
  /** Members per audience slug in this shard (only of `slugs` when given: work per slug asked, not per audience). */
  counts(slugs?: string[]): Promise<Record<string, number>>;
  /** A page of an audience's members (profile ids after `after`, ascending). */
  members(slug: string, after: string, limit: number): Promise<string[]>;
  /** This shard's recorded daily member counts of an audience, oldest first (days without a change are absent). */
  sizeHistory(slug: string): Promise<DailySize[]>;
  /** Forgets an audience entirely (deleted audience). */
  dropAudience(slug: string): Promise<void>;
}
