import { env as testEnv, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ContentDocument, ContentRpc, RecommendParams } from "../../../edge/content/contract";

const env = testEnv as unknown as { CONTENT: DurableObjectNamespace };

const T0 = "2026-01-01T00:00:00.000Z";

const doc = (
  url: string,
  title: string,
  topics: Record<string, number>,
  views: number,
  uniq: number,
  published: string,
) => ({
  url,
  title,
  description: `${title} described`,
  author: "Ann",
  published,
  keywords: [],
  topics,
  manual_topics: true,
  views,
  unique_visitors: uniq,
  created: T0,
  updated: T0,
  source: "api",
});

/** Drops what the current code created, so only the old tables remain. */
function dropAllTables(sql: SqlStorage): void {
  for (const { name } of sql
    .exec<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    )
    .toArray())
    sql.exec(`DROP TABLE "${name}"`);
}

/**
 * The content object's tables and rows exactly as commit e54d76c wrote them
 * (content-object.ts, doc-store.ts, import-store.ts there): documents with
 * their ranking columns, the corpus statistics, settings, a saved content
 * audience and a finished import. The ranking columns (`topics`, `views`,
 * `uniq`, `created`) and `corpus_v2` are derived: the code rebuilds them from
 * the document bodies when missing, so renaming one loses nothing (and this
 * test still passes); renaming `docs`, `body`, `imports` or a meta key fails it.
 */
function writeContentRows(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (url TEXT PRIMARY KEY, body TEXT NOT NULL, topics TEXT, views INTEGER, uniq INTEGER, created TEXT);
CREATE TABLE imports (id TEXT PRIMARY KEY, created INTEGER NOT NULL, state TEXT NOT NULL, body TEXT NOT NULL);`);
  const docs = [
    doc("shop.example/boots", "Boots", { hiking: 1, gear: 0.5 }, 50, 30, "2025-03-01T00:00:00.000Z"),
    doc("shop.example/sails", "Sails", { sailing: 1 }, 5, 4, "2025-06-01T00:00:00.000Z"),
    doc("shop.example/trails", "Trails", { hiking: 0.8 }, 20, 10, "2025-09-01T00:00:00.000Z"),
  ];
  for (const d of docs)
    sql.exec(
      "INSERT INTO docs (url, body, topics, views, uniq, created) VALUES (?, ?, ?, ?, ?, ?)",
      d.url,
      JSON.stringify(d),
      JSON.stringify(d.topics),
      d.views,
      d.unique_visitors,
      d.published,
    );
  const meta = (key: string, value: unknown) => sql.exec("INSERT INTO meta VALUES (?, ?)", key, JSON.stringify(value));
  meta("corpus_v2", { documents: 3, df: { boots: 1, sails: 1, trails: 1, described: 3 } });
  meta("settings", {
    hosts: ["shop.example"],
    paths: [],
    exclude_paths: [],
    strip_params: ["ref"],
    trailing_slash: "strip",
  });
  meta("audiences", { hikers: 'FILTER topics INTERSECTS ("hiking") FROM content ALIAS hikers' });
  const job = {
    id: "imp1",
    key: "imports/imp1.csv",
    state: "done",
    size: 120,
    offset: 120,
    line: 4,
    header: ["url", "title"],
    ignoredColumns: [],
    rowsOk: 2,
    rowsFailed: 1,
    errors: [{ line: 3, message: "url is required" }],
    errorsTotal: 1,
    attempts: 0,
    message: null,
    created: 1,
    started: 2,
    finished: 3,
  };
  sql.exec("INSERT INTO imports VALUES ('imp1', 1, 'done', ?)", JSON.stringify(job));
}

const params = (rank: RecommendParams["rank"], more: Partial<RecommendParams> = {}): RecommendParams => ({
  limit: 10,
  rank,
  visited: true,
  shuffle: false,
  topics: [],
  include: [],
  exclude: [],
  ...more,
});

describe("content object storage format (as written by e54d76c)", () => {
  it("reads stored documents, counters, settings, content audiences and imports, and still ranks them", async () => {
    const stub = env.CONTENT.get(env.CONTENT.idFromName(`stored-${Date.now()}`));
    await runInDurableObject(stub, async (instance, state) => {
      dropAllTables(state.storage.sql);
      writeContentRows(state.storage.sql);
      const Klass = instance.constructor as new (ctx: DurableObjectState, env: unknown) => ContentRpc;
      const content = new Klass(state, testEnv);

      expect(await content.settings()).toMatchObject({ hosts: ["shop.example"], strip_params: ["ref"] });
      const boots = (await content.getDocument("https://shop.example/boots?ref=x")) as ContentDocument;
      expect(boots).toMatchObject({ title: "Boots", views: 50, unique_visitors: 30, topics: { hiking: 1, gear: 0.5 } });
      const page = await content.listDocuments({ offset: 0, limit: 2 });
      expect(page).toMatchObject({ total: 3, next: 2 });
      expect("docs" in page && page.docs.map((d) => d.url)).toEqual(["shop.example/boots", "shop.example/sails"]);
      expect(await content.audiences()).toEqual([
        { slug: "hikers", segment_ql: 'FILTER topics INTERSECTS ("hiking") FROM content ALIAS hikers' },
      ]);
      expect(await content.importJobs()).toMatchObject([{ id: "imp1", state: "done", rowsOk: 2, rowsFailed: 1 }]);
      expect(await content.importStatus("imp1")).toMatchObject({ errors: [{ line: 3, message: "url is required" }] });

      const urls = async (p: RecommendParams) => {
        const r = await content.recommend(p, undefined);
        if (!r.ok) throw new Error(JSON.stringify(r.problems));
        return r.data.map((d) => d.url);
      };
      // Ranked by the stored view counters, by the stored publication times, and filtered by the saved audience.
      expect(await urls(params("popular"))).toEqual([
        "shop.example/boots",
        "shop.example/trails",
        "shop.example/sails",
      ]);
      expect(await urls(params("recent"))).toEqual(["shop.example/trails", "shop.example/sails", "shop.example/boots"]);
      expect(await urls(params("popular", { contentsegment: "hikers" }))).toEqual([
        "shop.example/boots",
        "shop.example/trails",
      ]);

      // The stored counters go on from where they were.
      await content.countViews([{ url: "shop.example/sails", views: 0, unique_visitors: 1, last_viewed: null }]);
      expect((await content.getDocument("shop.example/sails"))?.unique_visitors).toBe(5);
      const written = await content.putDocuments(
        [{ url: "https://shop.example/tents", title: "Tents", topics: { hiking: 0.9 } }],
        "api",
      );
      expect(written).toMatchObject({ ok: true });
      expect((await content.listDocuments({ offset: 0, limit: 10 })) as { total: number }).toMatchObject({ total: 4 });
      expect(await content.deleteDocuments(["shop.example/sails"])).toEqual({
        deleted: ["shop.example/sails"],
        missing: [],
      });
      expect(await urls(params("popular"))).toEqual([
        "shop.example/boots",
        "shop.example/trails",
        "shop.example/tents",
      ]);
    });
  });
});
