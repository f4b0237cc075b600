import { expect } from "vitest";
import { SELF } from "cloudflare:test";

/** Admin token the worker tests run with (vitest.config.mts). */
export const ADMIN = "test-admin-token";
export const ORIGIN = "http://localhost:8080";

/** Calls the worker in workerd. */
export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return SELF.fetch(`http://pathlight.test${path}`, init);
}

/** Calls a management endpoint with the admin token and a JSON body. */
export function admin(path: string, method = "GET", body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { authorization: ADMIN };
  if (body !== undefined) headers["content-type"] = "application/json";
  return call(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

let n = 0;
/** Creates a fresh account (unique id) allowing localhost; returns its id. */
export async function newAccount(settings: Record<string, unknown> = {}): Promise<string> {
  const cid = `acct${Date.now().toString(36)}${(n++).toString(36)}`;
  const res = await admin("/api/account", "POST", {
    cid,
    domains: ["localhost"],
    surfaced_fields: ["name", "plan"],
    ...settings,
  });
  if (res.status !== 201) throw new Error(`account: ${res.status} ${await res.text()}`);
  return cid;
}

/** Sends events from a "browser" on localhost to /c/:cid. */
export function collect(
  cid: string,
  body: unknown,
  init: { origin?: string; type?: string; stream?: string } = {},
): Promise<Response> {
  return call(`/c/${cid}${init.stream ? `/${init.stream}` : ""}`, {
    method: "POST",
    headers: { origin: init.origin ?? ORIGIN, "content-type": init.type ?? "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** `/personalize` for a uid, as a browser on localhost. */
export async function personalize(cid: string, uid: string): Promise<{ status: number; body: any }> {
  const res = await call(`/personalize?cid=${cid}&uid=${encodeURIComponent(uid)}`, { headers: { origin: ORIGIN } });
  return { status: res.status, body: await res.json() };
}

/** Polls `read` until `check` passes or `ms` pass; returns the last value (queue-driven state is exact within a bounded delay). */
export async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await read();
  while (!check(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}

/** Calls `/v1/:cid/...` (collections API) with a token (the admin token unless given) and a JSON body. */
export function v1(
  cid: string,
  path: string,
  method = "GET",
  body?: unknown,
  auth: string | null = ADMIN,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (auth) headers.authorization = auth;
  if (body !== undefined) headers["content-type"] = "application/json";
  return call(`/v1/${cid}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** Asserts the status (showing the body when it differs) and returns the parsed body. */
export async function ok(res: Response, status = 200): Promise<any> {
  const text = await res.text();
  expect(`${res.status} ${text}`.slice(0, 600)).toMatch(new RegExp(`^${status} `));
  return text ? JSON.parse(text) : null;
}
