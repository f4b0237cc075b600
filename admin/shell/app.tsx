/**
 * The console's shell: sign-in, the token's role, navigation, and the page
 * the hash names (`#page/sub/path`), its code loaded on demand.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiFailure, loadSession, saveSession } from "../api";
import { ErrorSummary } from "../ui/errors";
import { navigation } from "./page-table";
import { PageHost, pageNames } from "./page-host";
import { parseRoute, type Route } from "./route";
import { SignIn, type SignedIn, verify } from "./sign-in";

const ROLE_WORDS = { admin: "admin", data_manager: "data manager", reader: "reader" } as const;

function useRoute(fallback: string): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash, fallback));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash, fallback));
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, [fallback]);
  return route;
}

/** The signed-in console: header with navigation, then the current page. */
function Console({ signedIn, onSignOut }: { signedIn: SignedIn; onSignOut: () => void }) {
  const pages = useMemo(() => navigation(pageNames(), signedIn.role), [signedIn.role]);
  const route = useRoute(pages[0]?.name ?? "experiences");
  const current = pages.find((p) => p.name === route.page);
  useEffect(() => {
    document.title = `${current?.label ?? "Pathlight"} · Pathlight console`;
  }, [current]);
  return (
    <>
      {/* A button, not a link: the hash is the console's route. */}
      <button type="button" class="skip" onClick={() => document.getElementById("main")?.focus()}>
        Skip to content
      </button>
      <header>
        <strong>Pathlight</strong>
        <nav aria-label="Console">
          {pages.map((p) => (
            <a key={p.name} href={`#${p.name}`} aria-current={p.name === route.page ? "page" : undefined}>
              {p.label}
            </a>
          ))}
        </nav>
        <span class="muted who">
          account {signedIn.session.cid} · {ROLE_WORDS[signedIn.role]}
        </span>
        <button type="button" class="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <PageHost
          key={route.page}
          name={route.page}
          props={{ session: signedIn.session, role: signedIn.role, path: route.path }}
        />
      </main>
    </>
  );
}

/** Sign-in state: the stored session is re-verified on load (the token may have been revoked). */
export function App() {
  const [stored] = useState(loadSession);
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null);
  const [checking, setChecking] = useState(stored !== null);
  const [problem, setProblem] = useState<unknown>();
  const [notice, setNotice] = useState("");
  useEffect(() => {
    if (!stored) return;
    verify(stored).then(
      (s) => (setSignedIn(s), setChecking(false)),
      (e: unknown) => {
        setChecking(false);
        if (e instanceof ApiFailure && e.status === 401) {
          saveSession(null);
          setNotice("Your token is no longer valid; sign in again.");
        } else setProblem(e);
      },
    );
  }, [stored]);
  const signOut = () => {
    saveSession(null);
    setSignedIn(null);
    setProblem(undefined);
    setNotice("Signed out.");
  };
  if (checking)
    return (
      <main id="main">
        <p class="muted" role="status">
          Checking your token…
        </p>
      </main>
    );
  if (problem && !signedIn)
    return (
      <main id="main">
        <ErrorSummary error={problem} />
        <button type="button" class="secondary" onClick={signOut}>
          Sign in again
        </button>
      </main>
    );
  if (!signedIn)
    return (
      <SignIn
        notice={notice}
        onDone={(s) => {
          saveSession(s.session);
          setSignedIn(s);
        }}
      />
    );
  return <Console signedIn={signedIn} onSignOut={signOut} />;
}
