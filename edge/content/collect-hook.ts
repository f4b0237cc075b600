/**
 * What the collect route does for content: before the events reach the
 * profiles, the account's content object discovers (creates or refreshes)
 * the document of each page view and the event carries it to the profile
 * as `_content_doc` (`{url, topics}`); after, the documents a profile
 * visited for the first time count a unique visitor. The `_content` field
 * (and flattened `_content.*` keys) is transport and leaves the event.
 */
import type { CollectEvent } from "../../types/wire";
import type { AccountConfig } from "../accounts/config";
import type { Env } from "../platform/env";
import type { ProfileView } from "../profiles/contract";
import { CONTENT_DOC_FIELD } from "../profiles/affinity/content-views";
import { CONTENT_FIELD, isPageView } from "./discovery";
import { contentStub } from "./stubs";

/** Discovers the documents of the page views among `events` and puts each on its event (in place). */
export async function discoverPageViews(env: Env, account: AccountConfig, events: CollectEvent[]): Promise<void> {
  const views = events.filter((e) => isPageView(e));
  if (views.length) {
    const found = await contentStub(env, account.cid).discover(views, account.domains);
    views.forEach((event, i) => {
      const doc = found[i];
      if (doc) event[CONTENT_DOC_FIELD] = { url: doc.url, topics: doc.topics };
    });
  }
  for (const event of events)
    for (const key of Object.keys(event))
      if (key === CONTENT_FIELD || key.startsWith(`${CONTENT_FIELD}.`)) delete event[key];
}

/** Counts the first visits the profiles report as unique visitors of their documents. */
export async function countFirstVisits(env: Env, account: AccountConfig, profiles: ProfileView[]): Promise<void> {
  const urls = profiles.flatMap((p) => p.firstVisits ?? []);
  if (urls.length) await contentStub(env, account.cid).countUniqueVisitors(urls);
}
