import type { Session } from "../../api";
import { api } from "../../api";
import { ErrorSummary } from "../../ui/errors";
import { useLoad } from "../../ui/use-load";
import { Card } from "../../views/common";
import type { Audience } from "./model";

interface Member {
  id: string;
  identifiers: { field: string; value: string }[];
  fields: Record<string, unknown>;
}

/** Fields shown per member (the first ones the profile has). */
const SHOWN_FIELDS = 4;

const show = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** A preview of who is in the audience now (from the audience index), linking to People. */
export function Members({ session, audience }: { session: Session; audience: Audience }) {
  const members = useLoad(
    () => api<{ data: Member[] }>(session, "GET", `/v2/segment/${audience.id}/members?limit=10`).then((r) => r.data),
    [session, audience.id, audience.updated],
  );
  return (
    <Card title="Matching profiles">
      <p class="muted">
        {audience.size.toLocaleString("en")} members now (saved definition); the first {SHOWN_FIELDS} fields of up to 10
        of them.{" "}
        <button type="button" class="secondary" onClick={members.reload}>
          Refresh
        </button>
      </p>
      <ErrorSummary error={members.error} />
      {members.data && members.data.length === 0 && <p class="muted">Nobody is in this audience yet.</p>}
      {members.data && members.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Identifiers</th>
              <th scope="col">Fields</th>
            </tr>
          </thead>
          <tbody>
            {members.data.map((m) => (
              <tr key={m.id}>
                <td>
                  {m.identifiers.slice(0, 3).map((i) => (
                    <div key={`${i.field}:${i.value}`}>
                      <code>{i.field}</code> {i.value}
                    </div>
                  ))}
                </td>
                <td>
                  {Object.entries(m.fields)
                    .filter(([k]) => !k.startsWith("_"))
                    .slice(0, SHOWN_FIELDS)
                    .map(([k, v]) => (
                      <div key={k}>
                        <code>{k}</code> {show(v)}
                      </div>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
