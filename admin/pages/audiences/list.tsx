import { useMemo, useState } from "preact/hooks";
import { api, type Session } from "../../api";
import { Card, ErrorBox, useLoad } from "../../views/common";
import type { ConsoleRole } from "../types";
import { listAudiences, listGroups } from "./model";
import { Pager, pageOf } from "./pager";

/** Audiences per page of the list. */
const PAGE = 20;

/** The list: size (exact, from the audience index), public flag, groups; filter and pages. */
export function AudienceList({ session, role }: { session: Session; role: ConsoleRole }) {
  const audiences = useLoad(() => listAudiences(session), [session]);
  const groups = useLoad(() => listGroups(session), [session]);
  const [query, setQuery] = useState("");
  const [group, setGroup] = useState("");
  const [onlyPublic, setOnlyPublic] = useState(false);
  const [page, setPage] = useState(0);
  const [error, setError] = useState<unknown>();
  const canWrite = role !== "reader";
  const groupName = new Map((groups.data ?? []).map((g) => [g.id, g.name]));

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (audiences.data ?? []).filter(
      (a) =>
        (!q || a.name.toLowerCase().includes(q) || a.slug_name.includes(q)) &&
        (!group || a.groups.includes(group)) &&
        (!onlyPublic || a.is_public),
    );
  }, [audiences.data, query, group, onlyPublic]);
  const rows = pageOf(shown, page, PAGE);

  const togglePublic = async (id: string, is_public: boolean) => {
    try {
      await api(session, "PUT", `/v2/segment/${id}`, { is_public });
      setError(undefined);
      audiences.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <h1>Audiences</h1>
      <Card title="All audiences">
        <div class="row">
          <div>
            <label for="aud-q">Filter by name or slug</label>
            <input
              id="aud-q"
              type="search"
              value={query}
              onInput={(e) => {
                setQuery((e.target as HTMLInputElement).value);
                setPage(0);
              }}
            />
          </div>
          <div>
            <label for="aud-group">Group</label>
            <select
              id="aud-group"
              value={group}
              onChange={(e) => {
                setGroup((e.target as HTMLSelectElement).value);
                setPage(0);
              }}
            >
              <option value="">Any group</option>
              {(groups.data ?? []).map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </div>
          <label style={{ flex: "0 0 auto" }}>
            <input
              type="checkbox"
              style={{ width: "auto" }}
              checked={onlyPublic}
              onChange={() => {
                setOnlyPublic(!onlyPublic);
                setPage(0);
              }}
            />{" "}
            Public only
          </label>
          {canWrite && (
            <a href="#audiences/new" style={{ flex: "0 0 auto" }}>
              New audience
            </a>
          )}
        </div>
        <ErrorBox error={audiences.error ?? error} />
        {audiences.data && shown.length === 0 && (
          <p class="muted">{audiences.data.length ? "No audience matches the filter." : "No audiences yet."}</p>
        )}
        {rows.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">Audience</th>
                <th scope="col">Members</th>
                <th scope="col">Public</th>
                <th scope="col">Groups</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.id}>
                  <td>
                    <a href={`#audiences/${a.id}`}>{a.name}</a> <span class="pill">{a.slug_name}</span>
                    {a.kind === "manual" && <span class="pill">manual</span>}
                  </td>
                  <td>{a.size.toLocaleString("en")}</td>
                  <td>
                    <input
                      type="checkbox"
                      style={{ width: "auto" }}
                      aria-label={`Browsers see ${a.slug_name}`}
                      checked={a.is_public}
                      disabled={!canWrite}
                      onChange={() => togglePublic(a.id, !a.is_public)}
                    />
                  </td>
                  <td>
                    {a.groups.map((g) => (
                      <span key={g} class="pill">
                        {groupName.get(g) ?? g}
                      </span>
                    ))}
                  </td>
                  <td class="muted">{a.updated.slice(0, 10)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager label="Audience pages" page={page} total={shown.length} size={PAGE} onPage={setPage} />
      </Card>
    </>
  );
}
