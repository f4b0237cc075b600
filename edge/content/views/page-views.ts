/**
 * Page views kept off the content object's hot path (PRODUCT.md §3: no
 * single object may sit on the path of every event).
 *
 * - **Known pages** are answered from an isolate cache: the page's
 *   fingerprint (account, allowlist, page URL and every meta value the view
 *   carries) → the document it was discovered as (`{url, topics}`, or
 *   `null` when the page is not content). A view of a known page makes no
 *   object call; its view is counted in the isolate.
 * - **Unknown pages** (first view in this isolate, changed meta, or an
 *   expired entry) are discovered by the content object before the events
 *   reach the profiles, as before: the first view of a brand-new page
 *   carries its topics, so topic affinity starts with it.
 * - **Counters** (views, unique visitors) are added up per document in the
 *   isolate and sent in one batch per account after `flushDelayMs`, as
 *   work the response does not wait for (`waitUntil`). The object sees one
 *   call per isolate and account per flush, whatever the event rate.
 *
 * Readers of counters call `settle` first, which sends this isolate's
 * pending counts (and waits for a batch on its way), so a read after a
 * collect in the same isolate sees its views; other isolates' counts arrive
 * within `flushDelayMs`. Writers call `forget` after a write so this
 * isolate rediscovers the account's pages (other isolates within
 * `pageTtlMs`).
 */
import { CONTENT_DOC_FIELD } from "../../profiles/affinity/content-views";
import { IsolateCache } from "../../platform/isolate-cache";
import type { ContentRpc, DiscoveredView, ViewCount } from "../contract";
import { isPageView, readPageContent } from "../documents/discovery";

/** What the page-view path calls on an account's content object. */
export type PageViewRpc = Pick<ContentRpc, "discover" | "countViews">;

/** Hands work to the runtime to finish after the response (`ExecutionContext.waitUntil`). */
export type Defer = (work: Promise<unknown>) => void;

/** Tuning of the page-view path. */
export interface PageViewOptions {
  /** How long a discovered page is answered from the isolate (ms). */
  pageTtlMs: number;
  /** Pages remembered per isolate, all accounts together. */
  maxPages: number;
  /** How long counts are gathered before one batch is sent (ms). */
  flushDelayMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_PAGE_VIEW_OPTIONS: PageViewOptions = { pageTtlMs: 60_000, maxPages: 20_000, flushDelayMs: 1000 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The page-view path of one isolate, for every account it serves. */
export class PageViews {
  private readonly pages: IsolateCache<DiscoveredView | null>;
  private readonly generations = new Map<string, number>();
  private readonly pending = new Map<string, Map<string, ViewCount>>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly scheduled = new Set<string>();
  private readonly options: Required<PageViewOptions>;

  constructor(options: Partial<PageViewOptions> = {}) {
    this.options = { now: Date.now, sleep, ...DEFAULT_PAGE_VIEW_OPTIONS, ...options };
    this.pages = new IsolateCache(this.options.pageTtlMs, this.options.maxPages);
  }

  private fingerprint(cid: string, domains: readonly string[], event: Readonly<Record<string, unknown>>): string {
    const generation = this.generations.get(cid) ?? 0;
    return `${cid}\n${generation}\n${JSON.stringify([domains, event["url"] ?? null, readPageContent(event)])}`;
  }

  /**
   * Puts on each page view among `events` the document it views
   * (`_content_doc`, in place): known pages from the isolate, the others
   * from the content object in one call. Counts the views of known pages
   * for a later batch.
   */
  async discover(
    cid: string,
    domains: readonly string[],
    events: Record<string, unknown>[],
    content: () => PageViewRpc,
    defer?: Defer,
  ): Promise<void> {
    const views = events.filter((e) => isPageView(e));
    if (!views.length) return;
    const now = this.options.now();
    const keys = views.map((e) => this.fingerprint(cid, domains, e));
    const unknown: number[] = [];
    let counted = false;
    views.forEach((event, i) => {
      const known = this.pages.get(keys[i]!, now);
      if (known === undefined) unknown.push(i);
      else if (known) {
        event[CONTENT_DOC_FIELD] = { url: known.url, topics: known.topics };
        this.add(cid, known.url, 1, 0, now);
        counted = true;
      }
    });
    if (unknown.length) {
      const generation = this.generations.get(cid) ?? 0;
      const found = await content().discover(
        unknown.map((i) => views[i]!),
        [...domains],
      );
      const current = (this.generations.get(cid) ?? 0) === generation;
      unknown.forEach((i, j) => {
        const doc = found[j] ?? null;
        const page = doc ? { url: doc.url, topics: doc.topics } : null;
        if (current) this.pages.set(keys[i]!, page, this.options.pageTtlMs, now);
        if (page) views[i]![CONTENT_DOC_FIELD] = { url: page.url, topics: page.topics };
      });
    }
    if (counted) await this.schedule(cid, content, defer);
  }

  /** Counts a unique visitor of each document URL (a profile's first visits), for a later batch. */
  async countFirstVisits(cid: string, urls: readonly string[], content: () => PageViewRpc, defer?: Defer) {
    if (!urls.length) return;
    const now = this.options.now();
    for (const url of urls) this.add(cid, url, 0, 1, now);
    await this.schedule(cid, content, defer);
  }

  private add(cid: string, url: string, views: number, uniques: number, at: number): void {
    let batch = this.pending.get(cid);
    if (!batch) this.pending.set(cid, (batch = new Map()));
    const count = batch.get(url);
    if (!count) batch.set(url, { url, views, unique_visitors: uniques, last_viewed: views ? at : null });
    else {
      count.views += views;
      count.unique_visitors += uniques;
      if (views) count.last_viewed = Math.max(count.last_viewed ?? 0, at);
    }
  }

  /** Sends the account's counts after the delay, as deferred work; at once (awaited) without `defer`. */
  private async schedule(cid: string, content: () => PageViewRpc, defer?: Defer): Promise<void> {
    if (!defer) return this.settle(cid, content);
    if (this.scheduled.has(cid)) return;
    this.scheduled.add(cid);
    defer(
      this.options.sleep(this.options.flushDelayMs).then(() => {
        this.scheduled.delete(cid);
        return this.settle(cid, content);
      }),
    );
  }

  /**
   * Sends this isolate's pending counts of the account and waits for any
   * batch already on its way. A failed batch is kept for the next flush
   * (logged, not thrown: counters never fail a request).
   */
  async settle(cid: string, content: () => PageViewRpc): Promise<void> {
    for (;;) {
      const running = this.inFlight.get(cid);
      if (running) {
        await running;
        continue;
      }
      const batch = this.pending.get(cid);
      if (!batch?.size) return;
      this.pending.delete(cid);
      let release!: () => void;
      this.inFlight.set(cid, new Promise<void>((resolve) => (release = resolve)));
      try {
        await content().countViews([...batch.values()]);
      } catch (err) {
        console.error("content view counts not sent; kept for the next batch", err);
        for (const c of batch.values()) this.add(cid, c.url, c.views, c.unique_visitors, c.last_viewed ?? 0);
      } finally {
        this.inFlight.delete(cid);
        release();
      }
      return;
    }
  }

  /** Forgets the account's discovered pages in this isolate (after a write to its documents or settings). */
  forget(cid: string): void {
    this.generations.set(cid, (this.generations.get(cid) ?? 0) + 1);
  }
}
