import type { PageProps } from "../pages/types";
import { useState } from "preact/hooks";
import { api, type Session } from "../api";
import { Card, ErrorBox } from "./common";

/** Profile lookup by any identifier, showing fields, audiences and metadata. */
export function Profiles({ session }: { session: Session }) {
  const [field, setField] = useState("_uid");
  const [value, setValue] = useState("");
  const [result, setResult] = useState<unknown>();
  const [error, setError] = useState<unknown>();
  const find = async (e: Event) => {
    e.preventDefault();
    try {
      const res = await api<unknown>(
        session,
        "GET",
        `/api/entity/user/${encodeURIComponent(field)}/${encodeURIComponent(value)}?segments=true&meta=true`,
      );
      setResult(res);
      setError(undefined);
    } catch (err) {
      setResult(undefined);
      setError(err);
    }
  };
  return (
    <>
      <h1>Profiles</h1>
      <Card title="Find a person">
        <form class="row" onSubmit={find}>
          <div>
            <label for="pf">Field</label>
            <input id="pf" value={field} onInput={(e) => setField((e.target as HTMLInputElement).value)} />
          </div>
          <div>
            <label for="pv">Value</label>
            <input id="pv" value={value} required onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
          </div>
          <button type="submit">Find</button>
        </form>
        <ErrorBox error={error} />
        {result !== undefined && (
          <section aria-label="Profile">
            <pre>{JSON.stringify(result, null, 2)}</pre>
          </section>
        )}
      </Card>
    </>
  );
}

/** The first console's profile lookup, standing in as the People page until admin/pages/people exists. */
export default function PeoplePage({ session }: PageProps) {
  return <Profiles session={session} />;
}
