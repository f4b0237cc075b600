/**
 * Experiences page: `#experiences` lists them, `#experiences/new` and
 * `#experiences/<id>` edit one, `#experiences/<id>/report` shows its report
 * (whose code, with uPlot, loads only when a report is opened).
 */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Session } from "../../api";
import type { PageProps } from "../types";
import { Editor } from "./editor";
import { ExperienceList } from "./list";

type ReportPage = ComponentType<{ session: Session; id: string }>;

function LazyReport({ session, id }: { session: Session; id: string }) {
  const [Page, setPage] = useState<ReportPage | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    import("./report").then(
      (m) => setPage(() => m.default),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);
  if (error)
    return (
      <p class="error" role="alert">
        The report could not load: {error}
      </p>
    );
  if (!Page)
    return (
      <p class="muted" role="status">
        Loading the report…
      </p>
    );
  return <Page session={session} id={id} />;
}

export default function ExperiencesPage({ session, role, path }: PageProps) {
  const [first, second] = path;
  if (!first) return <ExperienceList session={session} role={role} />;
  if (second === "report") return <LazyReport session={session} id={first} />;
  return <Editor key={first} session={session} role={role} id={first === "new" ? null : first} />;
}
