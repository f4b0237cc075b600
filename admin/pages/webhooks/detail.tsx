import { useCallback, useEffect, useState } from "preact/hooks";
import { api, type Session } from "../../api";
import { ErrorSummary } from "../../ui/errors";
import { useLoad } from "../../ui/use-load";
import { Card } from "../../views/common";
import { useConfirm } from "../../ui/confirm";
import { JobProgress, type JobStatus } from "../../ui/job-progress";
import { DataList } from "../../ui/list";
import { can } from "../../ui/role";
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

/** The audience events a request carries (or how many field changes). */
const events = (d: Delivery): string =>
  d.messages
    .flatMap((m) => m.segment_events.map((e) => `${e.event} ${e.slug}`))
    .slice(0, 3)
    .join(", ") || `${d.messages.length} field change${d.messages.length === 1 ? "" : "s"}`;

const latency = (d: Delivery): string => {
  const last = d.log[d.log.length - 1];
  return last ? `${last.latency_ms} ms` : "—";
};

/** A subscription: settings, state, secret rotation, pause/resume, delete, and its delivery log. */
export function SubscriptionDetail({ session, role, id }: { session: Session; role: ConsoleRole; id: string }) {
  const canWrite = can(role, "write");
  const [ask, dialog] = useConfirm();
  const sub = useLoad(() => getSubscription(session, id), [session, id]);
  const [state, setState] = useState("");
  const log = useLoad(() => deliveryLog(session, id, state), [session, id, state]);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState("");
  const [secret, setSecret] = useState("");

  // The backfill's progress, read from the subscription's status until it is done.
  const pollBackfill = useCallback(async (): Promise<JobStatus> => {
    const bf = (await getSubscription(session, id)).delivery.backfill;
    if (!bf) return { state: "done" };
    return { state: bf.state, progress: { done: bf.sent, total: bf.state === "done" ? bf.sent : null } };
  }, [session, id]);
  const backfillDone = useCallback(() => log.reload(), [log.reload]);

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
    }
  };
  const rotate = async () => {
    const yes = await ask({
      title: "Rotate the signing secret?",
      body: "The previous secret keeps signing (a second signature) for 24 hours, so receivers can switch.",
      confirm: "Rotate",
    });
    if (!yes) return;
    await act("", async () => {
      const r = await api<{ data: Subscription }>(session, "POST", `/api/subscription/${id}/secret`, {});
      setSecret(r.data.secret ?? "");
      return "Secret rotated.";
    });
  };
  const remove = async () => {
    const yes = await ask({
      title: "Delete this subscription?",
      body: "Everything queued for it is dropped; nothing more is sent.",
      confirm: "Delete",
      danger: true,
    });
    if (!yes) return;
    try {
      await api(session, "DELETE", `/api/subscription/${id}`);
      location.hash = "#webhooks";
    } catch (err) {
      setError(err);
    }
  };

  if (sub.error) return <ErrorSummary error={sub.error} />;
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
            <button type="button" class="secondary" onClick={rotate}>
              Rotate secret…
            </button>
            <button type="button" class="danger" onClick={remove}>
              Delete…
            </button>
          </div>
        )}
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <ErrorSummary error={error} />
      </Card>
      {dialog}
      {s.delivery.backfill && (
        <Card title="Backfill">
          <p class="muted">The audience's current members, each sent as an enter event.</p>
          <JobProgress label="Members sent" unit="members" poll={pollBackfill} onDone={backfillDone} />
        </Card>
      )}
      <Card title="Delivery log">
        <p>
          {counts.delivered} delivered, {counts.pending + counts.sending} waiting, {counts.dead} dead letters
          {counts.queued_messages ? `, ${counts.queued_messages} messages not yet in a request` : ""}.
        </p>
        <div class="row">
          <div>
            <label for="wh-log-state">Show</label>
            <select id="wh-log-state" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
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
        <ErrorSummary error={log.error} />
        {log.data ? (
          <DataList<Delivery>
            label="Deliveries"
            rows={rows}
            rowKey={(d) => d.id}
            text={(d) => `${d.state} ${response(d)} ${events(d)}`}
            pageSize={PAGE}
            empty="No requests yet."
            columns={[
              {
                title: "Created",
                cell: (d) => <time dateTime={d.created}>{d.created.replace("T", " ").slice(0, 19)}</time>,
              },
              { title: "Status", cell: (d) => <span class={`delivery-${d.state}`}>{d.state}</span> },
              {
                title: "Attempts",
                cell: (d) =>
                  `${d.attempts}${d.next_attempt && d.state === "pending" ? `, next ${d.next_attempt.slice(11, 19)}` : ""}`,
              },
              { title: "Latency", cell: latency },
              {
                title: "Response",
                cell: (d) => (
                  <>
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
                  </>
                ),
              },
              { title: "Messages", cell: events },
            ]}
          />
        ) : null}
      </Card>
    </>
  );
}
