/**
 * What the account and token routes do between HTTP and the account
 * object: account upserts and settings changes (then remembered in this
 * isolate's cache), token creation (the secret shown once, stored hashed)
 * and deletion (then forgotten by the token cache). Throws `ApiError`s.
 */
import type { Env } from "../platform/env";
import { notFound, unprocessable } from "../platform/http/errors";
import { accountStub, rememberAccount, type AccountConfig } from "./settings/config";
import type { SettingsPatch, TokenRecord } from "./contract";
import type { TokenCreateInput } from "./schemas";
import { forgetTokens, hashToken, newToken } from "./access/tokens";

/** Creates the account `cid` or changes its settings; `created` tells which. */
export async function upsertAccount(
  env: Env,
  cid: string,
  patch: SettingsPatch,
): Promise<{ account: AccountConfig; created: boolean }> {
  const result = await accountStub(env, cid).upsert(cid, patch);
  rememberAccount(result.account);
  return result;
}

/** Creates an API token; answers its record and the token itself (shown once, stored only hashed). */
export async function createToken(
  env: Env,
  cid: string,
  input: TokenCreateInput,
): Promise<{ record: TokenRecord; token: string }> {
  if (input.expires && Date.parse(input.expires) <= Date.now())
    throw unprocessable("the token would already be expired", [{ path: "expires", message: "must be in the future" }]);
  const token = newToken(cid);
  const record: TokenRecord = {
    id: crypto.randomUUID(),
    name: input.name,
    role: input.role,
    attributes: input.attributes ?? null,
    expires: input.expires ? new Date(input.expires).toISOString() : null,
    created: new Date().toISOString(),
  };
  await accountStub(env, cid).addToken(await hashToken(token), record);
  return { record, token };
}

/** Deletes an API token (404 when unknown); this isolate forgets it at once. */
export async function deleteToken(env: Env, cid: string, id: string): Promise<void> {
  if (!(await accountStub(env, cid).deleteToken(id))) throw notFound("no token with that id");
  forgetTokens();
}
