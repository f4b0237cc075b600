import { useState } from "preact/hooks";
import type { Session } from "../../api";
import { Card, ErrorBox, useLoad } from "../../views/common";
import { Pager, pageOf } from "../audiences/pager";
import type { ConsoleRole } from "../types";
import { listSubscriptions } from "./model";

const PAGE = 20;

/** Subscriptions with state, audiences, format and target; filter and pages. */
export function SubscriptionList({ session, role }: { session: Session; role: ConsoleRole }) {
  const subs = useLoad(() => listSubscriptions(session), [session]);
  const [query, setQuery] = useState("");
  const [state, setState] = useState("");
  const [page, setPage] = useState(0);
  const q = query.trim().toLowerCase();
  const shown = (subs.data ?? []).filter(
    (s) =>
      (!q || s.name.toLowerCase().includes(q) || s.config.webhook_url.toLowerCase().includes(q)) &&
      (!state || s.state === state),
  );
  return (
    <>
      <h1>Webhooks</h1>
      <Card title="Subscriptions">
        <div class="row">
          <div>
            <label for="wh-q">Filter by name or URL</label>
            <input
              id="wh-q"
              type="search"
              value={query}
              onInput={(e) => {
                setQuery((e.target as HTMLInputElement).value);
                setPage(0);
              }}
            />
          </div>
          <div>
            <label for="wh-state">State</label>
            <select
              id="wh-state"
              value={state}
              onChange={(e) => {
                setState((e.target as HTMLSelectElement).value);
                setPage(0);
              }}
            >
              <option value="">Any</option>
              <option value="active">Active</option>
              <option value="disabled">Paused or disabled</option>
            </select>
          </div>
          {role !== "reader" && (
            <a href="#webhooks/new" style={{ flex: "0 0 auto" }}>
              New subscription
            </a>
          )}
        </div>
        <ErrorBox error={subs.error} />
        {subs.data && shown.length === 0 && (
          <p class="muted">{subs.data.length ? "No subscription matches the filter." : "No subscriptions yet."}</p>
        )}
        {shown.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">Subscription</th>
                <th scope="col">State</th>
                <th scope="col">Audiences</th>
                <th scope="col">Format</th>
                <th scope="col">Sends to</th>
              </tr>
            </thead>
            <tbody>
              {pageOf(shown, page, PAGE).map((s) => (
                <tr key={s.id}>
                  <td>
                    <a href={`#webhooks/${s.id}`}>{s.name || s.id}</a>
                  </td>
                  <td>{s.state === "active" ? "active" : s.state_reason === "paused" ? "paused" : "disabled"}</td>
                  <td>{s.segment_ids.length}</td>
                  <td>
                    {s.config.format === "cloudevents" ? "CloudEvents" : "Lytics"}
                    {s.config.batch ? `, batches of ${s.config.batch_size}` : ""}
                  </td>
                  <td>
                    <code>{s.config.webhook_url}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager label="Subscription pages" page={page} total={shown.length} size={PAGE} onPage={setPage} />
      </Card>
    </>
  );
}
