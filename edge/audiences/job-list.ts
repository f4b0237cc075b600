/**
 * Every job that touches an audience, for `GET /v2/segment/:id/jobs`:
 * reevaluations of its membership, and the exports reading it — each
 * webhook subscription (Lytics' `webhook_triggers` workflow) that names it.
 */
import type { AccountRpc } from "../accounts/contract";
import type { AudienceJob } from "../accounts/records/audience-records";

/** A subscription seen as an export job of one of its audiences. */
export interface AudienceExportJob {
  /** The subscription id. */
  id: string;
  segment_id: string;
  type: "export";
  workflow: "webhook_triggers";
  name: string;
  /** `active`, or `disabled` after the receiver answered 410 Gone. */
  state: "active" | "disabled";
  state_reason: string | null;
  /** Current members were (or are being) sent as `enter` first. */
  withbackfill: boolean;
  created: string;
  updated: string;
}

/** A job of an audience: a reevaluation or an export. */
export type AudienceJobView = AudienceJob | AudienceExportJob;

/** Reevaluations (newest first, as stored) then exports (oldest first) touching audience `segmentId`. */
export async function jobsOfAudience(account: AccountRpc, segmentId: string): Promise<AudienceJobView[]> {
  const [jobs, subscriptions] = await Promise.all([account.listJobs(segmentId), account.listSubscriptions()]);
  const exports: AudienceExportJob[] = subscriptions
    .filter((s) => s.config.segment_ids.includes(segmentId))
    .sort((a, b) => (a.created < b.created ? -1 : 1))
    .map((s) => ({
      id: s.id,
      segment_id: segmentId,
      type: "export",
      workflow: s.workflow,
      name: s.config.name,
      state: s.state,
      state_reason: s.state_reason,
      withbackfill: s.config.withbackfill,
      created: s.created,
      updated: s.updated,
    }));
  return [...jobs, ...exports];
}
