/**
 * Stubs of the content object (class `ContentStore`, binding `CONTENT`):
 * one per account for its documents, one per account for its
 * recommendation budget counter.
 */
import type { Env } from "../platform/env";
import { stubOf } from "../platform/stub";
import type { BudgetRpc, ContentRpc } from "./contract";

/** The content of account `cid`. */
export function contentStub(env: Env, cid: string): ContentRpc {
  return stubOf<ContentRpc>(env.CONTENT, cid);
}

/** The recommendation budget counter of account `cid`. */
export function budgetStub(env: Env, cid: string): BudgetRpc {
  return stubOf<BudgetRpc>(env.CONTENT, `${cid}/budget`);
}
