import { DurableObject } from "cloudflare:workers";
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
  CorpusStats,
  DiscoveredView,
  DocumentPage,
  DocumentWrite,
  RecommendParams,
  RecommendedItem,
} from "./contract";
import type { AffinityState } from "../profiles/affinity/affinity";
import { discoverDocument } from "./discovery";
import { applyDocumentInput, canonicalKeys, countUniqueVisitor, documentRow } from "./document";
import { compileContentFilter, rank, toItem, type DocumentFilter } from "./recommend";
import { DocumentStore, MAX_DOCUMENTS } from "./doc-store";
import { entryRow, type RankEntry } from "./rank-entry";
import { emptyCounter, grantLease } from "./rate-limit";
import { parseDocumentInputs, parseDocumentPatches, type DocumentInput } from "./schemas";
import { buildCorpus, documentTerms, extractTopics, updateCorpus } from "./topics";
import { DEFAULT_CONTENT_SETTINGS, canonicalizeUrl } from "./url";
import {
  IMPORT_CHUNK_BYTES,
  MAX_IMPORT_ATTEMPTS,
  type ImportJob,
  type ImportStep,
  importStep,
  newImportJob,
} from "./import-job";
import { ImportStore } from "./import-store";
import { TopicRefresh } from "./topic-refresh";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Where the corpus statistics are kept (the key "corpus" held miscounted ones). */
const CORPUS_KEY = "corpus_v2";
/** Delay before a topic refresh pass, so a burst of writes is refreshed once. */
const REFRESH_DELAY_MS = 1000;

/** Compiled filters kept per object (by their text). */
const MAX_CACHED_FILTERS = 100;
/** Match sets of filters that read stored documents, kept per object. */
const MAX_COLD_MATCHES = 20;
/** How long such a match set is used while only counters change (ms). */
const COLD_MATCH_TTL_MS = 60_000;

/**
 * The content of one account (object named by the cid): documents keyed by
 * canonical URL, the corpus statistics TF-IDF reads, the content settings
 * and saved content audiences. Documents live in its SQLite storage; only
 * their rank entries (URL, topics, counters, time) are kept in memory
 * (doc-store.ts). A `contentsegment` filter reading other fields (title,
 * description, ...) is evaluated over the stored documents and its matches
 * kept until documents change (or, for its counters, a minute). An object
 * named `<cid>/budget` is the account's recommendation budget counter
 * instead (see rate-limit.ts). It knows nothing of HTTP.
 */
export class ContentObject extends DurableObject<Env> implements ContentRpc, BudgetRpc {
  private readonly sql: SqlStorage;
  private readonly docs: DocumentStore;
  private readonly imports: ImportStore;
  private readonly refresh: TopicRefresh;
  private corpus: CorpusStats | null = null;
  private readonly filters = new Map<string, DocumentFilter>();
  private readonly coldMatches = new Map<string, { version: number; at: number; urls: Set<string> }>();
  private counter = emptyCounter();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
    this.docs = new DocumentStore(this.sql);
    this.imports = new ImportStore(this.sql);
    this.refresh = new TopicRefresh({ get: (k, f) => this.meta(k, f), set: (k, v) => this.setMeta(k, v) }, this.docs);
  }

  // ---- storage ----

  private meta<T>(key: string, fallback: T): T {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : fallback;
  }

  private setMeta(key: string, value: unknown): void {
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }

  /**
   * The corpus statistics. Those stored under the old key counted every
   * account as one document (so IDF weighed nothing): they are rebuilt
   * from the stored documents once, and the topics refreshed.
   */
  private stats(): CorpusStats {
    if (!this.corpus) {
      let corpus = this.meta<CorpusStats | null>(CORPUS_KEY, null);
      if (!corpus) {
        corpus = buildCorpus(this.docs.scan());
        this.setMeta(CORPUS_KEY, corpus);
        if (corpus.documents > 0) this.corpusChanged();
      }
      this.corpus = corpus;
    }
    return this.corpus;
  }

  /** The corpus changed: refresh every document's extracted topics soon (topic-refresh.ts). */
  private corpusChanged(): void {
    this.refresh.corpusChanged();
    void this.ctx.storage.setAlarm(Date.now() + REFRESH_DELAY_MS);
  }

  /**
   * Stores `docs` (new values of their URLs): updates the corpus for the
   * documents whose text changed, then re-extracts the topics of every
   * document without manual topics among them.
   */
  private store(docs: ContentDocument[]): ContentDocument[] {
    const corpus = this.stats();
    const out: ContentDocument[] = [];
    this.ctx.storage.transactionSync(() => {
      let changed = false;
      for (const doc of docs) {
        const old = this.docs.get(doc.url);
        const terms = documentTerms(doc);
        if (old && JSON.stringify(documentTerms(old)) === JSON.stringify(terms)) continue;
        if (old) updateCorpus(corpus, documentTerms(old), -1);
        updateCorpus(corpus, terms, 1);
        changed = true;
      }
      if (changed) this.corpusChanged();
      for (const raw of docs) {
        const doc = raw.manual_topics ? raw : { ...raw, topics: extractTopics(raw, corpus) };
        this.docs.put(doc);
        out.push(doc);
      }
      this.setMeta(CORPUS_KEY, corpus);
    });
    return out;
  }

  /** Writes counters only (no text change: corpus and topics stay). */
  private storeCounters(doc: ContentDocument): void {
    this.docs.putCounters(doc);
  }

  // ---- settings ----

  async settings(): Promise<ContentSettings> {
    return { ...DEFAULT_CONTENT_SETTINGS, ...this.meta<Partial<ContentSettings>>("settings", {}) };
  }

  async updateSettings(change: Partial<ContentSettings>): Promise<ContentSettings> {
    const next = { ...(await this.settings()), ...change };
    this.setMeta("settings", next);
    return next;
  }

  // ---- documents ----

  async putDocuments(body: unknown[], source: "api" | "import"): Promise<DocumentWrite> {
    const parsed = parseDocumentInputs(body.length === 1 ? body[0] : body);
    if (!parsed.ok) return { ok: false, status: 400, problems: parsed.problems };
    return this.writeInputs(parsed.value, source, body.length > 1);
  }

  private async writeInputs(inputs: DocumentInput[], source: "api" | "import", batch: boolean): Promise<DocumentWrite> {
    const settings = await this.settings();
    const keys = canonicalKeys(inputs, settings, batch);
    if (!keys.ok) return { ok: false, status: 400, problems: keys.problems };
    const fresh = new Set(keys.urls.filter((url) => !this.docs.has(url))).size;
    if (this.docs.count() + fresh > MAX_DOCUMENTS)
      return {
        ok: false,
        status: 409,
        problems: [
          {
            message: `the account holds ${this.docs.count()} documents and may hold at most ${MAX_DOCUMENTS}; ${fresh} would be new`,
          },
        ],
      };
    const now = Date.now();
    const byUrl = new Map<string, ContentDocument>();
    inputs.forEach((input, i) => {
      const url = keys.urls[i]!;
      const prev = byUrl.get(url) ?? this.docs.get(url) ?? undefined;
      byUrl.set(url, applyDocumentInput(prev, url, { kind: "replace", input }, source, now));
    });
    return { ok: true, docs: this.store([...byUrl.values()]) };
  }

  async patchDocuments(body: unknown[]): Promise<DocumentWrite> {
    const parsed = parseDocumentPatches(body.length === 1 ? body[0] : body);
    if (!parsed.ok) return { ok: false, status: 400, problems: parsed.problems };
    const settings = await this.settings();
    const keys = canonicalKeys(parsed.value, settings, body.length > 1);
    if (!keys.ok) return { ok: false, status: 400, problems: keys.problems };
    const missing: ContentProblem[] = [];
    keys.urls.forEach((url, i) => {
      if (!this.docs.has(url))
        missing.push({ path: body.length > 1 ? `${i}.url` : "url", message: `no document ${url}` });
    });
    if (missing.length) return { ok: false, status: 404, problems: missing };
    const now = Date.now();
    const byUrl = new Map<string, ContentDocument>();
    parsed.value.forEach((patch, i) => {
      const url = keys.urls[i]!;
      const prev = byUrl.get(url) ?? this.docs.get(url)!;
      const source = prev.source === "discovery" ? "api" : prev.source;
      byUrl.set(url, applyDocumentInput(prev, url, { kind: "patch", patch }, source, now));
    });
    return { ok: true, docs: this.store([...byUrl.values()]) };
  }

  async deleteDocuments(urls: string[]): Promise<{ deleted: string[]; missing: string[] }> {
    const settings = await this.settings();
    const corpus = this.stats();
    const deleted: string[] = [];
    const missing: string[] = [];
    this.ctx.storage.transactionSync(() => {
      for (const raw of urls) {
        const url = canonicalizeUrl(raw, settings) ?? raw;
        const doc = this.docs.get(url);
        if (!doc) {
          missing.push(raw);
          continue;
        }
        updateCorpus(corpus, documentTerms(doc), -1);
        this.docs.delete(url);
        deleted.push(url);
      }
      this.setMeta(CORPUS_KEY, corpus);
      if (deleted.length) this.corpusChanged();
    });
    return { deleted, missing };
  }

  async getDocument(url: string): Promise<ContentDocument | null> {
    const key = canonicalizeUrl(url, await this.settings()) ?? url;
    return this.docs.get(key);
  }

  async listDocuments(query: {
    filter?: string;
    q?: string;
    offset: number;
    limit: number;
  }): Promise<DocumentPage | { ok: false; status: 400 | 404; problems: ContentProblem[] }> {
    let filter: DocumentFilter | null = null;
    if (query.filter) {
      const compiled = this.filterOf(query.filter, "contentsegment");
      if (!compiled.ok) return compiled;
      filter = compiled.value;
    }
    const needle = query.q?.toLowerCase();
    const now = Date.now();
    // One pass over the stored documents in URL order, keeping only the page asked for.
    const docs: ContentDocument[] = [];
    let total = 0;
    for (const d of this.docs.scan()) {
      if (filter && !filter.test(documentRow(d), now)) continue;
      if (
        needle &&
        !d.url.toLowerCase().includes(needle) &&
        !(d.title ?? "").toLowerCase().includes(needle) &&
        !(d.description ?? "").toLowerCase().includes(needle)
      )
        continue;
      if (total >= query.offset && docs.length < query.limit) docs.push(d);
      total++;
    }
    const end = query.offset + docs.length;
    return { total, docs, next: end < total ? end : null };
  }

  // ---- discovery ----

  async discover(events: Record<string, unknown>[], domains: string[]): Promise<(DiscoveredView | null)[]> {
    const stored = await this.settings();
    const settings = stored.hosts.length ? stored : { ...stored, hosts: domains };
    const now = Date.now();
    return events.map((event) => {
      const found = discoverDocument(event, (url) => this.docs.get(url) ?? undefined, settings, now);
      if (found.status === "skipped") return null;
      // At the account's limit new pages are not added (known ones still refresh).
      if (found.status === "created" && this.docs.count() >= MAX_DOCUMENTS) return null;
      const doc = found.textChanged || found.status === "created" ? this.store([found.doc])[0]! : found.doc;
      if (!(found.textChanged || found.status === "created")) this.storeCounters(doc);
      return { url: doc.url, topics: doc.topics };
    });
  }

  async countUniqueVisitors(urls: string[]): Promise<void> {
    for (const url of urls) {
      const doc = this.docs.get(url);
      if (doc) this.storeCounters(countUniqueVisitor(doc));
    }
  }

  // ---- recommendations ----

  private filterOf(
    text: string,
    param: "contentsegment" | "ql",
  ): { ok: true; value: DocumentFilter } | { ok: false; status: 400 | 404; problems: ContentProblem[] } {
    const key = `${param}\n${text}`;
    const cached = this.filters.get(key);
    if (cached) return { ok: true, value: cached };
    const audiences = this.meta<Record<string, string>>("audiences", {});
    const compiled = compileContentFilter(text, param, (slug) =>
      Object.hasOwn(audiences, slug) ? audiences[slug] : undefined,
    );
    if (compiled.ok) {
      if (this.filters.size >= MAX_CACHED_FILTERS) this.filters.clear();
      this.filters.set(key, compiled.value);
    }
    return compiled;
  }

  async recommend(
    params: RecommendParams,
    profile: AffinityState | undefined,
  ): Promise<{ ok: true; data: RecommendedItem[] } | { ok: false; status: 400 | 404; problems: ContentProblem[] }> {
    const now = Date.now();
    const tests: ((e: RankEntry) => boolean)[] = [];
    for (const param of ["contentsegment", "ql"] as const) {
      const text = params[param];
      if (!text) continue;
      const compiled = this.filterOf(text, param);
      if (!compiled.ok) return compiled;
      const filter = compiled.value;
      if (filter.hot) tests.push((e) => filter.test(entryRow(e), now));
      else {
        const urls = this.coldMatchesOf(`${param}\n${text}`, filter, now);
        tests.push((e) => urls.has(e.url));
      }
    }
    const ranked = rank({
      entries: this.docs.entries().values(),
      profile,
      params,
      accept: tests.length ? (e) => tests.every((t) => t(e)) : undefined,
      now,
    });
    const full = this.docs.getMany(ranked.map((r) => r.entry.url));
    const data = ranked.flatMap((r) => {
      const doc = full.get(r.entry.url);
      return doc ? [toItem(doc, r.confidence, r.visited)] : [];
    });
    return { ok: true, data };
  }

  /**
   * The URLs of the stored documents a filter reading fields beyond the
   * rank entries accepts; kept until a document's text changes, or for
   * `COLD_MATCH_TTL_MS` while only counters change.
   */
  private coldMatchesOf(key: string, filter: DocumentFilter, now: number): Set<string> {
    const version = this.docs.textVersion();
    const hit = this.coldMatches.get(key);
    if (hit && hit.version === version && now - hit.at < COLD_MATCH_TTL_MS) return hit.urls;
    const urls = new Set<string>();
    for (const d of this.docs.scan()) if (filter.test(documentRow(d), now)) urls.add(d.url);
    if (this.coldMatches.size >= MAX_COLD_MATCHES) this.coldMatches.delete(this.coldMatches.keys().next().value!);
    this.coldMatches.set(key, { version, at: now, urls });
    return urls;
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
    const step = await this.importNext(newImportJob(id, key, size, Date.now()));
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
      const more = this.refresh.step(this.stats(), (docs) =>
        this.ctx.storage.transactionSync(() => {
          for (const doc of docs) this.docs.put(doc);
        }),
      );
      if (more) await this.ctx.storage.setAlarm(Date.now());
      return;
    }
    try {
      await this.importNext(job);
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
    if (this.imports.next() || this.refresh.pending()) await this.ctx.storage.setAlarm(Date.now());
  }

  /** Reads, parses and writes the next chunk of an import; stores its progress. */
  private async importNext(job: ImportJob): Promise<ImportStep> {
    const now = Date.now();
    const length = Math.min(IMPORT_CHUNK_BYTES, job.size - job.offset);
    const object = length > 0 ? await this.env.UPLOADS.get(job.key, { range: { offset: job.offset, length } }) : null;
    let step: ImportStep;
    if (length > 0 && !object) {
      step = {
        job: { ...job, state: "failed", message: "the uploaded file is missing", finished: now },
        inputs: [],
        lines: [],
        done: true,
      };
    } else {
      const bytes = object ? new Uint8Array(await object.arrayBuffer()) : new Uint8Array(0);
      step = importStep(job, bytes, job.offset + length >= job.size, await this.settings(), now);
    }
    if (step.headerProblems) {
      await this.env.UPLOADS.delete(job.key);
      return step;
    }
    let next = step.job;
    if (step.inputs.length) {
      const written = await this.writeInputs(step.inputs, "import", true);
      if (written.ok) next = { ...next, rowsOk: next.rowsOk + step.inputs.length };
      else
        next = {
          ...next,
          state: "failed",
          rowsFailed: next.rowsFailed + step.inputs.length,
          message: `lines ${step.lines[0]}–${step.lines[step.lines.length - 1]} not stored: ${written.problems.map((p) => p.message).join("; ")}`,
          finished: now,
        };
    }
    next = { ...next, attempts: 0 };
    this.imports.save(next);
    const done = next.state === "done" || next.state === "failed";
    if (done) await this.env.UPLOADS.delete(job.key);
    return { ...step, job: next, done };
  }

  // ---- content audiences ----

  async audiences(): Promise<ContentAudience[]> {
    const all = this.meta<Record<string, string>>("audiences", {});
    return Object.entries(all)
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
    const all = this.meta<Record<string, string>>("audiences", {});
    all[slug] = text;
    this.setMeta("audiences", all);
    this.filters.clear();
    this.coldMatches.clear();
    return { ok: true, audience: { slug, segment_ql: text } };
  }

  async deleteAudience(slug: string): Promise<boolean> {
    const all = this.meta<Record<string, string>>("audiences", {});
    if (!Object.hasOwn(all, slug)) return false;
    delete all[slug];
    this.setMeta("audiences", all);
    this.filters.clear();
    this.coldMatches.clear();
    return true;
  }

  // ---- budget counter (objects named `<cid>/budget`) ----

  async lease(want: number, rate: number): Promise<BudgetLease> {
    const { counter, lease } = grantLease(this.counter, want, rate, Date.now());
    this.counter = counter;
    return lease;
  }
}
