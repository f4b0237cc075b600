import { useEffect, useState } from "preact/hooks";
import { api, type Session } from "../../api";
import { Card } from "../../ui/card";
import { ErrorSummary, Field } from "../../ui/errors";
import { copyText } from "./text";

/** The install snippet with a copy button, and the Google Tag Manager steps. */
export function Install({ session }: { session: Session }) {
  const [loader, setLoader] = useState<string | null>(null);
  const [copied, setCopied] = useState("");
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    fetch("/tag/snippet.min.js").then(
      async (res) => (res.ok ? setLoader((await res.text()).trim()) : setError(new Error("the snippet is not built"))),
      setError,
    );
  }, []);
  const src = `${location.origin}/api/tag/${encodeURIComponent(session.cid)}/latest.min.js`;
  const snippet = loader ? `<script>\n${loader}\njstag.init({src:${JSON.stringify(src)}});\n</script>` : "";
  return (
    <Card title="Install the tag">
      <p>Paste this into the &lt;head&gt; of every page of your site:</p>
      <textarea id="install-snippet" class="snippet" readOnly aria-label="Install snippet" value={snippet} />
      <div class="row">
        <button
          type="button"
          disabled={!snippet}
          onClick={async () =>
            setCopied((await copyText(snippet)) ? "Snippet copied." : "Select the text and copy it.")
          }
        >
          Copy snippet
        </button>
        <span role="status" class="muted">
          {copied}
        </span>
      </div>
      <ErrorSummary error={error} />
      <h3>With Google Tag Manager</h3>
      <ol class="steps">
        <li>
          In your container: Tags → New → Tag type <strong>Custom HTML</strong>.
        </li>
        <li>Paste the snippet above.</li>
        <li>
          Trigger: <strong>All Pages</strong> (or <em>Initialization – All Pages</em> to load it first).
        </li>
        <li>Add the site's domain to Domains above, then Submit and Publish the container.</li>
        <li>Open a page of the site, then check it below.</li>
      </ol>
    </Card>
  );
}

interface TagCheckAnswer {
  host: string;
  installed: boolean;
  allowed: boolean;
  first_seen: string | null;
  last_seen: string | null;
}

/** "Is the tag installed?" for a URL, from the events the edge saw from its host. */
export function TagCheck({ session }: { session: Session }) {
  const [url, setUrl] = useState("");
  const [answer, setAnswer] = useState<TagCheckAnswer | null>(null);
  const [error, setError] = useState<unknown>();
  const check = async (e: Event) => {
    e.preventDefault();
    try {
      const res = await api<{ data: TagCheckAnswer }>(
        session,
        "GET",
        `/api/account/tag-check?url=${encodeURIComponent(url.trim())}`,
      );
      setAnswer(res.data);
      setError(undefined);
    } catch (err) {
      setAnswer(null);
      setError(err);
    }
  };
  return (
    <Card title="Is the tag installed?">
      <form class="row" onSubmit={check}>
        <Field id="check-url" path="url" label="Page URL" error={error}>
          <input
            id="check-url"
            value={url}
            required
            placeholder="https://www.example.com/"
            onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
          />
        </Field>
        <button type="submit">Check</button>
      </form>
      {answer && (
        <div role="status" class={answer.installed ? "notice" : "warning"}>
          {answer.installed ? (
            <p>
              Installed: pages on <strong>{answer.host}</strong> sent events. Last seen{" "}
              {new Date(answer.last_seen!).toLocaleString()} (first {new Date(answer.first_seen!).toLocaleString()}).
            </p>
          ) : (
            <p>
              Not seen yet: no events from <strong>{answer.host}</strong>. Open a page with the snippet and check again.
            </p>
          )}
          {!answer.allowed && (
            <p>
              {answer.host} is not on this account's domains, so its pages cannot send events. Add it under Domains.
            </p>
          )}
        </div>
      )}
      <ErrorSummary error={error} fields={["url"]} />
    </Card>
  );
}
