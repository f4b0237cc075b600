/**
 * Data-subject deletion requests (`DELETE /api/entity/user/:field/:value`):
 * what the account keeps of each, so a privacy tool (e.g. OneTrust) can poll
 * the request id it was given. The identifier's value is not kept — only
 * its field name — so the record itself holds no personal data.
 */

/** States of a deletion request. */
export type PrivacyRequestState = "running" | "completed" | "failed";

/** One deletion request, as `GET /api/entity/deletion/:request_id` shows it. */
export interface PrivacyRequest {
  /** 32 hex characters. */
  request_id: string;
  type: "delete";
  /** The identifier field the person was named by (not its value). */
  field: string;
  state: PrivacyRequestState;
  /** Profiles erased (the survivor and every profile merged into it). */
  erased_profiles: number;
  /** Why it failed, when it did. */
  error?: string;
  created: string;
  updated: string;
}

/** Deletion requests kept per account (the oldest are forgotten first). */
export const MAX_PRIVACY_REQUESTS = 10_000;
