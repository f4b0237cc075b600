/**
 * People: look a person up by any identifier and see their fields (with
 * merge strategy and observed values), audiences, experiences, identifiers
 * and recent events; admins export or erase them.
 * `#people/<field>/<value>` opens a person directly.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api";
import { Card } from "../../ui/card";
import { ErrorSummary } from "../../ui/errors";
import { can } from "../../ui/role";
import type { PageProps } from "../types";
import { PersonActions } from "./actions";
import type { Person } from "./model";
import { Audiences, Experiences, Fields, Identity, Timeline } from "./sections";

const IDENTIFIERS = ["_uid", "email", "user_id"];

export default function People({ session, role, path }: PageProps) {
  const [field, setField] = useState(path[0] ?? "_uid");
  const [value, setValue] = useState(path[1] ?? "");
  const [shown, setShown] = useState<{ field: string; value: string } | null>(null);
  const [person, setPerson] = useState<Person | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [identifiers, setIdentifiers] = useState(IDENTIFIERS);
  const [error, setError] = useState<unknown>();
  const [erased, setErased] = useState("");

  useEffect(() => {
    api<{ data: { identifier_fields?: string[] } }>(session, "GET", "/api/account").then(
      (res) => res.data.identifier_fields && setIdentifiers(res.data.identifier_fields),
      () => undefined,
    );
  }, [session]);

  const lookUp = async (f: string, v: string) => {
    setErased("");
    try {
      const res = await api<{ data: Person }>(
        session,
        "GET",
        `/api/person/${encodeURIComponent(f)}/${encodeURIComponent(v)}`,
      );
      setPerson(res.data);
      setShown({ field: f, value: v });
      setError(undefined);
      if (res.data.experiences.length)
        api<{ data: { id: string; name: string }[] }>(session, "GET", "/api/experience").then(
          (list) => setNames(Object.fromEntries(list.data.map((x) => [x.id, x.name]))),
          () => undefined,
        );
    } catch (err) {
      setPerson(null);
      setShown(null);
      setError(err);
    }
  };

  useEffect(() => {
    if (!path[0] || !path[1]) return;
    setField(path[0]);
    setValue(path[1]);
    lookUp(path[0], path[1]);
  }, [path[0], path[1]]);

  const submit = (e: Event) => {
    e.preventDefault();
    const v = value.trim();
    if (!v) return;
    const hash = `#people/${encodeURIComponent(field)}/${encodeURIComponent(v)}`;
    // A new hash reaches the page as its path (and looks the person up); the same one again looks up afresh.
    if (location.hash === hash) lookUp(field, v);
    else location.hash = hash;
  };

  return (
    <>
      <h1>People</h1>
      <Card title="Find a person">
        <form class="row" onSubmit={submit}>
          <div>
            <label for="person-field">Identifier</label>
            <input
              id="person-field"
              list="person-identifiers"
              value={field}
              required
              onInput={(e) => setField((e.target as HTMLInputElement).value)}
            />
            <datalist id="person-identifiers">
              {identifiers.map((f) => (
                <option key={f} value={f} />
              ))}
            </datalist>
          </div>
          <div>
            <label for="person-value">Value</label>
            <input
              id="person-value"
              value={value}
              required
              placeholder="e.g. ada@example.com"
              onInput={(e) => setValue((e.target as HTMLInputElement).value)}
            />
          </div>
          <button type="submit">Look up</button>
        </form>
        <ErrorSummary error={error} />
        {erased && (
          <p class="notice" role="status">
            {erased} A new event with one of their identifiers starts a fresh profile.
          </p>
        )}
      </Card>
      {person && shown && (
        <section aria-label="Person">
          <Identity person={person} />
          <Audiences person={person} />
          <Experiences person={person} names={names} />
          <Fields person={person} />
          <Timeline person={person} />
          {can(role, "admin") && (
            <PersonActions
              session={session}
              field={shown.field}
              value={shown.value}
              onErased={(message) => {
                setPerson(null);
                setErased(message);
              }}
            />
          )}
        </section>
      )}
    </>
  );
}
