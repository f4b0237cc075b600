import type { PageProps } from "../pages/types";
import { useState } from "preact/hooks";
import { api, type Session } from "../api";
import { Card, ErrorBox, useLoad } from "./common";

interface Segment {
  id: string;
  name: string;
  slug_name: string;
  is_public: boolean;
  kind: string;
  segment_ql: string;
  size: number;
  updated: string;
}

const EXAMPLE = `-- Visitors who came back this week
FILTER AND (
  visitct >= 2,
  last_visit > "now-7d"
)
FROM user
ALIAS returning_visitors`;

/** Audiences: list with sizes, SegmentQL editor with line/column errors, publish toggle, delete. */
export function Audiences({ session }: { session: Session }) {
  const list = useLoad(() => api<{ data: Segment[] }>(session, "GET", "/v2/segment"), [session]);
  const [text, setText] = useState(EXAMPLE);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState("");

  const save = async (e: Event) => {
    e.preventDefault();
    setNotice("");
    try {
      const res = await api<{ data: Segment; message: string }>(session, "POST", "/api/segment", text, "text/plain");
      setError(undefined);
      setNotice(`Audience ${res.data.slug_name} ${res.message}.`);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setError(undefined);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <h1>Audiences</h1>
      <Card title="Create or update an audience">
        <form onSubmit={save}>
          <label for="segql">SegmentQL (the ALIAS names the audience; saving an existing ALIAS updates it)</label>
          <textarea
            id="segql"
            value={text}
            spellcheck={false}
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          />
          <div class="row">
            <button type="submit">Save audience</button>
          </div>
        </form>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <ErrorBox error={error} />
      </Card>
      <Card title="All audiences">
        <ErrorBox error={list.error} />
        {list.data && list.data.data.length === 0 && <p class="muted">No audiences yet.</p>}
        {list.data && list.data.data.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">Audience</th>
                <th scope="col">Members</th>
                <th scope="col">Browsers see it</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((s) => (
                <tr key={s.id}>
                  <td>
                    <strong>{s.name}</strong> <span class="pill">{s.slug_name}</span>
                    {s.kind === "manual" && <span class="pill">manual</span>}
                  </td>
                  <td>{s.size}</td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Show ${s.slug_name} to browsers`}
                      checked={s.is_public}
                      onChange={() =>
                        act(() => api(session, "PUT", `/v2/segment/${s.id}`, { is_public: !s.is_public }))
                      }
                    />
                  </td>
                  <td>
                    <button type="button" class="secondary" onClick={() => setText(s.segment_ql)}>
                      Edit
                    </button>{" "}
                    <button
                      type="button"
                      class="danger"
                      onClick={() =>
                        confirm(`Delete ${s.slug_name}?`) && act(() => api(session, "DELETE", `/v2/segment/${s.id}`))
                      }
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}

/** The first console's audiences view, standing in as the Audiences page until admin/pages/audiences exists. */
export default function AudiencesPage({ session }: PageProps) {
  return <Audiences session={session} />;
}
