import { useState } from "preact/hooks";
import type { Session } from "../../api";
import { ErrorSummary } from "../../ui/errors";
import { DataList } from "../../ui/list";
import { can } from "../../ui/role";
import { useLoad } from "../../ui/use-load";
import type { ConsoleRole } from "../types";
import { listSubscriptions, type Subscription } from "./model";

const stateOf = (s: Subscription) =>
  s.state === "active" ? "active" : s.state_reason === "paused" ? "paused" : "disabled";

/** Subscriptions with state, audiences, format and target; filter and pages. */
export function SubscriptionList({ session, role }: { session: Session; role: ConsoleRole }) {
  const subs = useLoad(() => listSubscriptions(session), [session]);
  const [state, setState] = useState("");
  const rows = (subs.data ?? []).filter((s) => !state || stateOf(s) === state);
  return (
    <>
      <h1>Webhooks</h1>
      <section class="card" aria-label="Subscriptions">
        <h2>Subscriptions</h2>
        <div class="row">
          <div>
            <label for="wh-state">State</label>
            <select id="wh-state" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
              <option value="">Any</option>
              <option value="active">Active</option>
              <option value="paused">Paused</option>
              <option value="disabled">Disabled (410 Gone)</option>
            </select>
          </div>
          {can(role, "write") && (
            <a href="#webhooks/new" style={{ flex: "0 0 auto" }}>
              New subscription
            </a>
          )}
        </div>
        <ErrorSummary error={subs.error} />
        {subs.data ? (
          <DataList<Subscription>
            label="Subscriptions"
            rows={rows}
            rowKey={(s) => s.id}
            text={(s) => `${s.name} ${s.config.webhook_url}`}
            pageSize={20}
            empty={subs.data.length ? "No subscription is in this state." : "No subscriptions yet."}
            columns={[
              { title: "Subscription", cell: (s) => <a href={`#webhooks/${s.id}`}>{s.name || s.id}</a> },
              { title: "State", cell: stateOf },
              { title: "Audiences", cell: (s) => s.segment_ids.length },
              {
                title: "Format",
                cell: (s) =>
                  `${s.config.format === "cloudevents" ? "CloudEvents" : "Lytics"}${s.config.batch ? `, batches of ${s.config.batch_size}` : ""}`,
              },
              { title: "Sends to", cell: (s) => <code>{s.config.webhook_url}</code> },
            ]}
          />
        ) : (
          <p class="muted">Loading…</p>
        )}
      </section>
    </>
  );
}
