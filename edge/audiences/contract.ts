/**
 * What the audiences domain shows others: the RPC surface of the audience
 * index (exact sizes and member lists, kept from the audience-changes queue).
 */
import type { MembershipMessage } from "../profiles/contract";

/** What the index keeps of a membership message. */
export type IndexedChanges = Pick<MembershipMessage, "profile" | "seq" | "changes">;

/** RPC surface of an audience index shard (audiences/audience-index-object.ts implements it). */
export interface AudienceIndexRpc {
  /** Applies membership messages; stale ones (lower seq) and forgotten profiles are ignored. */
  apply(messages: IndexedChanges[]): Promise<void>;
  /** Drops profiles (merged away or erased) for good. */
  forget(profiles: string[]): Promise<void>;
  /** Members per audience slug in this shard. */
  counts(): Promise<Record<string, number>>;
  /** A page of an audience's members (profile ids after `after`, ascending). */
  members(slug: string, after: string, limit: number): Promise<string[]>;
  /** Forgets an audience entirely (deleted audience). */
  dropAudience(slug: string): Promise<void>;
}
