import { api, type Session } from "../api";
import type { ConsoleRole } from "../pages/types";

/** What `GET /api/whoami` says about a token. */
export interface TokenIdentity {
  role: ConsoleRole;
  /** The token's account; null for the bootstrap ADMIN_TOKEN. */
  cid: string | null;
  attributes: string[] | null;
}

/** Asks the edge what the session's token is (throws ApiFailure 401 when it is not valid). */
export async function whoami(session: Session): Promise<TokenIdentity> {
  const res = await api<{ data: TokenIdentity }>(session, "GET", "/api/whoami");
  return res.data;
}
