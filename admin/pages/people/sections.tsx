import { Card } from "../../ui/card";
import { type Person, show, when } from "./model";

/** Identifiers the person is known by, and the profiles merged into theirs. */
export function Identity({ person }: { person: Person }) {
  return (
    <Card title="Identifiers">
      <p class="muted">
        Profile <code>{person.id}</code> · created {when(person.created)} · {person.events} events
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {person.identifiers.map((k) => (
            <tr key={`${k.field}:${k.value}`}>
              <td>
                <code>{k.field}</code>
              </td>
              <td>{k.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Merged profiles</h3>
      {person.merged.length ? (
        <ul aria-label="Merged profiles">
          {person.merged.map((id) => (
            <li key={id}>
              <code>{id}</code>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">None: this person was never merged with another profile.</p>
      )}
    </Card>
  );
}

/** Audiences the person is in or has left, with the times. */
export function Audiences({ person }: { person: Person }) {
  return (
    <Card title="Audiences">
      {person.audiences.length ? (
        <table aria-label="Audience membership">
          <thead>
            <tr>
              <th scope="col">Audience</th>
              <th scope="col">Status</th>
              <th scope="col">Entered</th>
              <th scope="col">Left</th>
            </tr>
          </thead>
          <tbody>
            {person.audiences.map((a) => (
              <tr key={a.slug}>
                <td>
                  <a href={`#audiences/${encodeURIComponent(a.slug)}`}>{a.slug}</a>
                </td>
                <td>{a.member ? <span class="pill">member</span> : "left"}</td>
                <td>{when(a.entered)}</td>
                <td>{when(a.exited)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">In no audience besides “all”.</p>
      )}
    </Card>
  );
}

/** Experiences the person was shown, and whether they converted. */
export function Experiences({ person, names }: { person: Person; names: Record<string, string> }) {
  return (
    <Card title="Experiences">
      {person.experiences.length ? (
        <table aria-label="Experiences reached">
          <thead>
            <tr>
              <th scope="col">Experience</th>
              <th scope="col">Variation</th>
              <th scope="col">Converted</th>
            </tr>
          </thead>
          <tbody>
            {person.experiences.map((x) => (
              <tr key={x.id}>
                <td>
                  <a href={`#experiences/${encodeURIComponent(x.id)}`}>{names[x.id] ?? x.id}</a>
                </td>
                <td>{x.variation === "control" ? "control group (not shown)" : x.variation}</td>
                <td>{x.converted ? "yes" : "no"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No experience reached this person yet.</p>
      )}
    </Card>
  );
}

/** Every field with its merge strategy and the values observed. */
export function Fields({ person }: { person: Person }) {
  return (
    <Card title="Fields">
      <table aria-label="Profile fields">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Value</th>
            <th scope="col">Merge strategy</th>
            <th scope="col">Observed values</th>
          </tr>
        </thead>
        <tbody>
          {person.fields.map((f) => (
            <tr key={f.name}>
              <td>
                <code>{f.name}</code>
              </td>
              <td class="value">{show(f.value)}</td>
              <td>{f.merge}</td>
              <td>
                {f.observed.length === 0 ? (
                  <span class="muted">computed</span>
                ) : (
                  <details>
                    <summary>
                      {f.observed.length} value{f.observed.length === 1 ? "" : "s"}
                    </summary>
                    <ul class="observed">
                      {f.observed.map((o) => (
                        <li key={show(o.value)}>
                          <strong>{show(o.value)}</strong> — {o.count}× · first {when(o.first)} · last {when(o.last)}
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

/** The last events, newest first. */
export function Timeline({ person }: { person: Person }) {
  return (
    <Card title="Timeline">
      {person.timeline.length ? (
        <ol class="timeline" aria-label="Recent events, newest first">
          {person.timeline.map((e, i) => (
            <li key={`${e.at}-${i}`}>
              <time dateTime={e.at}>{when(e.at)}</time> <span class="pill">{e.type ?? "event"}</span>
              {e.stream ? <span class="muted"> on {e.stream}</span> : null}
              <div class="muted">
                {Object.entries(e.fields)
                  .map(([k, v]) => `${k}: ${show(v)}`)
                  .join(" · ")}
              </div>
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">No events kept for this person.</p>
      )}
    </Card>
  );
}
