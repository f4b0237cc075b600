import type { Env } from "../../platform/env";
import { IsolateCache } from "../../platform/isolate-cache";
import { stubOf } from "../../platform/stub";
import type { AccountRpc } from "../contract";
import type { AccountRecord } from "./settings";
import { notFound } from "../../platform/http/errors";
import { accountExists, rememberAccountExists } from "./directory";

/** An account's configuration as routes see it. */
export type AccountConfig = AccountRecord;

/**
 * How long a worker isolate reuses an account's configuration before asking
 * its object again. Keeps the account object off the hot path of every
 * event; a change made through this isolate is visible at once, one made
 * through another isolate within this many milliseconds.
 */
export const ACCOUNT_CACHE_MS = 5_000;

const cache = new IsolateCache<AccountConfig | null>(ACCOUNT_CACHE_MS);

/** The account object of `cid`. */
export function accountStub(env: Env, cid: string): AccountRpc {
  return stubOf<AccountRpc>(env.ACCOUNT, cid);
}

/** Reads an account's configuration through the isolate cache; null if unknown. */
export async function findAccount(env: Env, cid: string): Promise<AccountConfig | null> {
  const hit = cache.get(cid);
  if (hit !== undefined) return hit;
  // An unknown account is answered without calling (and so creating) its object.
  const value = (await accountExists(env, cid)) ? await accountStub(env, cid).get() : null;
  cache.set(cid, value);
  return value;
}

/** Like findAccount, but a missing account is a 404. */
export async function requireAccount(env: Env, cid: string): Promise<AccountConfig> {
  const account = await findAccount(env, cid);
  if (!account) throw notFound(`unknown account "${cid}"`);
  return account;
}

/** Re-reads an account into this isolate's cache (after a change its summary reflects). */
export async function refreshAccountCache(env: Env, cid: string): Promise<void> {
  const fresh = await accountStub(env, cid).get();
  if (fresh) rememberAccount(fresh);
}

/** Replaces the cached configuration after a write through this isolate. */
export function rememberAccount(account: AccountConfig): void {
  rememberAccountExists(account.cid);
  cache.set(account.cid, account);
}
