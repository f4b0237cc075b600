import { useState } from "preact/hooks";
import { api, ApiFailure, type Session } from "../../api";
import { ErrorSummary } from "../../ui/errors";
import { can } from "../../ui/role";
import { useLoad } from "../../ui/use-load";
import { Card } from "../../views/common";
import type { ConsoleRole } from "../types";

/** A document as `/api/content/doc` answers it. */
interface ContentDoc {
  url: string;
  title?: string;
  description?: string;
  topics: Record<string, number>;
  manual_topics: boolean;
  views: number;
  unique_visitors: number;
  source: "api" | "import" | "discovery";
  updated: string;
}

interface Page {
  data: ContentDoc[];
  total: number;
  next: number | null;
}

const PAGE = 25;

/** A SegmentQL string literal. */
const quote = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** The document page's query string: text search, topic filter, offset. */
function queryOf(q: string, topic: string, offset: number): string {
  const p = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  if (q.trim()) p.set("q", q.trim());
  if (topic.trim()) p.set("filter", `FILTER topics INTERSECTS (${quote(topic.trim().toLowerCase())}) FROM content`);
  return p.toString();
}

/** Documents with their topics: search, filter by topic, pages; edit topics. */
export function DocumentList({ session, role }: { session: Session; role: ConsoleRole }) {
  const [q, setQ] = useState("");
  const [topic, setTopic] = useState("");
  const [asked, setAsked] = useState({ q: "", topic: "", offset: 0 });
  const docs = useLoad(
    () => api<Page>(session, "GET", `/api/content/doc?${queryOf(asked.q, asked.topic, asked.offset)}`),
    [session, asked],
  );
  const [editing, setEditing] = useState<string | null>(null);
  const search = (e: Event) => {
    e.preventDefault();
    setAsked({ q, topic, offset: 0 });
  };
  const total = docs.data?.total ?? 0;
  return (
    <Card title="Documents">
      <form class="row" onSubmit={search}>
        <div>
          <label for="doc-q">Search (URL, title, description)</label>
          <input id="doc-q" type="search" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="doc-topic">Topic</label>
          <input id="doc-topic" value={topic} onInput={(e) => setTopic((e.target as HTMLInputElement).value)} />
        </div>
        <button type="submit">Search</button>
      </form>
      <ErrorSummary error={docs.error} />
      {docs.data && docs.data.data.length === 0 && (
        <p class="muted">
          {asked.q || asked.topic
            ? "No document matches."
            : "No documents yet: the tag discovers them from page views."}
        </p>
      )}
      {docs.data && docs.data.data.length > 0 && (
        <table aria-label="Documents">
          <thead>
            <tr>
              <th scope="col">Document</th>
              <th scope="col">Topics</th>
              <th scope="col">Views</th>
              <th scope="col">Visitors</th>
            </tr>
          </thead>
          <tbody>
            {docs.data.data.map((d) => (
              <tr key={d.url}>
                <td>
                  <strong>{d.title ?? d.url}</strong>
                  <div class="muted">
                    <code>{d.url}</code> · {d.source}
                  </div>
                </td>
                <td>
                  {editing === d.url ? (
                    <TopicEditor
                      session={session}
                      doc={d}
                      onDone={(changed) => {
                        setEditing(null);
                        if (changed) docs.reload();
                      }}
                    />
                  ) : (
                    <>
                      {Object.entries(d.topics)
                        .sort((a, b) => b[1] - a[1])
                        .map(([t, w]) => (
                          <span key={t} class="pill" title={`weight ${w}`}>
                            {t} {w.toFixed(2)}
                          </span>
                        ))}
                      {d.manual_topics && <span class="muted"> (set by hand)</span>}
                      {can(role, "write") && (
                        <div>
                          <button
                            type="button"
                            class="secondary"
                            aria-label={`Edit topics of ${d.title ?? d.url}`}
                            onClick={() => setEditing(d.url)}
                          >
                            Edit topics
                          </button>
                        </div>
                      )}
                    </>
                  )}
                </td>
                <td>{d.views}</td>
                <td>{d.unique_visitors}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {total > PAGE && (
        <nav aria-label="Document pages" class="row" style={{ marginTop: "0.75rem", alignItems: "center" }}>
          <button
            type="button"
            class="secondary"
            disabled={asked.offset === 0}
            onClick={() => setAsked({ ...asked, offset: Math.max(0, asked.offset - PAGE) })}
          >
            Previous
          </button>
          <span class="muted" style={{ flex: "0 0 auto" }}>
            {asked.offset + 1}–{Math.min(total, asked.offset + PAGE)} of {total}
          </span>
          <button
            type="button"
            class="secondary"
            disabled={docs.data?.next == null}
            onClick={() => setAsked({ ...asked, offset: docs.data?.next ?? asked.offset })}
          >
            Next
          </button>
        </nav>
      )}
    </Card>
  );
}

/** Sets a document's topics by hand (comma-separated), or returns it to extracted topics. */
function TopicEditor({
  session,
  doc,
  onDone,
}: {
  session: Session;
  doc: ContentDoc;
  onDone: (changed: boolean) => void;
}) {
  const [text, setText] = useState(Object.keys(doc.topics).join(", "));
  const [error, setError] = useState<unknown>();
  const save = async (topics: string[] | null) => {
    try {
      await api(session, "PATCH", "/api/content/doc", { url: doc.url, topics });
      onDone(true);
    } catch (err) {
      setError(err);
    }
  };
  const fieldErrors = error instanceof ApiFailure ? error.errors.filter((e) => e.path?.includes("topics")) : [];
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save(
          text
            .split(",")
            .map((t) => t.trim())
            .filter((t) => t !== ""),
        );
      }}
    >
      <label for="topic-edit">Topics (comma-separated)</label>
      <input
        id="topic-edit"
        value={text}
        aria-invalid={fieldErrors.length > 0}
        aria-describedby={error ? "topic-edit-error" : undefined}
        onInput={(e) => setText((e.target as HTMLInputElement).value)}
      />
      {error ? (
        <p id="topic-edit-error" class="error" role="alert">
          {fieldErrors.length
            ? fieldErrors.map((e) => e.message).join("; ")
            : error instanceof Error
              ? error.message
              : String(error)}
        </p>
      ) : null}
      <div class="row" style={{ justifyContent: "flex-start" }}>
        <button type="submit">Save topics</button>
        {doc.manual_topics && (
          <button type="button" class="secondary" onClick={() => save(null)}>
            Use extracted topics
          </button>
        )}
        <button type="button" class="secondary" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
