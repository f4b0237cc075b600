/**
 * The per-account recommendation budget in this isolate: tokens leased
 * from the account's counter object (see rate-limit.ts for the design and
 * its bound), one lease request in flight per account per isolate.
 */
import type { Env } from "../../platform/env";
import { ApiError } from "../../platform/http/errors";
import type { LocalBudget } from "../contract";
import { acceptLease, emptyLocalBudget, leaseSize, takeToken } from "./rate-limit";
import { budgetStub } from "../stubs";

const budgets = new Map<string, LocalBudget>();
const inflight = new Map<string, Promise<void>>();

/** Most accounts whose budget an isolate keeps (the least recently added are dropped). */
const MAX_ACCOUNTS = 1000;

async function refill(env: Env, cid: string, rate: number): Promise<void> {
  let pending = inflight.get(cid);
  if (!pending) {
    pending = budgetStub(env, cid)
      .lease(leaseSize(rate), rate)
      .then((lease) => {
        if (budgets.size >= MAX_ACCOUNTS && !budgets.has(cid)) budgets.delete(budgets.keys().next().value!);
        budgets.set(cid, acceptLease(budgets.get(cid) ?? emptyLocalBudget(), lease, Date.now()));
      })
      .finally(() => inflight.delete(cid));
    inflight.set(cid, pending);
  }
  await pending;
}

/**
 * Spends one request of account `cid`'s budget (`rate` per second), or
 * throws 429 with `Retry-After` when the account's window is spent.
 */
export async function spendRecommendation(env: Env, cid: string, rate: number): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const d = takeToken(budgets.get(cid) ?? emptyLocalBudget(), Date.now());
    budgets.set(cid, d.local);
    if (d.decision === "allow") return;
    if (d.decision === "deny")
      throw new ApiError(429, `the account's recommendation budget (${rate} requests per second) is spent`, [], {
        "Retry-After": String(d.retryAfter),
      });
    await refill(env, cid, rate);
  }
  throw new ApiError(429, `the account's recommendation budget (${rate} requests per second) is spent`, [], {
    "Retry-After": "1",
  });
}
