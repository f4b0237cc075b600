/**
 * What the identity domain shows others: identifiers, links, and the RPC
 * surface of the identity directory's shards.
 */

/** An identifier of a person, e.g. `{field: "email", value: "a@b.c"}`. */
export interface IdentityKey {
  field: string;
  value: string;
}

/** Where an identifier points, and whether that link is verified. */
export interface Link {
  profile: string;
  verified: boolean;
}

/** A key and the profile it should point to if nobody holds it yet. */
export interface CandidateLink {
  key: IdentityKey;
  candidate: string;
}

/** Where a key points after {@link IdentityRpc.lookupOrClaim}, and whether that call linked it. */
export interface ResolvedLink {
  link: Link;
  claimed: boolean;
}

/** RPC surface of an identity directory shard (identity/identity-object.ts implements it). */
export interface IdentityRpc {
  /** Where each key points (null for unknown keys), in the order given. */
  lookup(keys: IdentityKey[]): Promise<(Link | null)[]>;
  /**
   * Links each key to `profile` unless it already points elsewhere (a
   * verified claim replaces an unverified link). Returns where each key
   * points afterwards: the caller merges when that is another profile.
   */
  claim(keys: IdentityKey[], profile: string, verified: boolean): Promise<Link[]>;
  /**
   * For each key: where it points, or, when nobody holds it yet, a new
   * verified link to its candidate profile (`claimed: true`). One round trip
   * where a new person would otherwise need a lookup and then a claim.
   */
  lookupOrClaim(entries: CandidateLink[]): Promise<ResolvedLink[]>;
  /** Re-points keys that point at `from` to `to` (after a merge). */
  repoint(keys: IdentityKey[], from: string, to: string): Promise<void>;
  /** A page of the distinct profile ids linked in this shard (ascending, after `after`). */
  profiles(after: string, limit: number): Promise<string[]>;
  /** Removes every link to the given profiles (erase). Returns how many. */
  unlink(profiles: string[]): Promise<number>;
}
