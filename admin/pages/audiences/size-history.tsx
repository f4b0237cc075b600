import { api, type Session } from "../../api";
import { ErrorSummary } from "../../ui/errors";
import { useLoad } from "../../ui/use-load";
import { Card } from "../../views/common";
import type { Audience } from "./model";

interface Point {
  day: string;
  size: number | null;
}

const W = 600;
const H = 120;

/** The audience's size at the end of each of the last 30 days: a line, and the figures in a table. */
export function SizeHistory({ session, audience }: { session: Session; audience: Audience }) {
  const history = useLoad(
    () => api<{ data: Point[] }>(session, "GET", `/v2/segment/${audience.id}/size-history?days=30`).then((r) => r.data),
    [session, audience.id, audience.updated],
  );
  const points = history.data ?? [];
  const known = points.filter((p): p is { day: string; size: number } => p.size !== null);
  const max = Math.max(1, ...known.map((p) => p.size));
  const x = (i: number) => (points.length > 1 ? (i / (points.length - 1)) * W : W / 2);
  const y = (n: number) => H - (n / max) * (H - 10) - 5;
  const line = points
    .map((p, i) => (p.size === null ? null : `${x(i).toFixed(1)},${y(p.size).toFixed(1)}`))
    .filter((s) => s !== null)
    .join(" ");
  return (
    <Card title="Size over time">
      <ErrorSummary error={history.error} />
      {history.data && known.length === 0 && <p class="muted">No size recorded yet.</p>}
      {known.length > 0 && (
        <>
          <svg
            viewBox={`0 0 ${W} ${H}`}
            width="100%"
            height={H}
            role="img"
            aria-label={`Members per day from ${points[0]!.day} to ${points[points.length - 1]!.day}: ${known[0]!.size} to ${known[known.length - 1]!.size}, at most ${max}`}
            preserveAspectRatio="none"
          >
            <line x1="0" y1={H - 5} x2={W} y2={H - 5} stroke="#dde1e6" />
            <polyline points={line} fill="none" stroke="#2457c5" stroke-width="2" />
          </svg>
          <details>
            <summary>Figures</summary>
            <table>
              <thead>
                <tr>
                  <th scope="col">Day (UTC)</th>
                  <th scope="col">Members</th>
                </tr>
              </thead>
              <tbody>
                {points
                  .filter((p) => p.size !== null)
                  .map((p) => (
                    <tr key={p.day}>
                      <td>{p.day}</td>
                      <td>{p.size}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </Card>
  );
}
