import { useEffect, useState } from "preact/hooks";
import { api, type Session } from "../../api";
import { Card } from "../../ui/card";
import { ErrorSummary, Field } from "../../ui/errors";
import { entries } from "./text";

/** The account settings this form edits (GET/PUT /api/account). */
export interface AccountSettings {
  cid: string;
  name: string;
  domains: string[];
  surfaced_fields: string[];
  identifier_fields: string[];
  personalize_fields: string[];
  rate_limit_per_second: number;
  allow_string_callbacks: boolean;
  public_personalization: boolean;
}

/** Fields this form shows the API's errors beside. */
const FIELDS = ["domains", "surfaced_fields", "identifier_fields", "rate_limit_per_second"] as const;

/** Domains, surfaced and identifier fields, rate limit and string callbacks; read-only unless admin. */
export function AccountForm(props: {
  session: Session;
  account: AccountSettings;
  canEdit: boolean;
  onSaved: (a: AccountSettings) => void;
}) {
  const { session, account, canEdit } = props;
  const [domains, setDomains] = useState("");
  const [surfaced, setSurfaced] = useState("");
  const [identifiers, setIdentifiers] = useState("");
  const [rate, setRate] = useState("");
  const [callbacks, setCallbacks] = useState(false);
  const [personalize, setPersonalize] = useState(true);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState("");
  useEffect(() => {
    setDomains(account.domains.join("\n"));
    setSurfaced(account.surfaced_fields.join("\n"));
    setIdentifiers(account.identifier_fields.join("\n"));
    setRate(String(account.rate_limit_per_second));
    setCallbacks(account.allow_string_callbacks);
    setPersonalize(account.public_personalization);
  }, [account]);
  const save = async (e: Event) => {
    e.preventDefault();
    setNotice("");
    try {
      const res = await api<{ data: AccountSettings }>(session, "PUT", "/api/account", {
        domains: entries(domains),
        surfaced_fields: entries(surfaced),
        identifier_fields: entries(identifiers),
        rate_limit_per_second: Number(rate),
        allow_string_callbacks: callbacks,
        public_personalization: personalize,
      });
      setError(undefined);
      setNotice("Settings saved.");
      props.onSaved(res.data);
    } catch (err) {
      setError(err);
    }
  };
  const area = (id: string, path: string, label: string, hint: string, value: string, set: (v: string) => void) => (
    <Field id={id} path={path} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        value={value}
        readOnly={!canEdit}
        onInput={(e) => set((e.target as HTMLTextAreaElement).value)}
      />
    </Field>
  );
  return (
    <Card title={`Account ${account.cid}`}>
      {!canEdit && <p class="muted">Your token's role can read these settings; an admin token can change them.</p>}
      <form onSubmit={save}>
        {area(
          "set-domains",
          "domains",
          "Domains",
          "Sites whose pages may use the tag, one per line. example.com covers its sub-domains.",
          domains,
          setDomains,
        )}
        {area(
          "set-surfaced",
          "surfaced_fields",
          "Surfaced fields",
          "Profile fields the browser may read through /personalize, one per line.",
          surfaced,
          setSurfaced,
        )}
        {area(
          "set-identifiers",
          "identifier_fields",
          "Identifier fields",
          "Fields that identify a person; events carrying two of them link the profiles.",
          identifiers,
          setIdentifiers,
        )}
        <Field
          id="set-rate"
          path="rate_limit_per_second"
          label="Rate limit (browser requests per second, per worker)"
          hint="Beyond it browsers get 429."
          error={error}
        >
          <input
            id="set-rate"
            type="number"
            min={1}
            max={100000}
            value={rate}
            readOnly={!canEdit}
            onInput={(e) => setRate((e.target as HTMLInputElement).value)}
          />
        </Field>
        <label class="check">
          <input type="checkbox" checked={callbacks} disabled={!canEdit} onChange={() => setCallbacks(!callbacks)} />{" "}
          Allow string callbacks in experience overrides (runs configuration as code in visitors' browsers)
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={personalize}
            disabled={!canEdit}
            onChange={() => setPersonalize(!personalize)}
          />{" "}
          Answer /personalize for browsers
        </label>
        {canEdit && <button type="submit">Save settings</button>}
      </form>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <ErrorSummary error={error} fields={FIELDS} />
    </Card>
  );
}
