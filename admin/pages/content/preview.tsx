import { useState } from "preact/hooks";
import { api, type Session } from "../../api";
import { ErrorSummary } from "../../ui/errors";
import { Card } from "../../views/common";

interface Explained {
  url: string;
  title?: string;
  confidence: number;
  visited: boolean;
  rank: string;
  unique_visitors: number;
  views: number;
  topics: { topic: string; weight: number; affinity: number; contribution: number }[];
  reasons: string[];
}

interface Explanation {
  visitor: {
    found: boolean;
    profile_id: string | null;
    affinities: { topic: string; affinity: number }[];
    visited: number;
  };
  rank: string;
  rank_used: string;
  items: Explained[];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The recommendations a chosen visitor gets, and why each one ranked. */
export function RecommendationPreview({ session, initial }: { session: Session; initial: string }) {
  const [field, setField] = useState("_uid");
  const [value, setValue] = useState(initial);
  const [rank, setRank] = useState("affinity");
  const [visited, setVisited] = useState(false);
  const [result, setResult] = useState<Explanation>();
  const [error, setError] = useState<unknown>();
  const run = async (e: Event) => {
    e.preventDefault();
    try {
      const q = new URLSearchParams({ rank, limit: "10", visited: String(visited) });
      const res = await api<{ data: Explanation }>(
        session,
        "GET",
        `/api/content/explain/user/${encodeURIComponent(field)}/${encodeURIComponent(value.trim())}?${q}`,
      );
      setResult(res.data);
      setError(undefined);
    } catch (err) {
      setError(err);
      setResult(undefined);
    }
  };
  return (
    <>
      <Card title="Choose a visitor">
        <form class="row" onSubmit={run}>
          <div>
            <label for="rec-field">Identifier</label>
            <select id="rec-field" value={field} onChange={(e) => setField((e.target as HTMLSelectElement).value)}>
              <option value="_uid">Cookie id (_uid)</option>
              <option value="email">Email</option>
              <option value="user_id">User id</option>
            </select>
          </div>
          <div>
            <label for="rec-value">Value</label>
            <input
              id="rec-value"
              required
              value={value}
              onInput={(e) => setValue((e.target as HTMLInputElement).value)}
            />
          </div>
          <div>
            <label for="rec-rank">Rank by</label>
            <select id="rec-rank" value={rank} onChange={(e) => setRank((e.target as HTMLSelectElement).value)}>
              <option value="affinity">Topic affinity</option>
              <option value="popular">Popularity</option>
              <option value="recent">Recency</option>
            </select>
          </div>
          <label style={{ flex: "0 0 auto", fontWeight: 400 }}>
            <input type="checkbox" style={{ width: "auto" }} checked={visited} onChange={() => setVisited(!visited)} />{" "}
            Include what they read
          </label>
          <button type="submit">Preview</button>
        </form>
        <ErrorSummary error={error} />
      </Card>
      {result && (
        <Card title="Recommendations">
          <p>
            {result.visitor.found
              ? `Visitor found: ${result.visitor.visited} documents read; interests: ${
                  result.visitor.affinities
                    .slice(0, 5)
                    .map((a) => `${a.topic} ${pct(a.affinity)}`)
                    .join(", ") || "none yet"
                }.`
              : "No profile with this identifier: an unknown visitor's ranking is shown."}
            {result.rank_used !== result.rank
              ? ` Ranked by ${result.rank_used} (no interests to rank by ${result.rank}).`
              : ""}
          </p>
          {result.items.length === 0 && <p class="muted">Nothing to recommend (no documents, or all read).</p>}
          <ol class="recommendations">
            {result.items.map((item) => (
              <li key={item.url} style={{ marginBottom: "0.75rem" }}>
                <strong>{item.title ?? item.url}</strong> <span class="pill">score {item.confidence.toFixed(2)}</span>
                <div class="muted">
                  <code>{item.url}</code>
                </div>
                <ul class="reasons">
                  {item.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
                {item.rank === "affinity" && item.topics.some((t) => t.contribution > 0) && (
                  <table aria-label={`Topic shares of ${item.title ?? item.url}`}>
                    <thead>
                      <tr>
                        <th scope="col">Topic</th>
                        <th scope="col">Weight in document</th>
                        <th scope="col">Visitor's affinity</th>
                        <th scope="col">Adds to score</th>
                      </tr>
                    </thead>
                    <tbody>
                      {item.topics.map((t) => (
                        <tr key={t.topic}>
                          <td>{t.topic}</td>
                          <td>{pct(t.weight)}</td>
                          <td>{pct(t.affinity)}</td>
                          <td>{t.contribution.toFixed(3)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </li>
            ))}
          </ol>
        </Card>
      )}
    </>
  );
}
