/**
 * The documents of one account as the content object keeps them: the
 * document rows (doc-store.ts), the corpus statistics TF-IDF reads (kept
 * in the meta table) and the topic refresh that follows corpus changes.
 * Every write of document text goes through `store`, which keeps the
 * corpus and the extracted topics true. It knows nothing of RPC or HTTP.
 */
import type {
  ContentDocument,
  ContentProblem,
  ContentSettings,
  CorpusStats,
  DiscoveredView,
  DocumentWrite,
  ViewCount,
} from "../contract";
import { discoverDocument } from "../documents/discovery";
import { addViewCount, applyDocumentInput, canonicalKeys, documentRow } from "../documents/document";
import { type DocumentInput, parseDocumentPatches } from "../documents/input";
import { TopicRefresh } from "../documents/topic-refresh";
import { buildCorpus, documentTerms, extractTopics, updateCorpus } from "../documents/topics";
import { canonicalizeUrl } from "../documents/url";
import type { DocumentFilter } from "../ranking/filter";
import { DocumentStore, MAX_DOCUMENTS } from "./doc-store";
import type { MetaStore } from "./meta-store";

/** Where the corpus statistics are kept (the key "corpus" held miscounted ones). */
const CORPUS_KEY = "corpus_v2";

/** What the object lends the library: its SQL, meta table, transactions and a way to wake its alarm. */
export interface LibraryHost {
  sql: SqlStorage;
  meta: MetaStore;
  transaction(fn: () => void): void;
  /** The corpus changed: a topic refresh step is due soon. */
  refreshDue(): void;
}

/** An account's documents with their corpus. */
export class Library {
  readonly docs: DocumentStore;
  private readonly refresh: TopicRefresh;
  private corpus: CorpusStats | null = null;

  constructor(private readonly host: LibraryHost) {
    this.docs = new DocumentStore(host.sql);
    this.refresh = new TopicRefresh(host.meta, this.docs);
  }

  /**
   * The corpus statistics. Those stored under the old key counted every
   * account as one document (so IDF weighed nothing): they are rebuilt
   * from the stored documents once, and the topics refreshed.
   */
  stats(): CorpusStats {
    if (!this.corpus) {
      let corpus = this.host.meta.get<CorpusStats | null>(CORPUS_KEY, null);
      if (!corpus) {
        corpus = buildCorpus(this.docs.scan());
        this.host.meta.set(CORPUS_KEY, corpus);
        if (corpus.documents > 0) this.corpusChanged();
      }
      this.corpus = corpus;
    }
    return this.corpus;
  }

  private corpusChanged(): void {
    this.refresh.corpusChanged();
    this.host.refreshDue();
  }

  /**
   * Stores `docs` (new values of their URLs): updates the corpus for the
   * documents whose text changed, then re-extracts the topics of every
   * document without manual topics among them.
   */
  store(docs: ContentDocument[]): ContentDocument[] {
    const corpus = this.stats();
    const out: ContentDocument[] = [];
    this.host.transaction(() => {
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
      this.host.meta.set(CORPUS_KEY, corpus);
    });
    return out;
  }

  /** Creates or replaces documents from validated inputs (409 past the account's limit). */
  write(inputs: DocumentInput[], source: "api" | "import", batch: boolean, settings: ContentSettings): DocumentWrite {
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

  /** Changes existing documents (404 naming unknown URLs, nothing changed). */
  patch(body: unknown[], settings: ContentSettings): DocumentWrite {
    const parsed = parseDocumentPatches(body.length === 1 ? body[0] : body);
    if (!parsed.ok) return { ok: false, status: 400, problems: parsed.problems };
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

  delete(urls: string[], settings: ContentSettings): { deleted: string[]; missing: string[] } {
    const corpus = this.stats();
    const deleted: string[] = [];
    const missing: string[] = [];
    this.host.transaction(() => {
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
      this.host.meta.set(CORPUS_KEY, corpus);
      if (deleted.length) this.corpusChanged();
    });
    return { deleted, missing };
  }

  /** Discovers or refreshes the documents of page views, counting each view (null: not a content page view). */
  discover(events: Record<string, unknown>[], settings: ContentSettings): (DiscoveredView | null)[] {
    const now = Date.now();
    return events.map((event) => {
      const found = discoverDocument(event, (url) => this.docs.get(url) ?? undefined, settings, now);
      if (found.status === "skipped") return null;
      // At the account's limit new pages are not added (known ones still refresh).
      if (found.status === "created" && this.docs.count() >= MAX_DOCUMENTS) return null;
      const textual = found.textChanged || found.status === "created";
      const doc = textual ? this.store([found.doc])[0]! : found.doc;
      if (!textual) this.docs.putCounters(doc);
      return { url: doc.url, topics: doc.topics };
    });
  }

  /** Adds batched view counts (counters only: corpus and topics stay). */
  countViews(counts: ViewCount[]): void {
    this.host.transaction(() => {
      for (const count of counts) {
        const doc = this.docs.get(count.url);
        if (doc) this.docs.putCounters(addViewCount(doc, count));
      }
    });
  }

  /** A page of documents in URL order: those `filter` accepts with `q` in their url, title or description. */
  list(
    query: { q?: string; offset: number; limit: number },
    filter: DocumentFilter | null,
  ): { total: number; docs: ContentDocument[]; next: number | null } {
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

  /** The next step of the topic refresh; whether more are due. */
  refreshStep(): boolean {
    return this.refresh.step(this.stats(), (docs) =>
      this.host.transaction(() => {
        for (const doc of docs) this.docs.put(doc);
      }),
    );
  }

  refreshPending(): boolean {
    return this.refresh.pending();
  }
}
