import { DurableObject } from "cloudflare:workers";
import type { AffinityState } from "../profiles/affinity/affinity";
import type { Env } from "../platform/env";
import { parse } from "../segmentql";
import type {
  BudgetLease,
  BudgetRpc,
  ContentAudience,
  ContentDocument,
  ContentProblem,
  ContentRpc,
  ContentSettings,
  DiscoveredView,
  DocumentPage,
  DocumentWrite,
  ImportJob,
  RecommendParams,
  RecommendedItem,
  ViewCount,
} from "./contract";
import { canonicalizeUrl } from "./documents/url";
import { parseDocumentInputs } from "./documents/input";
import { MAX_IMPORT_ATTEMPTS, newImportJob } from "./import/import-job";
import { type ImportHost, runImportStep } from "./import/import-runner";
import { emptyCounter, grantLease } from "./ranking/rate-limit";
import { compileContentFilter, type DocumentFilter } from "./ranking/filter";
import { Recommender } from "./ranking/recommender";
import { ImportStore } from "./storage/import-store";
import { Library } from "./storage/library";
import { MetaStore } from "./storage/meta-store";

/** Delay before a topic refresh pass, so a burst of writes is refreshed once. */
const REFRESH_DELAY_MS = 1000;

/**
 * The content of one account (object named by the cid): documents keyed by
 * canonical URL, the corpus statistics TF-IDF reads, the content settings
 * and saved content audiences. Documents live in its SQLite storage; only
 * their rank entries (URL, topics, counters, time) are kept in memory
 * (storage/doc-store.ts). This class is the RPC surface: documents and
 * their corpus are in storage/library.ts, ranking in ranking/recommender.ts,
 * CSV import steps in import/import-runner.ts. An object named
 * `<cid>/budget` is the account's recommendation budget counter instead
 * (see ranking/rate-limit.ts). It knows nothing of HTTP.
 */
export class ContentObject extends DurableObject<Env> implements ContentRpc, BudgetRpc {
  private readonly meta: MetaStore;
  private readonly library: Library;
  private readonly imports: ImportStore;
  private readonly ranking: Recommender;
  private readonly importHost: ImportHost;
  private counter = emptyCounter();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    this.meta = new MetaStore(sql);
    this.library = new Library({
      sql,
      meta: this.meta,
      transaction: (fn) => ctx.storage.transactionSync(fn),
      refreshDue: () => void ctx.storage.setAlarm(Date.now() + REFRESH_DELAY_MS),
    });
    this.imports = new ImportStore(sql);
    this.ranking = new Recommender(this.library.docs, () => this.meta.audiences());
    this.importHost = {
      uploads: env.UPLOADS,
      imports: this.imports,
      settings: () => this.meta.settings(),
      write: (inputs) => this.library.write(inputs, "import", true, this.meta.settings()),
    };
  }

  // ---- settings ----

  async settings(): Promise<ContentSettings> {
    return this.meta.settings();
  }

  async updateSettings(change: Partial<ContentSettings>): Promise<ContentSettings> {
    return this.meta.updateSettings(change);
  }

  // ---- documents ----

  async putDocuments(body: unknown[], source: "api" | "import"): Promise<DocumentWrite> {
    const parsed = parseDocumentInputs(body.length === 1 ? body[0] : body);
    if (!parsed.ok) return { ok: false, status: 400, problems: parsed.problems };
    return this.library.write(parsed.value, source, body.length > 1, this.meta.settings());
  }

  async patchDocuments(body: unknown[]): Promise<DocumentWrite> {
    return this.library.patch(body, this.meta.settings());
  }

  async deleteDocuments(urls: string[]): Promise<{ deleted: string[]; missing: string[] }> {
    return this.library.delete(urls, this.meta.settings());
  }

  async getDocument(url: string): Promise<ContentDocument | null> {
    return this.library.docs.get(canonicalizeUrl(url, this.meta.settings()) ?? url);
  }

  async listDocuments(query: {
    filter?: string;
    q?: string;
    offset: number;
    limit: number;
  }): Promise<DocumentPage | { ok: false; status: 400 | 404; problems: ContentProblem[] }> {
    let filter: DocumentFilter | null = null;
    if (query.filter) {
      const compiled = this.ranking.filterOf(query.filter, "contentsegment");
      if (!compiled.ok) return compiled;
      filter = compiled.value;
    }
    return this.library.list(query, filter);
  }

  // ---- discovery and counters ----

  async discover(events: Record<string, unknown>[], domains: string[]): Promise<(DiscoveredView | null)[]> {
    const stored = this.meta.settings();
    return this.library.discover(events, stored.hosts.length ? stored : { ...stored, hosts: domains });
  }

  async countViews(counts: ViewCount[]): Promise<void> {
    this.library.countViews(counts);
  }

  // ---- recommendations ----

  async recommend(
    params: RecommendParams,
    profile: AffinityState | undefined,
  ): Promise<{ ok: true; data: RecommendedItem[] } | { ok: false; status: 400 | 404; problems: ContentProblem[] }> {
    return this.ranking.recommend(params, profile);
  }

  // ---- CSV import jobs ----

  /**
   * Starts importing the CSV file of `size` bytes staged in R2 at `key`:
   * runs the first step now (a bad header refuses the file: the job is not
   * kept and the file is deleted), the rest a step per alarm.
   */
  async startImport(
    id: string,
    key: string,
    size: number,
  ): Promise<{ ok: true; job: ImportJob } | { ok: false; problems: ContentProblem[] }> {
    const step = await runImportStep(this.importHost, newImportJob(id, key, size, Date.now()));
    if (step.headerProblems) return { ok: false, problems: step.headerProblems };
    if (!step.done) await this.ctx.storage.setAlarm(Date.now());
    return { ok: true, job: step.job };
  }

  /** An import and its progress, or null. */
  async importStatus(id: string): Promise<ImportJob | null> {
    return this.imports.get(id);
  }

  /** The account's imports, newest first. */
  async importJobs(): Promise<ImportJob[]> {
    return this.imports.list();
  }

  /**
   * Alarm: the next step of the oldest unfinished import (retried with
   * backoff when it throws); when no import waits, the next step of the
   * topic refresh.
   */
  override async alarm(): Promise<void> {
    const job = this.imports.next();
    if (!job) {
      if (this.library.refreshStep()) await this.ctx.storage.setAlarm(Date.now());
      return;
    }
    try {
      await runImportStep(this.importHost, job);
    } catch (err) {
      console.error("content import step failed", err);
      const attempts = job.attempts + 1;
      const failed = attempts >= MAX_IMPORT_ATTEMPTS;
      this.imports.save({
        ...job,
        attempts,
        ...(failed ? { state: "failed" as const, message: "processing failed repeatedly", finished: Date.now() } : {}),
      });
      if (failed) await this.env.UPLOADS.delete(job.key);
      else await this.ctx.storage.setAlarm(Date.now() + 1000 * 2 ** attempts);
      return;
    }
    if (this.imports.next() || this.library.refreshPending()) await this.ctx.storage.setAlarm(Date.now());
  }

  // ---- content audiences ----

  async audiences(): Promise<ContentAudience[]> {
    return Object.entries(this.meta.audiences())
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([slug, segment_ql]) => ({ slug, segment_ql }));
  }

  async saveAudience(
    text: string,
  ): Promise<{ ok: true; audience: ContentAudience } | { ok: false; problems: ContentProblem[] }> {
    let slug: string | undefined;
    try {
      slug = parse(text).alias;
    } catch (e) {
      return { ok: false, problems: [{ path: "segment_ql", message: e instanceof Error ? e.message : String(e) }] };
    }
    if (!slug) return { ok: false, problems: [{ path: "segment_ql", message: "name the audience with ALIAS <slug>" }] };
    const check = compileContentFilter(text, "contentsegment");
    if (!check.ok) return { ok: false, problems: check.problems.map((p) => ({ ...p, path: "segment_ql" })) };
    this.meta.setAudiences({ ...this.meta.audiences(), [slug]: text });
    this.ranking.clear();
    return { ok: true, audience: { slug, segment_ql: text } };
  }

  async deleteAudience(slug: string): Promise<boolean> {
    const all = this.meta.audiences();
    if (!Object.hasOwn(all, slug)) return false;
    delete all[slug];
    this.meta.setAudiences(all);
    this.ranking.clear();
    return true;
  }

  // ---- budget counter (objects named `<cid>/budget`) ----

  async lease(want: number, rate: number): Promise<BudgetLease> {
    const { counter, lease } = grantLease(this.counter, want, rate, Date.now());
    this.counter = counter;
    return lease;
  }
}
