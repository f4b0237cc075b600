import { useEffect, useState } from "preact/hooks";
import { api, type Session } from "../../api";
import { Card, ErrorBox } from "../../views/common";
import { describedBy, entries, errorsFor, Field } from "./fields";

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
  const area = (id: string, label: string, hint: string, value: string, set: (v: string) => void, path: string) => {
    const errs = errorsFor(error, path);
    return (
      <Field id={id} label={label} hint={hint} errors={errs}>
        <textarea
          id={id}
          value={value}
          readOnly={!canEdit}
          aria-invalid={errs.length > 0 || undefined}
          aria-describedby={describedBy(id, true, errs)}
          onInput={(e) => set((e.target as HTMLTextAreaElement).value)}
        />
      </Field>
    );
  };
  const rateErrors = errorsFor(error, "rate_limit_per_second");
  return (
    <Card title={`Account ${account.cid}`}>
      {!canEdit && <p class="muted">Your token's role can read these settings; an admin token can change them.</p>}
      <form onSubmit={save}>
        {area(
          "set-domains",
          "Domains",
          "Sites whose pages may use the tag, one per line. example.com covers its sub-domains.",
          domains,
          setDomains,
          "domains",
        )}
        {area(
          "set-surfaced",
          "Surfaced fields",
          "Profile fields the browser may read through /personalize, one per line.",
          surfaced,
          setSurfaced,
          "surfaced_fields",
        )}
        {area(
          "set-identifiers",
          "Identifier fields",
          "Fields that identify a person; events carrying two of them link the profiles.",
          identifiers,
          setIdentifiers,
          "identifier_fields",
        )}
        <Field
          id="set-rate"
          label="Rate limit (browser requests per second, per worker)"
          hint="Beyond it browsers get 429."
          errors={rateErrors}
        >
          <input
            id="set-rate"
            type="number"
            min={1}
            max={100000}
            value={rate}
            readOnly={!canEdit}
            aria-invalid={rateErrors.length > 0 || undefined}
            aria-describedby={describedBy("set-rate", true, rateErrors)}
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
      <ErrorBox error={error} />
    </Card>
  );
}
