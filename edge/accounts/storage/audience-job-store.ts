import type { AccountKv } from "./account-kv";
import type { AudienceJob } from "../records/audience-records";
import { createAudienceTables } from "./audience-store";

/**
 * The account's audience jobs (reevaluations) in the account object's
 * SQLite (`segment_jobs`), and each job's cursor (kv `job_cursor:<id>`):
 * where its next step starts.
 */
export class AudienceJobTable {
  constructor(
    private readonly sql: SqlStorage,
    private readonly kv: AccountKv,
  ) {}

  private all(): AudienceJob[] {
    createAudienceTables(this.sql);
    return this.sql
      .exec<{ record: string }>("SELECT record FROM segment_jobs")
      .toArray()
      .map((r) => JSON.parse(r.record) as AudienceJob);
  }

  /** Jobs of an audience, newest first. */
  list(segmentId: string): AudienceJob[] {
    createAudienceTables(this.sql);
    return this.sql
      .exec<{ record: string }>("SELECT record FROM segment_jobs WHERE segment_id = ?", segmentId)
      .toArray()
      .map((r) => JSON.parse(r.record) as AudienceJob)
      .sort((a, b) => b.created.localeCompare(a.created));
  }

  /** Stores a job record (insert or replace by id). */
  put(job: AudienceJob): void {
    createAudienceTables(this.sql);
    this.sql.exec(
      "INSERT INTO segment_jobs (id, segment_id, record) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET record = excluded.record",
      job.id,
      job.segment_id,
      JSON.stringify(job),
    );
  }

  /** The oldest queued or running job, or undefined. */
  nextUnfinished(): AudienceJob | undefined {
    return this.all()
      .filter((j) => j.state === "queued" || j.state === "running")
      .sort((a, b) => a.created.localeCompare(b.created))[0];
  }

  /** Where the job's next step starts ("" before the first). */
  cursor(jobId: string): string {
    return this.kv.read<string>(`job_cursor:${jobId}`) ?? "";
  }

  /** Records where the job's next step starts. */
  setCursor(jobId: string, cursor: string): void {
    this.kv.write(`job_cursor:${jobId}`, cursor);
  }
}
