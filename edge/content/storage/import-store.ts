/**
 * The CSV import jobs of one account, in the content object's SQLite
 * storage: each job's progress and report (see import-job.ts). The most
 * recent `KEPT_IMPORTS` finished jobs are kept for their reports.
 */
import type { ImportJob } from "../import/import-job";

/** Finished imports whose reports are kept. */
export const KEPT_IMPORTS = 100;

const SCHEMA =
  "CREATE TABLE IF NOT EXISTS imports (id TEXT PRIMARY KEY, created INTEGER NOT NULL, state TEXT NOT NULL, body TEXT NOT NULL)";

/** Import jobs by id. */
export class ImportStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  save(job: ImportJob): void {
    this.sql.exec(
      "INSERT INTO imports (id, created, state, body) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state, body = excluded.body",
      job.id,
      job.created,
      job.state,
      JSON.stringify(job),
    );
    if (job.state === "done" || job.state === "failed")
      this.sql.exec(
        `DELETE FROM imports WHERE state IN ('done', 'failed') AND id NOT IN
         (SELECT id FROM imports WHERE state IN ('done', 'failed') ORDER BY created DESC, id DESC LIMIT ?)`,
        KEPT_IMPORTS,
      );
  }

  get(id: string): ImportJob | null {
    const row = this.sql.exec<{ body: string }>("SELECT body FROM imports WHERE id = ?", id).toArray()[0];
    return row ? (JSON.parse(row.body) as ImportJob) : null;
  }

  /** Jobs, newest first. */
  list(): ImportJob[] {
    return this.sql
      .exec<{ body: string }>("SELECT body FROM imports ORDER BY created DESC, id DESC")
      .toArray()
      .map((r) => JSON.parse(r.body) as ImportJob);
  }

  /** The oldest job still to process. */
  next(): ImportJob | null {
    const row = this.sql
      .exec<{ body: string }>(
        "SELECT body FROM imports WHERE state IN ('queued', 'processing') ORDER BY created, id LIMIT 1",
      )
      .toArray()[0];
    return row ? (JSON.parse(row.body) as ImportJob) : null;
  }
}
