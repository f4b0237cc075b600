import type { PageProps } from "../pages/types";
import { Tokens } from "./tokens";
import { useEffect, useState } from "preact/hooks";
import { api, type Session } from "../api";
import { Card, ErrorBox, useLoad } from "./common";

interface Account {
  cid: string;
  name: string;
  domains: string[];
  surfaced_fields: string[];
  public_personalization: boolean;
}

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Account settings a marketer changes most: allowed domains, surfaced fields, personalization switch. */
export function Settings({ session }: { session: Session }) {
  const account = useLoad(() => api<{ data: Account }>(session, "GET", "/api/account"), [session]);
  const [domains, setDomains] = useState("");
  const [surfaced, setSurfaced] = useState("");
  const [pub, setPub] = useState(true);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState("");
  useEffect(() => {
    const a = account.data?.data;
    if (!a) return;
    setDomains(a.domains.join("\n"));
    setSurfaced(a.surfaced_fields.join("\n"));
    setPub(a.public_personalization);
  }, [account.data]);
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await api(session, "PUT", "/api/account", {
        domains: list(domains),
        surfaced_fields: list(surfaced),
        public_personalization: pub,
      });
      setError(undefined);
      setNotice("Settings saved.");
    } catch (err) {
      setNotice("");
      setError(err);
    }
  };
  return (
    <>
      <h1>Settings</h1>
      <ErrorBox error={account.error} />
      <Card title={`Account ${session.cid}`}>
        <form onSubmit={save}>
          <label for="sd">Domains allowed to use the tag (one per line; a domain covers its sub-domains)</label>
          <textarea id="sd" value={domains} onInput={(e) => setDomains((e.target as HTMLTextAreaElement).value)} />
          <label for="sf">Profile fields browsers may see (one per line)</label>
          <textarea id="sf" value={surfaced} onInput={(e) => setSurfaced((e.target as HTMLTextAreaElement).value)} />
          <label>
            <input type="checkbox" checked={pub} onChange={() => setPub(!pub)} /> Answer /personalize for browsers
          </label>
          <button type="submit">Save settings</button>
        </form>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <ErrorBox error={error} />
      </Card>
    </>
  );
}

/**
 * The first console's settings and tokens views, standing in as the
 * Settings page until admin/pages/settings exists (tokens for admins only).
 */
export default function SettingsPage({ session, role }: PageProps) {
  return (
    <>
      <Settings session={session} />
      {role === "admin" && <Tokens session={session} />}
    </>
  );
}
