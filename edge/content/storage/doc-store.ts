/**
 * The documents of one account in the content object's SQLite storage.
 *
 * Each row holds the whole document (`body`, JSON) and, in columns, what
 * ranking reads: topics (JSON), views, unique visitors and the publication
 * time. Only those columns are kept in memory, as one immutable
 * {@link RankEntry} per document (bounded: ≤ 12 topics, a URL ≤ 2,048
 * characters, numbers); whole documents are read from storage when asked
 * for (one by URL, the few a recommendation returns, a page of a list).
 *
 * Rows written before the ranking columns existed are filled from their
 * body once, when the store opens.
 */
import type { ContentDocument } from "../contract";
import { createdOf } from "../documents/document";
import { type RankEntry, rankEntryOf } from "../ranking/rank-entry";

/** Most documents an account holds (what the in-memory rank entries are bounded by). */
export const MAX_DOCUMENTS = 100_000;

const SCHEMA = "CREATE TABLE IF NOT EXISTS docs (url TEXT PRIMARY KEY, body TEXT NOT NULL)";
const COLUMNS: [string, string][] = [
  ["topics", "TEXT"],
  ["views", "INTEGER"],
  ["uniq", "INTEGER"],
  ["created", "TEXT"],
];

interface EntryRow extends Record<string, SqlStorageValue> {
  url: string;
  topics: string;
  views: number;
  uniq: number;
  created: string;
}

/** Documents in SQLite, their rank entries in memory. */
export class DocumentStore {
  private hot: Map<string, RankEntry> | null = null;
  private version = 0;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
    const have = new Set(
      sql
        .exec<{ name: string }>("PRAGMA table_info(docs)")
        .toArray()
        .map((c) => c.name),
    );
    const missing = COLUMNS.filter(([name]) => !have.has(name));
    if (missing.length) {
      for (const [name, type] of missing) sql.exec(`ALTER TABLE docs ADD COLUMN ${name} ${type}`);
      sql.exec(
        `UPDATE docs SET topics = json_extract(body, '$.topics'), views = json_extract(body, '$.views'),
         uniq = json_extract(body, '$.unique_visitors'),
         created = COALESCE(json_extract(body, '$.published'), json_extract(body, '$.created'))`,
      );
    }
  }

  /** Every document's rank entry, by URL (read from storage once). */
  entries(): ReadonlyMap<string, RankEntry> {
    if (!this.hot) {
      const hot = new Map<string, RankEntry>();
      for (const r of this.sql.exec<EntryRow>("SELECT url, topics, views, uniq, created FROM docs")) {
        const topics = JSON.parse(r.topics) as Record<string, number>;
        hot.set(
          r.url,
          rankEntryOf({
            url: r.url,
            topics,
            views: r.views,
            unique_visitors: r.uniq,
            created: r.created,
          } as ContentDocument),
        );
      }
      this.hot = hot;
    }
    return this.hot;
  }

  /** Documents stored. */
  count(): number {
    return this.entries().size;
  }

  has(url: string): boolean {
    return this.entries().has(url);
  }

  /** Grows with every change of a document's text or topics (not of its counters). */
  textVersion(): number {
    return this.version;
  }

  /** One document, read from storage. */
  get(url: string): ContentDocument | null {
    const row = this.sql.exec<{ body: string }>("SELECT body FROM docs WHERE url = ?", url).toArray()[0];
    return row ? (JSON.parse(row.body) as ContentDocument) : null;
  }

  /** Several documents by URL (those that exist). */
  getMany(urls: readonly string[]): Map<string, ContentDocument> {
    const out = new Map<string, ContentDocument>();
    for (let i = 0; i < urls.length; i += 50) {
      const part = urls.slice(i, i + 50);
      const rows = this.sql.exec<{ url: string; body: string }>(
        `SELECT url, body FROM docs WHERE url IN (${part.map(() => "?").join(",")})`,
        ...part,
      );
      for (const r of rows) out.set(r.url, JSON.parse(r.body) as ContentDocument);
    }
    return out;
  }

  /** Every document in URL order, read from storage as the caller iterates. */
  *scan(): Iterable<ContentDocument> {
    for (const r of this.sql.exec<{ body: string }>("SELECT body FROM docs ORDER BY url"))
      yield JSON.parse(r.body) as ContentDocument;
  }

  /** Up to `limit` documents with URLs after `cursor`, in URL order. */
  after(cursor: string, limit: number): ContentDocument[] {
    return this.sql
      .exec<{ body: string }>("SELECT body FROM docs WHERE url > ? ORDER BY url LIMIT ?", cursor, limit)
      .toArray()
      .map((r) => JSON.parse(r.body) as ContentDocument);
  }

  /** Stores a document (created or changed). */
  put(doc: ContentDocument): void {
    this.sql.exec(
      `INSERT INTO docs (url, body, topics, views, uniq, created) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(url) DO UPDATE SET body = excluded.body, topics = excluded.topics, views = excluded.views,
       uniq = excluded.uniq, created = excluded.created`,
      doc.url,
      JSON.stringify(doc),
      JSON.stringify(doc.topics),
      doc.views,
      doc.unique_visitors,
      createdOf(doc),
    );
    this.version++;
    this.hot?.set(doc.url, rankEntryOf(doc));
  }

  /** Stores a document whose counters alone changed. */
  putCounters(doc: ContentDocument): void {
    this.sql.exec(
      "UPDATE docs SET body = ?, views = ?, uniq = ? WHERE url = ?",
      JSON.stringify(doc),
      doc.views,
      doc.unique_visitors,
      doc.url,
    );
    this.hot?.set(doc.url, rankEntryOf(doc));
  }

  /** Deletes a document; false when there was none. */
  delete(url: string): boolean {
    if (!this.has(url)) return false;
    this.sql.exec("DELETE FROM docs WHERE url = ?", url);
    this.version++;
    this.hot!.delete(url);
    return true;
  }
}
