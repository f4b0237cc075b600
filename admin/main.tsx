/**
 * Pathlight console (/admin): audiences, profiles, tokens and settings for
 * marketers, over the public HTTP API only.
 */
import { type ComponentType, render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, ApiFailure, loadSession, saveSession, type Session } from "./api";
import AudiencesPage from "./pages/audiences";
import ContentPage from "./pages/content";
import WebhooksPage from "./pages/webhooks";
import type { PageProps } from "./pages/types";
import { ErrorBox } from "./views/common";
import { Profiles } from "./views/profiles";
import { Settings } from "./views/settings";
import { Tokens } from "./views/tokens";

const PAGES = {
  audiences: "Audiences",
  webhooks: "Webhooks",
  content: "Content",
  profiles: "Profiles",
  tokens: "API tokens",
  settings: "Settings",
} as const;
type Page = keyof typeof PAGES;

const pageFromHash = (): Page => {
  const p = location.hash.slice(1).split("/")[0] as Page;
  return p in PAGES ? p : "audiences";
};
// Temporary mount of the on-demand pages until the console shell lands (it gives the role from sign-in).
const mount =
  (Page: ComponentType<PageProps>) =>
  ({ session }: { session: Session }) => (
    <Page
      {...{ session, role: "admin" as const }}
      path={location.hash.slice(1).split("/").slice(1).map(decodeURIComponent)}
    />
  );
const PageViews = {
  audiences: mount(AudiencesPage),
  webhooks: mount(WebhooksPage),
  content: mount(ContentPage),
  profiles: Profiles,
  tokens: Tokens,
  settings: Settings,
};

function SignIn({ onDone }: { onDone: (s: Session) => void }) {
  const [token, setToken] = useState("");
  const [cid, setCid] = useState("demo");
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event) => {
    e.preventDefault();
    const session = { token: token.trim(), cid: cid.trim() };
    try {
      await api(session, "GET", "/api/account");
      saveSession(session);
      onDone(session);
    } catch (err) {
      setError(err instanceof ApiFailure && err.status === 401 ? new ApiFailure(401, "That token is not valid.") : err);
    }
  };
  return (
    <main>
      <section class="card" aria-label="Sign in">
        <h1>Sign in to Pathlight</h1>
        <form onSubmit={submit}>
          <label for="cid">Account</label>
          <input id="cid" value={cid} required onInput={(e) => setCid((e.target as HTMLInputElement).value)} />
          <label for="token">API token</label>
          <input
            id="token"
            type="password"
            autocomplete="off"
            value={token}
            required
            onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          />
          <p class="muted">`npm start` prints the admin token; an account token (`pl_…`) works too.</p>
          <button type="submit">Sign in</button>
        </form>
        <ErrorBox error={error} />
      </section>
    </main>
  );
}

function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [page, setPage] = useState<Page>(pageFromHash);
  const [, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => {
      setPage(pageFromHash());
      setHash(location.hash);
    };
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  if (!session) return <SignIn onDone={setSession} />;
  const View = PageViews[page];
  return (
    <>
      <header>
        <strong>Pathlight</strong>
        <nav aria-label="Console">
          {(Object.keys(PAGES) as Page[]).map((p) => (
            <a key={p} href={`#${p}`} aria-current={p === page ? "page" : undefined}>
              {PAGES[p]}
            </a>
          ))}
        </nav>
        <span class="muted">account {session.cid}</span>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            saveSession(null);
            setSession(null);
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        <View session={session} />
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
