import type { Env } from "../../platform/env";
import { IsolateCache } from "../../platform/isolate-cache";
import { stubOf } from "../../platform/stub";
import type { AccountRpc } from "../contract";

/**
 * Which accounts exist, answered without touching their objects.
 *
 * A Durable Object gets storage the first time it is called, even to answer
 * "no such account". So a request naming an unknown account (a random `cid`
 * or a forged `pl_<cid>.<secret>` token) must be turned away before any
 * account object is called: first by the id's format, then by this isolate's
 * cached answer, then by one directory object that lists every account
 * (accounts are listed there each time they are saved).
 */

/** The format of an account id (settings.ts validates the same on creation). */
export const CID_FORMAT = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** The name of the directory object in the ACCOUNT namespace: not a valid account id, so it never is an account. */
export const ACCOUNT_DIRECTORY = "~directory";

/** How long an isolate keeps an "account exists / does not exist" answer. */
export const DIRECTORY_CACHE_MS = 5_000;

const known = new IsolateCache<boolean>(DIRECTORY_CACHE_MS);

/**
 * True when the account `cid` exists. Never calls the account's own object:
 * a malformed id is refused by its format, others are answered from the
 * isolate cache or the directory object.
 */
export async function accountExists(env: Env, cid: string): Promise<boolean> {
  if (!CID_FORMAT.test(cid)) return false;
  const hit = known.get(cid);
  if (hit !== undefined) return hit;
  const listed = await stubOf<AccountRpc>(env.ACCOUNT, ACCOUNT_DIRECTORY).listed(cid);
  known.set(cid, listed);
  return listed;
}

/** Records in this isolate that `cid` exists (after it was saved through this isolate). */
export function rememberAccountExists(cid: string): void {
  known.set(cid, true);
}
