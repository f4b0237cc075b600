/** The served tag: the account's defaults prepended to the tag bundle. */
import type { AccountConfig } from "../accounts/settings/config";
import { hasPublishedExperiences } from "../experiences/delivery/service";
import type { Env } from "../platform/env";

/** Serialises a value into JavaScript source safely (no `</script>`, no U+2028). */
export function jsLiteral(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * The defaults the served tag carries: the account id, the origin (and
 * path prefix, when the worker is routed under e.g. `/px/` on the site's
 * own domain) to collect to, and the account's cookie settings.
 */
export function tagDefaults(
  account: AccountConfig,
  requestUrl: string,
  prefix = "",
  publicOrigin?: string,
): Record<string, unknown> {
  const origin = publicOrigin ? new URL(publicOrigin).origin : new URL(requestUrl).origin;
  const defaults: Record<string, unknown> = {
    cid: account.cid,
    url: origin + prefix,
    cookie: account.tag.cookie,
    expires: account.tag.cookie_expires_days,
    sessecs: account.tag.sessecs,
  };
  if (account.tag.cookie_domain) defaults.domain = account.tag.cookie_domain;
  return defaults;
}

/** V8's explicit compile hint the tag bundle starts with (see rollup.config.mjs). */
const EAGER = "//# allFunctionsCalledOnLoad\n";

/**
 * The tag bundle's source with the account's defaults before it
 * (`var __plDefaults=...`), and the experiences flag when the account has
 * published experiences. The bundle's compile hint stays the first line:
 * V8 reads it only there.
 */
export async function tagScript(
  env: Env,
  account: AccountConfig,
  bundle: string,
  requestUrl: string,
  prefix: string | undefined,
): Promise<string> {
  const defaults = tagDefaults(account, requestUrl, prefix, env.PUBLIC_ORIGIN);
  if (await hasPublishedExperiences(env, account.cid)) defaults.experiences = true;
  const hint = bundle.startsWith(EAGER) ? EAGER : "";
  return `${hint}var __plDefaults=${jsLiteral(defaults)};\n${bundle.slice(hint.length)}`;
}
