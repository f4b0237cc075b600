/** The console's only way to the edge: the public HTTP API, with the signed-in token. */

/** A failed API call, carrying the API's `{status, message, errors}`. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: { path?: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** Who is signed in. Kept in sessionStorage: gone when the tab closes. */
export interface Session {
  token: string;
  cid: string;
}

const KEY = "pathlight_console";

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

/**
 * Calls the API as the session: JSON in and out (or text for SegmentQL),
 * the account named with `cid`. Throws ApiFailure with the API's detail.
 */
export async function api<T>(
  session: Session,
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
): Promise<T> {
  const url = `${path}${path.includes("?") ? "&" : "?"}cid=${encodeURIComponent(session.cid)}`;
  const res = await fetch(url, {
    method,
    headers: { authorization: session.token, ...(body === undefined ? {} : { "content-type": contentType }) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({ status: res.status, message: res.statusText, errors: [] }))) as {
    status?: number;
    message?: string;
    errors?: { path?: string; message: string }[];
    data?: unknown;
  };
  if (!res.ok) throw new ApiFailure(res.status, data.message ?? res.statusText, data.errors ?? []);
  return data as T;
}
