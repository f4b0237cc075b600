import { useEffect, useState } from "preact/hooks";
import { api, type Session } from "../../api";
import { Card, ErrorBox, useLoad } from "../../views/common";
import { Pager, pageOf } from "../audiences/pager";
import type { ConsoleRole } from "../types";
import { type Delivery, deliveryLog, getSubscription, type Subscription } from "./model";
import { SecretOnce } from "./secret";

/** How often the open delivery log refreshes itself. */
const REFRESH_MS = 5_000;
const PAGE = 25;

/** What the receiver answered last, in words. */
function response(d: Delivery): string {
  if (d.last_status !== null) return `HTTP ${d.last_status}${d.last_error ? ` (${d.last_error})` : ""}`;
  if (d.last_error) return d.last_error;
  return d.state === "pending" ? "not sent yet" : "—";
}

const latency = (d: Delivery): string => {
  const last = d.log[d.log.length - 1];
  return last ? `${last.latency_ms} ms` : "—";
};

/** A subscription: settings, state, secret rotation, pause/resume, delete, and its delivery log. */
export function SubscriptionDetail({ session, role, id }: { session: Session; role: ConsoleRole; id: string }) {
  const canWrite = role !== "reader";
  const sub = useLoad(() => getSubscription(session, id), [session, id]);
  const [state, setState] = useState("");
  const log = useLoad(() => deliveryLog(session, id, state), [session, id, state]);
  const [page, setPage] = useState(0);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState("");
  const [secret, setSecret] = useState("");
  const [confirming, setConfirming] = useState<"" | "rotate" | "delete">("");

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") log.reload();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [log.reload]);

  const act = async (what: string, fn: () => Promise<unknown>) => {
    setNotice("");
    try {
      const said = await fn();
      setError(undefined);
      setNotice(typeof said === "string" && said ? said : what);
      sub.reload();
      log.reload();
    } catch (err) {
      setError(err);
    } finally {
      setConfirming("");
    }
  };

  if (sub.error) return <ErrorBox error={sub.error} />;
  const s = sub.data;
  if (!s) return <p class="loading">Loading the subscription…</p>;
  const paused = s.state === "disabled" && s.state_reason === "paused";
  const counts = log.data?.counts ?? s.delivery.counts;
  const rows = log.data?.deliveries ?? [];

  return (
    <>
      <p>
        <a href="#webhooks">← All subscriptions</a>
      </p>
      <h1>Subscription {s.name || s.id}</h1>
      {secret && <SecretOnce secret={secret} title="New signing secret" />}
      <Card title="Settings">
        <dl class="facts">
          <dt>State</dt>
          <dd>
            <strong>{s.state === "active" ? "active" : paused ? "paused" : "disabled"}</strong>
            {s.state_reason && !paused ? ` — ${s.state_reason}` : ""}
          </dd>
          <dt>Sends to</dt>
          <dd>
            <code>{s.config.webhook_url}</code>
          </dd>
          <dt>Format</dt>
          <dd>
            {s.config.format === "cloudevents" ? "CloudEvents 1.0" : "Lytics"}
            {s.config.batch ? `, batches of up to ${s.config.batch_size}` : ", one message per request"}
          </dd>
          <dt>Sends</dt>
          <dd>
            {(s.config.trigger_events ?? ["enter", "exit"]).join(" and ")}
            {s.config.trigger_fields?.length ? `; changes of ${s.config.trigger_fields.join(", ")}` : ""}
          </dd>
          <dt>Audiences</dt>
          <dd>{s.segment_ids.length}</dd>
        </dl>
        {canWrite && (
          <div class="row" style={{ justifyContent: "flex-start" }}>
            {s.state === "active" ? (
              <button
                type="button"
                class="secondary"
                onClick={() => act("Paused.", () => api(session, "POST", `/api/subscription/${id}/pause`))}
              >
                Pause
              </button>
            ) : (
              <button
                type="button"
                class="secondary"
                onClick={() => act("Resumed.", () => api(session, "POST", `/api/subscription/${id}/resume`))}
              >
                Resume
              </button>
            )}
            <button type="button" class="secondary" onClick={() => setConfirming("rotate")}>
              Rotate secret…
            </button>
            <button type="button" class="danger" onClick={() => setConfirming("delete")}>
              Delete…
            </button>
          </div>
        )}
        {confirming === "rotate" && (
          <div role="alertdialog" aria-label="Confirm rotation" class="error">
            <p>Rotate the signing secret? The previous one keeps signing (a second signature) for 24 hours.</p>
            <button
              type="button"
              onClick={() =>
                act("", async () => {
                  const r = await api<{ data: Subscription }>(session, "POST", `/api/subscription/${id}/secret`, {});
                  setSecret(r.data.secret ?? "");
                  return "Secret rotated.";
                })
              }
            >
              Rotate
            </button>{" "}
            <button type="button" class="secondary" onClick={() => setConfirming("")}>
              Cancel
            </button>
          </div>
        )}
        {confirming === "delete" && (
          <div role="alertdialog" aria-label="Confirm delete" class="error">
            <p>Delete this subscription and everything queued for it?</p>
            <button
              type="button"
              class="danger"
              onClick={async () => {
                try {
                  await api(session, "DELETE", `/api/subscription/${id}`);
                  location.hash = "#webhooks";
                } catch (err) {
                  setError(err);
                  setConfirming("");
                }
              }}
            >
              Delete subscription
            </button>{" "}
            <button type="button" class="secondary" onClick={() => setConfirming("")}>
              Cancel
            </button>
          </div>
        )}
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <ErrorBox error={error} />
      </Card>
      <Card title="Delivery log">
        <p>
          {counts.delivered} delivered, {counts.pending + counts.sending} waiting, {counts.dead} dead letters
          {counts.queued_messages ? `, ${counts.queued_messages} messages not yet in a request` : ""}.
        </p>
        <div class="row">
          <div>
            <label for="wh-log-state">Show</label>
            <select
              id="wh-log-state"
              value={state}
              onChange={(e) => {
                setState((e.target as HTMLSelectElement).value);
                setPage(0);
              }}
            >
              <option value="">All requests</option>
              <option value="delivered">Delivered</option>
              <option value="pending">Waiting to retry</option>
              <option value="dead">Dead letters</option>
            </select>
          </div>
          <button type="button" class="secondary" onClick={log.reload}>
            Refresh
          </button>
          {canWrite && counts.dead > 0 && (
            <button
              type="button"
              onClick={() =>
                act("", async () => {
                  const r = await api<{ data: { replayed: number } }>(
                    session,
                    "POST",
                    `/api/subscription/${id}/replay`,
                    {},
                  );
                  return `${r.data.replayed} dead letter${r.data.replayed === 1 ? "" : "s"} queued again.`;
                })
              }
            >
              Replay {counts.dead} dead letter{counts.dead === 1 ? "" : "s"}
            </button>
          )}
        </div>
        <ErrorBox error={log.error} />
        {log.data && rows.length === 0 && <p class="muted">No requests yet.</p>}
        {rows.length > 0 && (
          <table aria-label="Deliveries">
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Latency</th>
                <th scope="col">Response</th>
                <th scope="col">Messages</th>
              </tr>
            </thead>
            <tbody>
              {pageOf(rows, page, PAGE).map((d) => (
                <tr key={d.id} class={`delivery delivery-${d.state}`}>
                  <td>
                    <time dateTime={d.created}>{d.created.replace("T", " ").slice(0, 19)}</time>
                  </td>
                  <td>{d.state}</td>
                  <td>
                    {d.attempts}
                    {d.next_attempt && d.state === "pending" ? `, next ${d.next_attempt.slice(11, 19)}` : ""}
                  </td>
                  <td>{latency(d)}</td>
                  <td>
                    {response(d)}
                    {d.log.length > 1 && (
                      <details>
                        <summary>Every attempt</summary>
                        <ol>
                          {d.log.map((a) => (
                            <li key={a.attempt}>
                              {a.at.slice(11, 19)}: {a.status === null ? "no answer" : `HTTP ${a.status}`},{" "}
                              {a.latency_ms} ms{a.error ? ` — ${a.error}` : ""}
                            </li>
                          ))}
                        </ol>
                      </details>
                    )}
                  </td>
                  <td>
                    {d.messages
                      .flatMap((m) => m.segment_events.map((e) => `${e.event} ${e.slug}`))
                      .slice(0, 3)
                      .join(", ") || `${d.messages.length} field change${d.messages.length === 1 ? "" : "s"}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager label="Delivery log pages" page={page} total={rows.length} size={PAGE} onPage={setPage} />
      </Card>
    </>
  );
}
