import { useState } from "preact/hooks";
import { api, ApiFailure, type Session } from "../../api";
import { useLoad } from "../../ui/use-load";
import { Card } from "../../views/common";
import { SecretOnce } from "./secret";
import type { Subscription } from "./model";

/** Most messages per batch (the API's limit). */
const MAX_BATCH_SIZE = 500;

interface Audience {
  id: string;
  name: string;
  slug_name: string;
}

const list = (text: string): string[] =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** The API's field errors by top-level field (`trigger_fields.0` is `trigger_fields`). */
function byField(err: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (err instanceof ApiFailure)
    for (const e of err.errors) (out[(e.path ?? "").split(".")[0]!] ??= []).push(e.message);
  return out;
}

/** Creates a webhook subscription; shows its signing secret once. */
export function CreateSubscription({ session }: { session: Session }) {
  const audiences = useLoad(
    () => api<{ data: Audience[] }>(session, "GET", "/v2/segment").then((r) => r.data),
    [session],
  );
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [segments, setSegments] = useState<string[]>([]);
  const [format, setFormat] = useState<"lytics" | "cloudevents">("lytics");
  const [batch, setBatch] = useState(false);
  const [batchSize, setBatchSize] = useState("10");
  const [triggerFields, setTriggerFields] = useState("");
  const [events, setEvents] = useState<("enter" | "exit")[]>(["enter", "exit"]);
  const [backfill, setBackfill] = useState(false);
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<Subscription | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const res = await api<{ data: Subscription }>(session, "POST", "/api/subscription", {
        channel: "webhook",
        name: name.trim(),
        webhook_url: url.trim(),
        segment_ids: segments,
        format,
        batch,
        ...(batch ? { batch_size: Number(batchSize) } : {}),
        ...(list(triggerFields).length ? { trigger_fields: list(triggerFields) } : {}),
        trigger_events: events,
        withbackfill: backfill,
      });
      setError(undefined);
      setCreated(res.data);
    } catch (err) {
      setError(err);
    }
  };

  if (created)
    return (
      <>
        <h1>Subscription {created.name || created.id} created</h1>
        {created.secret && <SecretOnce secret={created.secret} title="Signing secret" />}
        <p>
          <a href={`#webhooks/${created.id}`}>Open the subscription and its delivery log</a>
        </p>
      </>
    );

  const errs = byField(error);
  const err = (key: string) =>
    errs[key] ? (
      <p id={`wh-${key}-error`} class="error" role="alert">
        {errs[key]!.join("; ")}
      </p>
    ) : null;
  const described = (key: string) => (errs[key] ? { "aria-describedby": `wh-${key}-error`, "aria-invalid": true } : {});
  const placed = new Set([
    "name",
    "webhook_url",
    "segment_ids",
    "format",
    "batch_size",
    "trigger_fields",
    "trigger_events",
  ]);
  const other =
    error instanceof ApiFailure ? error.errors.filter((e) => !placed.has((e.path ?? "").split(".")[0]!)) : [];

  return (
    <>
      <p>
        <a href="#webhooks">← All subscriptions</a>
      </p>
      <h1>New webhook subscription</h1>
      <form onSubmit={submit}>
        <Card title="Where and what">
          <label for="wh-name">Name</label>
          <input id="wh-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          {err("name")}
          <label for="wh-url">Webhook URL</label>
          <input
            id="wh-url"
            type="url"
            required
            placeholder="https://example.com/hooks/pathlight"
            value={url}
            onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
            {...described("webhook_url")}
          />
          {err("webhook_url")}
          <fieldset style={{ border: 0, padding: 0, margin: "0.75rem 0 0" }} {...described("segment_ids")}>
            <legend>
              <strong>Audiences</strong> (members entering or leaving them are sent)
            </legend>
            {audiences.data?.length === 0 && <p class="muted">No audiences yet: create one first.</p>}
            {(audiences.data ?? []).map((a) => (
              <label key={a.id} style={{ display: "inline-block", marginRight: "1rem", fontWeight: 400 }}>
                <input
                  type="checkbox"
                  style={{ width: "auto" }}
                  checked={segments.includes(a.id)}
                  onChange={() =>
                    setSegments(segments.includes(a.id) ? segments.filter((s) => s !== a.id) : [...segments, a.id])
                  }
                />{" "}
                {a.name} <span class="pill">{a.slug_name}</span>
              </label>
            ))}
          </fieldset>
          {err("segment_ids")}
          <fieldset style={{ border: 0, padding: 0, margin: "0.75rem 0 0" }}>
            <legend>
              <strong>Send</strong>
            </legend>
            {(["enter", "exit"] as const).map((ev) => (
              <label key={ev} style={{ display: "inline-block", marginRight: "1rem", fontWeight: 400 }}>
                <input
                  type="checkbox"
                  style={{ width: "auto" }}
                  checked={events.includes(ev)}
                  onChange={() => setEvents(events.includes(ev) ? events.filter((x) => x !== ev) : [...events, ev])}
                />{" "}
                {ev === "enter" ? "entering" : "leaving"}
              </label>
            ))}
          </fieldset>
          {err("trigger_events")}
          <label for="wh-triggers">Also send when these fields change (comma-separated, optional)</label>
          <input
            id="wh-triggers"
            placeholder="email, plan"
            value={triggerFields}
            onInput={(e) => setTriggerFields((e.target as HTMLInputElement).value)}
            {...described("trigger_fields")}
          />
          {err("trigger_fields")}
        </Card>
        <Card title="How">
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend>
              <strong>Format</strong>
            </legend>
            <label style={{ fontWeight: 400 }}>
              <input
                type="radio"
                name="wh-format"
                style={{ width: "auto" }}
                checked={format === "lytics"}
                onChange={() => setFormat("lytics")}
              />{" "}
              Lytics (the profile with its audience events)
            </label>
            <label style={{ fontWeight: 400 }}>
              <input
                type="radio"
                name="wh-format"
                style={{ width: "auto" }}
                checked={format === "cloudevents"}
                onChange={() => setFormat("cloudevents")}
              />{" "}
              CloudEvents 1.0 (structured mode)
            </label>
          </fieldset>
          {err("format")}
          <label style={{ fontWeight: 400 }}>
            <input type="checkbox" style={{ width: "auto" }} checked={batch} onChange={() => setBatch(!batch)} /> Send
            in batches (an array at least every second)
          </label>
          {batch && (
            <>
              <label for="wh-batch">Messages per batch (1–{MAX_BATCH_SIZE})</label>
              <input
                id="wh-batch"
                type="number"
                min={1}
                max={MAX_BATCH_SIZE}
                value={batchSize}
                onInput={(e) => setBatchSize((e.target as HTMLInputElement).value)}
                {...described("batch_size")}
              />
              {err("batch_size")}
            </>
          )}
          <label style={{ fontWeight: 400 }}>
            <input
              type="checkbox"
              style={{ width: "auto" }}
              checked={backfill}
              onChange={() => setBackfill(!backfill)}
            />{" "}
            Send every current member first (backfill; one audience only)
          </label>
          <div class="row" style={{ justifyContent: "flex-start", marginTop: "0.75rem" }}>
            <button type="submit">Create subscription</button>
          </div>
          {error ? (
            <div class="error" role="alert">
              <strong>{error instanceof ApiFailure ? `${error.status}: ${error.message}` : String(error)}</strong>
              {other.length > 0 && (
                <ul>
                  {other.map((e, i) => (
                    <li key={i}>
                      {e.path ? <code>{e.path}</code> : null} {e.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ) : null}
        </Card>
      </form>
    </>
  );
}
