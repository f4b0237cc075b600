import { useState } from "preact/hooks";
import { api, type Session } from "../../api";
import { Card } from "../../ui/card";
import { useConfirm } from "../../ui/confirm";
import { ErrorSummary, Field } from "../../ui/errors";
import { DataList } from "../../ui/list";
import { useLoad } from "../../ui/use-load";
import { copyText, entries } from "./text";

interface Token {
  id: string;
  name: string;
  role: string;
  attributes: string[] | null;
  expires: string | null;
  created: string;
}

const FIELDS = ["name", "role", "attributes", "expires"] as const;

/** API tokens (admin): create with role, attribute limit and expiry; the secret shown once; revoke. */
export function Tokens({ session }: { session: Session }) {
  const list = useLoad(() => api<{ data: Token[] }>(session, "GET", "/api/token"), [session]);
  const [name, setName] = useState("");
  const [role, setRole] = useState("reader");
  const [attributes, setAttributes] = useState("");
  const [expires, setExpires] = useState("");
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState("");
  const [error, setError] = useState<unknown>();
  const [ask, dialog] = useConfirm();
  const create = async (e: Event) => {
    e.preventDefault();
    try {
      const body: Record<string, unknown> = { name: name.trim(), role };
      const attrs = entries(attributes);
      if (attrs.length) body.attributes = attrs;
      // The date input gives a day: the token lasts until the end of it, UTC.
      if (expires) body.expires = `${expires}T23:59:59Z`;
      const res = await api<{ data: { token: string; name: string } }>(session, "POST", "/api/token", body);
      setSecret({ name: res.data.name, token: res.data.token });
      setCopied("");
      setError(undefined);
      setName("");
      setAttributes("");
      setExpires("");
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (t: Token) => {
    const ok = await ask({
      title: `Revoke “${t.name}”?`,
      body: <p>Anything using this token stops working at once.</p>,
      confirm: "Revoke",
      danger: true,
    });
    if (!ok) return;
    try {
      await api(session, "DELETE", `/api/token/${encodeURIComponent(t.id)}`);
      setError(undefined);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Card title="API tokens">
      <form onSubmit={create} aria-label="New token">
        <div class="row">
          <Field id="tok-name" path="name" label="Name" error={error}>
            <input id="tok-name" value={name} required onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </Field>
          <Field id="tok-role" path="role" label="Role" error={error}>
            <select id="tok-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
              <option value="reader">reader — read profiles and audiences</option>
              <option value="data_manager">data_manager — also send data and edit audiences</option>
              <option value="admin">admin — everything</option>
            </select>
          </Field>
        </div>
        <div class="row">
          <Field
            id="tok-attrs"
            path="attributes"
            label="Limit to attributes (optional)"
            hint="Profile fields the token may read, comma-separated; empty means all."
            error={error}
          >
            <input
              id="tok-attrs"
              value={attributes}
              onInput={(e) => setAttributes((e.target as HTMLInputElement).value)}
            />
          </Field>
          <Field
            id="tok-expires"
            path="expires"
            label="Expires (optional)"
            hint="The token stops working after this day (UTC)."
            error={error}
          >
            <input
              id="tok-expires"
              type="date"
              value={expires}
              onInput={(e) => setExpires((e.target as HTMLInputElement).value)}
            />
          </Field>
        </div>
        <button type="submit">Create token</button>
      </form>
      {secret && (
        <div class="secret" role="status">
          <p>
            Token <strong>{secret.name}</strong> created. Copy it now: it is not shown again.
          </p>
          <div class="row">
            <input
              aria-label="New token secret"
              readOnly
              value={secret.token}
              onFocus={(e) => (e.target as HTMLInputElement).select()}
            />
            <button
              type="button"
              class="secondary"
              onClick={async () =>
                setCopied((await copyText(secret.token)) ? "Copied." : "Select the text and copy it.")
              }
            >
              Copy
            </button>
            <button type="button" class="secondary" onClick={() => setSecret(null)}>
              Done
            </button>
          </div>
          {copied && <p class="muted">{copied}</p>}
        </div>
      )}
      <ErrorSummary error={error} fields={FIELDS} />
      <ErrorSummary error={list.error} />
      {list.data && (
        <DataList
          label="Tokens"
          rows={list.data.data}
          rowKey={(t) => t.id}
          text={(t) => `${t.name} ${t.role} ${(t.attributes ?? []).join(" ")}`}
          empty="No tokens yet."
          columns={[
            { title: "Name", cell: (t) => t.name },
            { title: "Role", cell: (t) => t.role },
            { title: "Attributes", cell: (t) => (t.attributes ? t.attributes.join(", ") : "all") },
            { title: "Expires", cell: (t) => (t.expires ? new Date(t.expires).toLocaleDateString() : "never") },
            { title: "Created", cell: (t) => new Date(t.created).toLocaleString() },
            {
              title: "Actions",
              cell: (t) => (
                <button type="button" class="danger" aria-label={`Revoke ${t.name}`} onClick={() => revoke(t)}>
                  Revoke…
                </button>
              ),
            },
          ]}
        />
      )}
      {dialog}
    </Card>
  );
}
