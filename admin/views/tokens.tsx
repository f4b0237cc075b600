import { useState } from "preact/hooks";
import { api, type Session } from "../api";
import { Card, ErrorBox, useLoad } from "./common";

interface Token {
  id: string;
  name: string;
  role: string;
  attributes: string[] | null;
  expires: string | null;
  created: string;
}

/** API tokens: list, create (shown once), revoke. */
export function Tokens({ session }: { session: Session }) {
  const list = useLoad(() => api<{ data: Token[] }>(session, "GET", "/api/token"), [session]);
  const [name, setName] = useState("");
  const [role, setRole] = useState("reader");
  const [fresh, setFresh] = useState("");
  const [error, setError] = useState<unknown>();
  const create = async (e: Event) => {
    e.preventDefault();
    try {
      const res = await api<{ data: { token: string } }>(session, "POST", "/api/token", { name, role });
      setFresh(res.data.token);
      setError(undefined);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (id: string) => {
    try {
      await api(session, "DELETE", `/api/token/${id}`);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <h1>API tokens</h1>
      <Card title="New token">
        <form class="row" onSubmit={create}>
          <div>
            <label for="tn">Name</label>
            <input id="tn" value={name} required onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </div>
          <div>
            <label for="tr">Role</label>
            <select id="tr" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
              <option value="reader">reader</option>
              <option value="data_manager">data_manager</option>
              <option value="admin">admin</option>
            </select>
          </div>
          <button type="submit">Create token</button>
        </form>
        {fresh && (
          <p class="notice" role="status">
            Copy it now, it is not shown again: <code>{fresh}</code>
          </p>
        )}
        <ErrorBox error={error} />
      </Card>
      <Card title="Tokens">
        <ErrorBox error={list.error} />
        {list.data && (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{t.role}</td>
                  <td>{new Date(t.created).toLocaleString()}</td>
                  <td>
                    <button type="button" class="danger" onClick={() => revoke(t.id)}>
                      Revoke
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
