import { useState } from "preact/hooks";
import { api, type Session } from "../../api";
import { ErrorSummary } from "../../ui/errors";
import { DataList } from "../../ui/list";
import { can } from "../../ui/role";
import { useLoad } from "../../ui/use-load";
import type { ConsoleRole } from "../types";
import { type Audience, listAudiences, listGroups } from "./model";

/** The list: size (exact, from the audience index), public flag, groups; filter and pages. */
export function AudienceList({ session, role }: { session: Session; role: ConsoleRole }) {
  const audiences = useLoad(() => listAudiences(session), [session]);
  const groups = useLoad(() => listGroups(session), [session]);
  const [group, setGroup] = useState("");
  const [onlyPublic, setOnlyPublic] = useState(false);
  const [error, setError] = useState<unknown>();
  const canWrite = can(role, "write");
  const groupName = new Map((groups.data ?? []).map((g) => [g.id, g.name]));
  const rows = (audiences.data ?? []).filter(
    (a) => (!group || a.groups.includes(group)) && (!onlyPublic || a.is_public),
  );

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
      <section class="card" aria-label="All audiences">
        <h2>All audiences</h2>
        <div class="row">
          <div>
            <label for="aud-group">Group</label>
            <select id="aud-group" value={group} onChange={(e) => setGroup((e.target as HTMLSelectElement).value)}>
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
              onChange={() => setOnlyPublic(!onlyPublic)}
            />{" "}
            Public only
          </label>
          {canWrite && (
            <a href="#audiences/new" style={{ flex: "0 0 auto" }}>
              New audience
            </a>
          )}
        </div>
        <ErrorSummary error={audiences.error ?? error} />
        {audiences.loading && !audiences.data ? (
          <p class="muted">Loading…</p>
        ) : (
          <DataList<Audience>
            label="Audiences"
            rows={rows}
            rowKey={(a) => a.id}
            text={(a) => `${a.name} ${a.slug_name}`}
            pageSize={20}
            empty={audiences.data?.length ? "No audience is in this group." : "No audiences yet."}
            columns={[
              {
                title: "Audience",
                cell: (a) => (
                  <>
                    <a href={`#audiences/${a.id}`}>{a.name}</a> <span class="pill">{a.slug_name}</span>
                    {a.kind === "manual" && <span class="pill">manual</span>}
                  </>
                ),
              },
              { title: "Members", cell: (a) => a.size.toLocaleString("en") },
              {
                title: "Public",
                cell: (a) => (
                  <input
                    type="checkbox"
                    style={{ width: "auto" }}
                    aria-label={`Browsers see ${a.slug_name}`}
                    checked={a.is_public}
                    disabled={!canWrite}
                    onChange={() => togglePublic(a.id, !a.is_public)}
                  />
                ),
              },
              {
                title: "Groups",
                cell: (a) =>
                  a.groups.map((g) => (
                    <span key={g} class="pill">
                      {groupName.get(g) ?? g}
                    </span>
                  )),
              },
              { title: "Updated", cell: (a) => <span class="muted">{a.updated.slice(0, 10)}</span> },
            ]}
          />
        )}
      </section>
    </>
  );
}
