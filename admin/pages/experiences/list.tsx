/** All experiences: status, tactic, audiences, reach and conversion rate, with the lifecycle actions. */
import { useEffect, useMemo, useState } from "preact/hooks";
import { percent } from "../../../types/experience-report";
import type { Session } from "../../api";
import { useConfirm } from "../../ui/confirm";
import { ErrorSummary } from "../../ui/errors";
import { DataList } from "../../ui/list";
import { can } from "../../ui/role";
import { useLoad } from "../../ui/use-load";
import type { ConsoleRole } from "../types";
import { getReport, listExperiences, type Report } from "./client";
import { type Experience, type ExperienceStatus, TACTICS } from "./model";
import { StatusActions } from "./status-actions";

const STATUSES: readonly ExperienceStatus[] = ["draft", "published", "paused", "archived"];

export function ExperienceList({ session, role }: { session: Session; role: ConsoleRole }) {
  const list = useLoad(() => {
    reports.clear(); // a fresh list gets fresh figures
    return listExperiences(session);
  }, [session]);
  const [changed, setChanged] = useState<Record<string, Experience>>({});
  const [status, setStatus] = useState<ExperienceStatus | "all">("all");
  const [error, setError] = useState<unknown>();
  const [ask, dialog] = useConfirm();
  const rows = useMemo(
    () => (list.data ?? []).map((e) => changed[e.id] ?? e).filter((e) => status === "all" || e.status === status),
    [list.data, changed, status],
  );
  const writable = can(role, "write");
  return (
    <>
      <div class="title-row">
        <h1>Experiences</h1>
        {writable && (
          <a class="button" href="#experiences/new">
            New experience
          </a>
        )}
      </div>
      <ErrorSummary error={list.error ?? error} />
      <section class="card" aria-label="All experiences">
        <div class="row filters">
          <div>
            <label for="exp-status">Status</label>
            <select
              id="exp-status"
              value={status}
              onChange={(e) => setStatus((e.target as HTMLSelectElement).value as ExperienceStatus | "all")}
            >
              <option value="all">all</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
        </div>
        {list.loading && !list.data ? (
          <p class="muted" role="status">
            Loading…
          </p>
        ) : (
          <DataList
            label="Experiences"
            rows={rows}
            rowKey={(e) => e.id}
            text={(e) => `${e.name} ${e.status} ${e.tactic} ${e.targeting.include.join(" ")}`}
            empty={writable ? "No experiences yet: create one with “New experience”." : "No experiences yet."}
            columns={[
              {
                title: "Experience",
                cell: (e) => <a href={`#experiences/${encodeURIComponent(e.id)}`}>{e.name}</a>,
              },
              { title: "Status", cell: (e) => <span class={`pill status-${e.status}`}>{e.status}</span> },
              { title: "Tactic", cell: (e) => TACTICS[e.tactic]?.label ?? e.tactic },
              {
                title: "Audiences",
                cell: (e) =>
                  e.targeting.include.length ? e.targeting.include.join(", ") : <span class="muted">everyone</span>,
              },
              {
                title: "Reach",
                cell: (e) => <ReportFigure session={session} id={e.id} show={(r) => String(r.totals.reach)} />,
              },
              {
                title: "Conversion rate",
                cell: (e) => (
                  <ReportFigure session={session} id={e.id} show={(r) => percent(r.totals.conversion_rate)} />
                ),
              },
              {
                title: "Actions",
                cell: (e) => (
                  <>
                    <a href={`#experiences/${encodeURIComponent(e.id)}/report`}>Report</a>{" "}
                    {writable && (
                      <StatusActions
                        session={session}
                        experience={e}
                        ask={ask}
                        onChanged={(next) => {
                          setError(undefined);
                          setChanged({ ...changed, [next.id]: next });
                        }}
                        onError={setError}
                      />
                    )}
                  </>
                ),
              },
            ]}
          />
        )}
      </section>
      {dialog}
    </>
  );
}

/**
 * Reports already asked for in this visit of the list, by experience id: a
 * figure's report is fetched when its row is first shown (only the rows of
 * the current page), once for both of its columns.
 */
const reports = new Map<string, Promise<Report | null>>();

/** One figure of an experience's report (reach, conversion rate), loaded with the row. */
function ReportFigure({ session, id, show }: { session: Session; id: string; show: (r: Report) => string }) {
  const [report, setReport] = useState<Report | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    let pending = reports.get(id);
    if (!pending) {
      pending = getReport(session, id).catch(() => null);
      reports.set(id, pending);
    }
    pending.then((r) => live && setReport(r));
    return () => {
      live = false;
    };
  }, [session, id]);
  if (report === undefined) return <span class="muted">…</span>;
  if (report === null) return <span class="muted">—</span>;
  return <>{show(report)}</>;
}
