import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DocumentStore } from "../../../edge/content/storage/doc-store";
import { ORIGIN, admin, call, collect, newAccount, ok } from "../helpers";

/** Whether `value` holds the string `needle` anywhere in its own fields, maps, sets and arrays (storage handles skipped). */
function holds(value: unknown, needle: string, seen = new Set<unknown>(), depth = 0): boolean {
  if (typeof value === "string") return value.includes(needle);
  if (!value || typeof value !== "object" || seen.has(value) || depth > 8) return false;
  seen.add(value);
  const children =
    value instanceof Map
      ? [...value.keys(), ...value.values()]
      : value instanceof Set || Array.isArray(value)
        ? [...value]
        : Object.entries(value)
            .filter(([k]) => !["ctx", "env", "sql", "state", "storage"].includes(k))
            .map(([, v]) => v);
  return children.some((c) => holds(c, needle, seen, depth + 1));
}

const contentObject = (cid: string) => {
  const ns = (env as unknown as { CONTENT: DurableObjectNamespace }).CONTENT;
  return ns.get(ns.idFromName(cid));
};

const DESCRIPTION = "A long description only the stored document holds";

async function seed(cid: string) {
  await ok(
    await admin(
      `/api/content/doc?cid=${cid}`,
      "POST",
      ["trails", "boots", "espresso", "grinders"].map((slug, i) => ({
        url: `http://localhost:8080/demo/article-${slug}`,
        title: `${slug[0]!.toUpperCase()}${slug.slice(1)} article`,
        description: `${DESCRIPTION} (${slug})`,
        author: "Ann",
        keywords: [i < 2 ? "hiking" : "coffee"],
      })),
    ),
    201,
  );
}

const recommend = (cid: string, uid: string, query = "") =>
  call(`/api/content/recommend/${cid}/user/_uids/${uid}?${query}`, { headers: { origin: ORIGIN } });

describe("content storage", () => {
  it("keeps documents in storage and only what ranking needs in memory; answers stay whole", async () => {
    const cid = await newAccount();
    await seed(cid);
    await ok(
      await collect(cid, {
        _e: "pv",
        _uid: "reader",
        url: "localhost:8080/demo/article-trails",
        _content: { url: "http://localhost:8080/demo/article-trails" },
      }),
    );
    const res = (await ok(await recommend(cid, "reader", "limit=3"))).data;
    expect(res[0]).toMatchObject({
      url: "localhost:8080/demo/article-boots",
      title: "Boots article",
      description: `${DESCRIPTION} (boots)`,
      author: "Ann",
      visited: false,
    });
    expect(res.map((d: { url: string }) => d.url)).not.toContain("localhost:8080/demo/article-trails");
    // A list and a single read are whole documents too.
    const one = (await ok(await admin(`/api/content/doc?cid=${cid}&url=localhost:8080/demo/article-espresso`))).data;
    expect(one.description).toBe(`${DESCRIPTION} (espresso)`);
    // The object's memory holds no document text.
    const inMemory = await runInDurableObject(contentObject(cid), (instance) => holds(instance, DESCRIPTION));
    expect(inMemory).toBe(false);
  });

  it("a contentsegment on fields beyond ranking's (title, author) reads the stored documents and follows their changes", async () => {
    const cid = await newAccount();
    await seed(cid);
    const q = `contentsegment=${encodeURIComponent('FILTER title LIKE "Espresso*" FROM content')}&rank=popular`;
    const urls = async () =>
      ((await ok(await recommend(cid, "x", q))).data as { url: string }[]).map((d) => d.url.split("/").pop());
    expect(await urls()).toEqual(["article-espresso"]);
    await ok(
      await admin(`/api/content/doc?cid=${cid}`, "PATCH", {
        url: "http://localhost:8080/demo/article-grinders",
        title: "Espresso grinders",
      }),
    );
    expect((await urls()).sort()).toEqual(["article-espresso", "article-grinders"]);
    await ok(await admin(`/api/content/doc?cid=${cid}&url=http://localhost:8080/demo/article-espresso`, "DELETE"));
    expect(await urls()).toEqual(["article-grinders"]);
    const byAuthor = encodeURIComponent('FILTER AND (author = "Ann", topics INTERSECTS ("hiking")) FROM content');
    expect(((await ok(await recommend(cid, "x", `contentsegment=${byAuthor}`))).data as unknown[]).length).toBe(2);
  });

  it("reads documents stored before the ranking columns existed", async () => {
    const stub = contentObject(`legacy-${Date.now()}`);
    const result = await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      sql.exec("DROP TABLE docs");
      sql.exec("CREATE TABLE docs (url TEXT PRIMARY KEY, body TEXT NOT NULL)");
      const doc = {
        url: "ex.com/old",
        title: "Old",
        keywords: [],
        topics: { hiking: 1, trail: 0.5 },
        manual_topics: false,
        views: 7,
        unique_visitors: 3,
        created: "2025-01-01T00:00:00.000Z",
        updated: "2025-01-01T00:00:00.000Z",
        published: "2024-06-01T00:00:00.000Z",
        source: "api",
      };
      sql.exec("INSERT INTO docs (url, body) VALUES (?, ?)", doc.url, JSON.stringify(doc));
      const store = new DocumentStore(sql);
      return { entry: store.entries().get("ex.com/old"), title: store.get("ex.com/old")?.title };
    });
    expect(result.title).toBe("Old");
    expect(result.entry).toMatchObject({
      names: ["hiking", "trail"],
      weights: [1, 0.5],
      sum: 1.5,
      views: 7,
      unique_visitors: 3,
      created: "2024-06-01T00:00:00.000Z",
    });
  });
});
