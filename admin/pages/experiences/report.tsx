/**
 * An experience's report: reach, conversions and conversion rate per
 * variation, per day, as uPlot charts (uPlot is in this chunk only: no other
 * page pays for it), and the lift of each variation against the control
 * group when the experience has a goal event and a control group.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import { daysBetween, liftText, percent as pct } from "../../../types/experience-report";
import type { Session } from "../../api";
import { ErrorSummary, Field } from "../../ui/errors";
import { useLoad } from "../../ui/use-load";
import { type DayCounters, getReport, type Report } from "./client";

const COLORS = [
  "#2457c5",
  "#d9480f",
  "#087f5b",
  "#862e9c",
  "#e67700",
  "#0b7285",
  "#c2255c",
  "#5c940d",
  "#364fc7",
  "#495057",
];
const CONTROL_COLOR = "#868e96";

/** uPlot's stylesheet, added once, when a report is first shown (served from the console's own origin). */
function useUplotStyles(): void {
  useEffect(() => {
    if (document.querySelector("link[data-uplot]")) return;
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = "/admin/uplot.min.css";
    link.dataset.uplot = "";
    document.head.append(link);
  }, []);
}

interface Line {
  label: string;
  color: string;
  series: DayCounters[];
}

const DAY = 86_400;

/** Every day from the first to the last any line has (days without data count zero), 400 at most. */
function daysOf(lines: readonly Line[]): string[] {
  const seen = [...new Set(lines.flatMap((l) => l.series.map((d) => d.day)))].sort();
  if (seen.length === 0) return [];
  return daysBetween(seen[0]!, seen[seen.length - 1]!, 400);
}

/** Counts are whole numbers: axis steps that never fall between them. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 1e6, 1e7];

/** One chart: a line per variation of `metric` per day. */
function Chart({
  title,
  lines,
  metric,
  rate,
}: {
  title: string;
  lines: readonly Line[];
  metric: (d: DayCounters) => number;
  rate?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  const days = daysOf(lines);
  const key = JSON.stringify([title, lines.map((l) => [l.label, l.series.map(metric)]), days]);
  useEffect(() => {
    const el = box.current;
    if (!el || days.length === 0) return;
    const x = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const ys = lines.map((l) =>
      days.map((d) => {
        const hit = l.series.find((s) => s.day === d);
        return hit ? metric(hit) : 0;
      }),
    );
    const plot = new uPlot(
      {
        width: Math.max(320, el.clientWidth || 640),
        height: 220,
        series: [
          {},
          ...lines.map((l) => ({
            label: l.label,
            stroke: l.color,
            width: 2,
            points: { show: true },
            value: (_u: uPlot, v: number | null) => (v === null ? "–" : rate ? pct(v) : String(v)),
          })),
        ],
        axes: [
          {},
          {
            values: (_u: uPlot, vals: number[]) => vals.map((v) => (rate ? pct(v) : String(v))),
            ...(rate ? {} : { incrs: COUNT_STEPS }),
          },
        ],
        scales: {
          // One day of data still gets a week-wide axis, centred on it.
          x: {
            time: true,
            ...(x.length === 1 ? { range: [x[0]! - 3 * DAY, x[0]! + 3 * DAY] as uPlot.Range.MinMax } : {}),
          },
          y: { range: (_u, _min, max) => [0, rate ? Math.max(max, 0.1) : Math.max(max, 1)] },
        },
      },
      [x, ...ys],
      el,
    );
    return () => plot.destroy();
  }, [key]);
  return (
    <figure class="chart">
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      {days.length === 0 ? (
        <p class="muted">No data yet.</p>
      ) : (
        <div ref={box} role="img" aria-label={`${title}, per day`} />
      )}
    </figure>
  );
}

function Totals({ report }: { report: Report }) {
  return (
    <table aria-label="Results per variation">
      <thead>
        <tr>
          <th scope="col">Variation</th>
          <th scope="col">Reach</th>
          <th scope="col">Conversions ({report.conversion})</th>
          <th scope="col">Conversion rate</th>
          {report.goal && <th scope="col">Goal “{report.goal}”</th>}
          {report.goal && <th scope="col">Goal rate</th>}
          <th scope="col">Lift vs control</th>
        </tr>
      </thead>
      <tbody>
        {report.variations.map((v) => (
          <tr key={v.id} data-variation={v.id}>
            <th scope="row">{v.name}</th>
            <td data-metric="reach">{v.reach}</td>
            <td data-metric="conversions">{v.conversions}</td>
            <td data-metric="conversion_rate">{pct(v.conversion_rate)}</td>
            {report.goal && <td>{v.goal_conversions}</td>}
            {report.goal && <td>{pct(v.goal_rate)}</td>}
            <td data-metric="lift">{liftText(v.lift)}</td>
          </tr>
        ))}
        {report.control && (
          <tr data-variation="control">
            <th scope="row">Control (saw nothing)</th>
            <td>{report.control.reach}</td>
            <td>—</td>
            <td>—</td>
            {report.goal && <td>{report.control.goal_conversions}</td>}
            {report.goal && <td>{pct(report.control.goal_rate)}</td>}
            <td>baseline</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

export default function ExperienceReport({ session, id }: { session: Session; id: string }) {
  useUplotStyles();
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const report = useLoad(() => getReport(session, id, range), [session, id, range.from, range.to]);
  const r = report.data;
  const lines: Line[] = r
    ? r.variations.map((v, i) => ({ label: v.name, color: COLORS[i % COLORS.length]!, series: v.series }))
    : [];
  const reachLines = r?.control
    ? [...lines, { label: "Control", color: CONTROL_COLOR, series: r.control.series }]
    : lines;
  return (
    <>
      <p>
        <a href="#experiences">← All experiences</a> · <a href={`#experiences/${encodeURIComponent(id)}`}>Edit</a>
      </p>
      <div class="title-row">
        <h1>{r ? `Report: ${r.name}` : "Report"}</h1>
        <button type="button" class="secondary" onClick={report.reload}>
          Refresh
        </button>
      </div>
      <ErrorSummary error={report.error} fields={["from", "to"]} />
      {!r && !report.error && (
        <p class="muted" role="status">
          Loading the report…
        </p>
      )}
      {r && (
        <>
          <section class="card" aria-label="Totals">
            <p class="kpis">
              <span>
                <strong data-total="reach">{r.totals.reach}</strong> reached
              </span>
              <span>
                <strong data-total="conversions">{r.totals.conversions}</strong> converted ({r.conversion})
              </span>
              <span>
                <strong data-total="conversion_rate">{pct(r.totals.conversion_rate)}</strong> conversion rate
              </span>
            </p>
            <Totals report={r} />
            {!(r.goal && r.control) && (
              <p class="muted">Lift needs a goal event and a control group: set both in the editor to measure it.</p>
            )}
          </section>
          <section class="card charts" aria-label="Over time">
            <h2>Over time</h2>
            <form class="row range" onSubmit={(e) => e.preventDefault()}>
              <Field id="report-from" label="From" path="from" error={report.error}>
                <input
                  id="report-from"
                  type="date"
                  value={range.from ?? ""}
                  onChange={(e) => setRange({ ...range, from: (e.target as HTMLInputElement).value || undefined })}
                />
              </Field>
              <Field id="report-to" label="To" path="to" error={report.error}>
                <input
                  id="report-to"
                  type="date"
                  value={range.to ?? ""}
                  onChange={(e) => setRange({ ...range, to: (e.target as HTMLInputElement).value || undefined })}
                />
              </Field>
            </form>
            <Chart title="Reach" lines={reachLines} metric={(d) => d.reach} />
            <Chart title="Conversions" lines={lines} metric={(d) => d.conversions} />
            <Chart title="Conversion rate" lines={lines} metric={(d) => d.conversion_rate} rate />
          </section>
        </>
      )}
    </>
  );
}
