/**
 * Pathlight console (/admin): audiences, profiles, tokens and settings for
 * marketers, over the public HTTP API only.
 */
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, ApiFailure, loadSession, saveSession, type Session } from "./api";
import { Audiences } from "./views/audiences";
import { ErrorBox } from "./views/common";
import People from "./pages/people";
import Settings from "./pages/settings";

// Temporary mount of the People and Settings pages until the on-demand shell lands.
const PAGES = { audiences: "Audiences", people: "People", settings: "Settings" } as const;
type Page = keyof typeof PAGES;

const pageFromHash = (): Page => {
  const p = location.hash.slice(1).split("/")[0] as Page;
  return p in PAGES ? p : "audiences";
};
const pathFromHash = (): string[] => location.hash.slice(1).split("/").slice(1).map(decodeURIComponent);

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
  const [path, setPath] = useState<string[]>(pathFromHash);
  useEffect(() => {
    const on = () => {
      setPage(pageFromHash());
      setPath(pathFromHash());
    };
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  if (!session) return <SignIn onDone={setSession} />;
  // Temporary: the shell that lands next learns the role at sign-in.
  const pageProps = { session, role: "admin" as const, path };
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
        {page === "audiences" && <Audiences session={session} />}
        {page === "people" && <People {...pageProps} />}
        {page === "settings" && <Settings {...pageProps} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
