import { useState } from "preact/hooks";
import { ApiFailure, type Session } from "../api";
import type { ConsoleRole } from "../pages/types";
import { ErrorSummary, Field } from "../ui/errors";
import { whoami } from "./whoami";

/** A verified sign-in: the session and what its token may do. */
export interface SignedIn {
  session: Session;
  role: ConsoleRole;
}

/**
 * Checks a session's token with the edge: its role, and for an account
 * token its own account (which replaces whatever account was typed).
 */
export async function verify(session: Session): Promise<SignedIn> {
  const who = await whoami(session);
  return { session: { ...session, cid: who.cid ?? session.cid }, role: who.role };
}

/** The sign-in form: account and API token. The token never goes into a URL. */
export function SignIn({ onDone, notice }: { onDone: (s: SignedIn) => void; notice?: string }) {
  const [token, setToken] = useState("");
  const [cid, setCid] = useState("demo");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      onDone(await verify({ token: token.trim(), cid: cid.trim() }));
    } catch (err) {
      setError(
        err instanceof ApiFailure && err.status === 401
          ? new ApiFailure(401, "That token is not valid.", [{ path: "token", message: "not a valid API token" }])
          : err,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main">
      <section class="card signin" aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Pathlight</h1>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <form method="post" onSubmit={submit}>
          <Field id="cid" label="Account" path="cid" error={error}>
            <input id="cid" value={cid} required onInput={(e) => setCid((e.target as HTMLInputElement).value)} />
          </Field>
          <Field
            id="token"
            label="API token"
            path="token"
            error={error}
            hint="`npm start` prints the admin token; an account token (pl_…) works too. It is kept in this tab only."
          >
            <input
              id="token"
              type="password"
              autocomplete="off"
              value={token}
              required
              onInput={(e) => setToken((e.target as HTMLInputElement).value)}
            />
          </Field>
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </form>
        <ErrorSummary error={error} fields={["cid", "token"]} />
      </section>
    </main>
  );
}
