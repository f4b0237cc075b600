import { useState } from "preact/hooks";
import { api, type Session } from "../../api";
import { Card, ErrorBox, useLoad } from "../../views/common";
import { copyText, describedBy, entries, errorsFor, Field } from "./fields";

interface Token {
  id: string;
  name: string;
  role: string;
  attributes: string[] | null;
  expires: string | null;
  created: string;
}

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
  const [revoking, setRevoking] = useState<string | null>(null);
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
  const revoke = async (id: string) => {
    try {
      await api(session, "DELETE", `/api/token/${encodeURIComponent(id)}`);
      setRevoking(null);
      setError(undefined);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const nameErrors = errorsFor(error, "name");
  const attrErrors = errorsFor(error, "attributes");
  const expErrors = errorsFor(error, "expires");
  return (
    <Card title="API tokens">
      <form onSubmit={create} aria-label="New token">
        <div class="row">
          <Field id="tok-name" label="Name" errors={nameErrors}>
            <input
              id="tok-name"
              value={name}
              required
              aria-describedby={describedBy("tok-name", false, nameErrors)}
              onInput={(e) => setName((e.target as HTMLInputElement).value)}
            />
          </Field>
          <Field id="tok-role" label="Role" errors={[]}>
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
            label="Limit to attributes (optional)"
            hint="Profile fields the token may read, comma-separated; empty means all."
            errors={attrErrors}
          >
            <input
              id="tok-attrs"
              value={attributes}
              aria-describedby={describedBy("tok-attrs", true, attrErrors)}
              onInput={(e) => setAttributes((e.target as HTMLInputElement).value)}
            />
          </Field>
          <Field
            id="tok-expires"
            label="Expires (optional)"
            hint="The token stops working after this day (UTC)."
            errors={expErrors}
          >
            <input
              id="tok-expires"
              type="date"
              value={expires}
              aria-describedby={describedBy("tok-expires", true, expErrors)}
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
      <ErrorBox error={error} />
      <ErrorBox error={list.error} />
      {list.data && (
        <table aria-label="Tokens">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Attributes</th>
              <th scope="col">Expires</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.data.length === 0 && (
              <tr>
                <td colSpan={6} class="muted">
                  No tokens yet.
                </td>
              </tr>
            )}
            {list.data.data.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{t.role}</td>
                <td>{t.attributes ? t.attributes.join(", ") : "all"}</td>
                <td>{t.expires ? new Date(t.expires).toLocaleDateString() : "never"}</td>
                <td>{new Date(t.created).toLocaleString()}</td>
                <td>
                  {revoking === t.id ? (
                    <span class="row">
                      <button type="button" class="danger" onClick={() => revoke(t.id)}>
                        Revoke {t.name}
                      </button>
                      <button type="button" class="secondary" onClick={() => setRevoking(null)}>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <button type="button" class="danger" onClick={() => setRevoking(t.id)}>
                      Revoke…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
