import { useCallback, useState } from "preact/hooks";
import { api, type Session } from "../../api";
import { ErrorSummary } from "../../ui/errors";
import { JobProgress, type JobStatus } from "../../ui/job-progress";
import { DataList } from "../../ui/list";
import { useLoad } from "../../ui/use-load";
import { Card } from "../../views/common";

/** A CSV import as `/api/content/import/{id}` answers it. */
interface ImportView {
  id: string;
  state: "queued" | "processing" | "done" | "failed";
  size: number;
  processed: number;
  rowsOk: number;
  rowsFailed: number;
  errors: { line: number; path?: string; message: string }[];
  errorsTotal: number;
  ignoredColumns: string[];
  message: string | null;
  created: string;
  finished: string | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Documents imported and lines skipped, in words. */
const outcome = (j: ImportView) => `${plural(j.rowsOk, "document")} imported, ${plural(j.rowsFailed, "line")} skipped`;

/** The bad lines of an import, by line number (the header is line 1). */
function LineErrors({ job }: { job: ImportView }) {
  if (!job.errors.length) return null;
  return (
    <table aria-label="Skipped lines">
      {job.errorsTotal > job.errors.length && (
        <caption>
          The first {job.errors.length} of {job.errorsTotal} problems.
        </caption>
      )}
      <thead>
        <tr>
          <th scope="col">Line</th>
          <th scope="col">Problem</th>
        </tr>
      </thead>
      <tbody>
        {job.errors.map((e, i) => (
          <tr key={`${e.line}-${i}`}>
            <td>{e.line}</td>
            <td>
              {e.path ? <code>{e.path}</code> : null} {e.message}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Imports documents from a CSV file (`POST /api/content/doc` as text/csv):
 * the job's progress, its skipped lines, and the account's recent imports.
 * `onImported` runs when an import ends, so the document list can reload.
 */
export function CsvImport({ session, onImported }: { session: Session; onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [current, setCurrent] = useState<string | null>(null);
  const [job, setJob] = useState<ImportView | null>(null);
  const [error, setError] = useState<unknown>();
  const recent = useLoad(() => api<{ data: ImportView[] }>(session, "GET", "/api/content/import"), [session]);

  const upload = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    try {
      const r = await api<{ data: ImportView }>(session, "POST", "/api/content/doc", await file.text(), "text/csv");
      setError(undefined);
      setJob(r.data);
      setCurrent(r.data.id);
    } catch (err) {
      setError(err);
    }
  };
  const poll = useCallback(async (): Promise<JobStatus> => {
    const r = await api<{ data: ImportView }>(session, "GET", `/api/content/import/${current}`);
    setJob(r.data);
    return {
      state: r.data.state,
      progress: { done: r.data.processed, total: r.data.size || null },
      error: r.data.state === "failed" ? r.data.message : null,
    };
  }, [session, current]);
  const finished = useCallback(() => {
    recent.reload();
    onImported();
  }, [recent.reload, onImported]);

  return (
    <Card title="Import documents from CSV">
      <p class="muted">
        A header names the columns: url, title, description, image, author, published, keywords, topics. Bad lines are
        skipped and reported with their number.
      </p>
      <form class="row" onSubmit={upload}>
        <div>
          <label for="csv-file">CSV file</label>
          <input
            id="csv-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
          />
        </div>
        <button type="submit" disabled={!file}>
          Import
        </button>
      </form>
      <ErrorSummary error={error} />
      {current && (
        <section aria-label="Current import">
          <JobProgress key={current} label="CSV import" unit="bytes" poll={poll} onDone={finished} />
          {job && (
            <p>
              {outcome(job)}
              {job.ignoredColumns.length ? `; columns ignored: ${job.ignoredColumns.join(", ")}` : ""}.
            </p>
          )}
          {job && <LineErrors job={job} />}
        </section>
      )}
      <h3>Recent imports</h3>
      <ErrorSummary error={recent.error} />
      {recent.data && (
        <DataList<ImportView>
          label="Recent imports"
          rows={recent.data.data}
          rowKey={(j) => j.id}
          text={(j) => `${j.state} ${j.created}`}
          pageSize={10}
          empty="No imports yet."
          columns={[
            {
              title: "Started",
              cell: (j) => <time dateTime={j.created}>{j.created.replace("T", " ").slice(0, 19)}</time>,
            },
            { title: "State", cell: (j) => j.state },
            { title: "Result", cell: outcome },
            {
              title: "Problems",
              cell: (j) =>
                j.errorsTotal ? (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => {
                      setJob(j);
                      setCurrent(j.id);
                    }}
                  >
                    Show {plural(j.errorsTotal, "problem")}
                  </button>
                ) : (
                  "none"
                ),
            },
          ]}
        />
      )}
    </Card>
  );
}
