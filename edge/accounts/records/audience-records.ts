import type { SegmentAst } from "../../segmentql";
import { randomBytes, toHex } from "../../platform/encoding";

/** How an audience's membership is decided. */
export type AudienceKind = "rule" | "manual";

/** A stored audience (segment). */
export interface AudienceRecord {
  /** 32 hex characters, as Lytics ids. */
  id: string;
  /** Unique per account: the SegmentQL ALIAS. */
  slug_name: string;
  name: string;
  description: string;
  table: "user";
  /** API-enabled: shown to browsers by `/personalize`. */
  is_public: boolean;
  /** `rule`: membership from the SegmentQL; `manual`: assigned through the API. */
  kind: AudienceKind;
  /** The JSON ast (null for manual audiences). */
  ast: SegmentAst | null;
  /** The canonical SegmentQL text. */
  segment_ql: string;
  /** Group ids. */
  groups: string[];
  created: string;
  updated: string;
}

/** A folder of audiences. */
export interface AudienceGroup {
  id: string;
  name: string;
  description: string;
  created: string;
  updated: string;
}

/** A background job over an account's profiles (reevaluation). */
export interface AudienceJob {
  id: string;
  segment_id: string;
  type: "reevaluate";
  state: "queued" | "running" | "completed" | "failed";
  /** Profiles done and (once known) in total. */
  progress: { done: number; total: number | null; shard: number; changed: number };
  created: string;
  updated: string;
  error?: string;
}

/** What profile objects need to evaluate an account's audiences. */
export interface AudienceDefinitions {
  version: number;
  segments: { slug: string; kind: AudienceKind; ast: SegmentAst | null }[];
}

/**
 * What changed in an account's audiences after a version: the definitions
 * stored since (added or replaced) and the slugs gone (deleted, or renamed
 * away). Profile objects apply it to their compiled set instead of
 * compiling every audience again.
 */
export interface AudienceDelta {
  version: number;
  put: AudienceDefinitions["segments"];
  remove: string[];
}

/** A new random 32-hex id. */
export function hexId(): string {
  return toHex(randomBytes(16));
}
