/**
 * What the collect route does for content: before the events reach the
 * profiles, each page view gets the document it views (`_content_doc`:
 * `{url, topics}`), discovered (created or refreshed) by the account's
 * content object only when this isolate does not know the page yet; after,
 * the documents a profile visited for the first time count a unique
 * visitor. Counts are batched per isolate (page-views.ts). The `_content`
 * field (and flattened `_content.*` keys) is transport and leaves the event.
 */
import type { CollectEvent } from "../../../types/wire";
import type { AccountConfig } from "../../accounts/settings/config";
import type { Env } from "../../platform/env";
import type { ProfileView } from "../../profiles/contract";
import type { ContentRpc } from "../contract";
import { CONTENT_FIELD } from "../documents/discovery";
import { contentStub } from "../stubs";
import { type Defer, PageViews } from "./page-views";

export type { Defer } from "./page-views";

/** This isolate's page-view path (a cache and counters in memory, for every account). */
const pageViews = new PageViews();

/** Discovers the documents of the page views among `events` and puts each on its event (in place). */
export async function discoverPageViews(
  env: Env,
  account: AccountConfig,
  events: CollectEvent[],
  defer?: Defer,
): Promise<void> {
  await pageViews.discover(account.cid, account.domains, events, () => contentStub(env, account.cid), defer);
  for (const event of events)
    for (const key of Object.keys(event))
      if (key === CONTENT_FIELD || key.startsWith(`${CONTENT_FIELD}.`)) delete event[key];
}

/** Counts the first visits the profiles report as unique visitors of their documents. */
export async function countFirstVisits(
  env: Env,
  account: AccountConfig,
  profiles: readonly Pick<ProfileView, "firstVisits">[],
  defer?: Defer,
): Promise<void> {
  const urls = profiles.flatMap((p) => p.firstVisits ?? []);
  await pageViews.countFirstVisits(account.cid, urls, () => contentStub(env, account.cid), defer);
}

/**
 * The account's content object for a read of documents or counters, after
 * this isolate's pending view counts reached it.
 */
export async function settledContent(env: Env, cid: string): Promise<ContentRpc> {
  await pageViews.settle(cid, () => contentStub(env, cid));
  return contentStub(env, cid);
}

/** After a write to the account's documents or content settings: this isolate rediscovers its pages. */
export function contentChanged(cid: string): void {
  pageViews.forget(cid);
}
