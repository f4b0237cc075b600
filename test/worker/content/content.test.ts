import { describe, expect, it } from "vitest";
import { ADMIN, ORIGIN, admin, call, collect, eventually, newAccount, ok, personalize } from "../helpers";

const DAY = 86_400_000;

/** A page view as the tag sends it from an article page on the demo site. */
function pageView(uid: string, slug: string, meta: Record<string, unknown>, ts?: number) {
  return {
    _e: "pv",
    _uid: uid,
    url: `localhost:8080/demo/${slug}`,
    title: `${meta.title ?? slug} | Demo`,
    ...(ts ? { _ts: ts } : {}),
    _content: { url: `http://localhost:8080/demo/${slug}`, ...meta },
  };
}

const ARTICLES: [string, string, string[]][] = [
  ["article-trails", "Ten quiet trails", ["hiking"]],
  ["article-boots", "Breaking in boots", ["hiking"]],
  ["article-summit", "Your first summit", ["hiking"]],
  ["article-ridge", "Ridge walks in autumn", ["hiking"]],
  ["article-espresso", "Espresso at home", ["coffee"]],
  ["article-grinders", "Choosing a grinder", ["coffee"]],
  ["article-pourover", "Pour-over basics", ["coffee"]],
  ["article-tents", "Tents for two", ["camping"]],
];

/** Creates the articles through the API (published on consecutive days, the last the newest). */
async function seedArticles(cid: string) {
  await ok(
    await admin(
      `/api/content/doc?cid=${cid}`,
      "POST",
      ARTICLES.map(([slug, title, keywords], i) => ({
        url: `http://localhost:8080/demo/${slug}`,
        title,
        description: `${title}: a story.`,
        keywords,
        published: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      })),
    ),
    201,
  );
}

const recommend = (cid: string, uid: string, query = "", init: RequestInit = { headers: { origin: ORIGIN } }) =>
  call(`/api/content/recommend/${cid}/user/_uids/${uid}${query ? `?${query}` : ""}`, init);
const urls = async (res: Response) => ((await ok(res)).data as { url: string }[]).map((d) => d.url.split("/").pop());

describe("content documents", () => {
  it("discovers a document from page views: a second view refreshes it, never duplicates it", async () => {
    const cid = await newAccount();
    const meta = {
      title: "Ten quiet trails",
      description: "Where to walk alone",
      image: "http://localhost:8080/img/trails.jpg",
      author: "Ann",
      published: "2026-03-01T08:00:00Z",
      keywords: "hiking, trails",
      tags: ["Outdoors"],
    };
    await ok(await collect(cid, pageView("u1", "article-trails", meta)));
    await ok(await collect(cid, pageView("u2", "article-trails", { ...meta, title: "Ten quiet trails (2026)" })));
    const page = await ok(await admin(`/api/content/doc?cid=${cid}`));
    expect(page.total).toBe(1);
    const doc = page.data[0];
    expect(doc).toMatchObject({
      url: "localhost:8080/demo/article-trails",
      title: "Ten quiet trails (2026)",
      description: "Where to walk alone",
      primary_image: "http://localhost:8080/img/trails.jpg",
      author: "Ann",
      published: "2026-03-01T08:00:00.000Z",
      keywords: ["hiking", "trails", "outdoors"],
      views: 2,
      unique_visitors: 2,
      source: "discovery",
    });
    expect(Object.keys(doc.topics)).toEqual(expect.arrayContaining(["hiking", "trails", "outdoors"]));
    // The transport field did not become a profile field.
    const entity = await ok(await admin(`/api/entity/user/_uid/u1?cid=${cid}`));
    expect(JSON.stringify(entity)).not.toContain("_content");
  });

  it("counts every view of a page and each visitor once, however many calls the views came in", async () => {
    const cid = await newAccount();
    const meta = { title: "Ten quiet trails", keywords: "hiking" };
    for (const uid of ["a", "b", "a", "c", "a"]) await ok(await collect(cid, pageView(uid, "article-trails", meta)));
    await ok(await collect(cid, [pageView("d", "article-trails", meta), pageView("d", "article-trails", meta)]));
    const doc = (await ok(await admin(`/api/content/doc?cid=${cid}&url=localhost:8080/demo/article-trails`))).data;
    expect(doc).toMatchObject({ views: 7, unique_visitors: 4 });
    expect(Date.parse(doc.last_viewed)).toBeGreaterThan(Date.now() - 60_000);
    // Every view carried the page's topics to the visitor's profile, the first one included.
    const entity = (await ok(await admin(`/api/entity/user/_uid/a?cid=${cid}`))).data;
    expect(entity.topic_visited.hiking).toBe(1);
    expect(entity.content_visited).toBe(1);
  });

  it("does not discover pages outside the account's content paths", async () => {
    const cid = await newAccount();
    await ok(await admin(`/api/content/settings?cid=${cid}`, "PUT", { paths: ["/demo/article-*"] }));
    await ok(await collect(cid, pageView("u1", "index", { title: "Home" })));
    await ok(await collect(cid, pageView("u1", "article-x", { title: "X" })));
    const page = await ok(await admin(`/api/content/doc?cid=${cid}`));
    expect(page.data.map((d: { url: string }) => d.url)).toEqual(["localhost:8080/demo/article-x"]);
  });

  it("extracts topics from titles and descriptions against the corpus, and hand-set topics win", async () => {
    const cid = await newAccount();
    const body = [
      { url: "https://ex.com/a", title: "Espresso machines reviewed", description: "The best espresso machines" },
      { url: "https://ex.com/b", title: "Hiking boots reviewed", description: "The best boots for hiking" },
      { url: "https://ex.com/c", title: "Trail running shoes reviewed", description: "The best shoes for trails" },
      { url: "https://ex.com/d", title: "Budget grinders", description: "Burr grinders", topics: ["coffee"] },
    ];
    const docs = (await ok(await admin(`/api/content/doc?cid=${cid}`, "POST", body), 201)).data;
    const a = (await ok(await admin(`/api/content/doc?cid=${cid}&url=https://ex.com/a`))).data;
    expect(Object.keys(a.topics)[0]).toBe("espresso");
    // "reviewed" and "best" are in three of four documents: weighted below the document's own terms.
    expect(a.topics.espresso).toBeGreaterThan(a.topics.reviewed ?? 0);
    expect(docs[3].topics).toEqual({ coffee: 1 });
    expect(docs[3].manual_topics).toBe(true);
    const patched = await ok(
      await admin(`/api/content/doc?cid=${cid}`, "PATCH", { url: "https://ex.com/d", topics: null }),
    );
    expect(Object.keys(patched.data[0].topics)).toContain("grinder");
  });

  it("gives every document the same topics for the same corpus, whatever order the documents arrived in", async () => {
    const body = [
      { url: "https://ex.com/a", title: "Espresso machines reviewed", description: "The best espresso machines" },
      { url: "https://ex.com/b", title: "Espresso grinders", description: "Grinders for espresso at home" },
      { url: "https://ex.com/c", title: "Machines for espresso", description: "Espresso machines, best value" },
      { url: "https://ex.com/d", title: "Hiking boots reviewed", description: "The best boots for hiking" },
      { url: "https://ex.com/e", title: "Espresso for hikers", description: "Coffee on the trail" },
    ];
    const topicsOf = async (cid: string) =>
      Object.fromEntries(
        ((await ok(await admin(`/api/content/doc?cid=${cid}`))).data as { url: string; topics: unknown }[]).map((d) => [
          d.url,
          d.topics,
        ]),
      );
    const one = await newAccount();
    const two = await newAccount();
    // One at a time in one order, all at once in the other: the corpus ends the same.
    for (const doc of body) await ok(await admin(`/api/content/doc?cid=${one}`, "POST", doc), 201);
    await ok(await admin(`/api/content/doc?cid=${two}`, "POST", [...body].reverse()), 201);
    const expected = await topicsOf(two);
    // "espresso" is in four of five documents, "reviewed" in two: in ex.com/a, with the same term frequency
    // as "espresso" ("reviewed" 2 in the title, "espresso" 2 + 1), the rarer term weighs more.
    const a = expected["ex.com/a"] as Record<string, number>;
    expect(a.machine).toBeGreaterThan(a.espresso!);
    expect(a.reviewed).toBeGreaterThan(a.espresso!);
    expect(
      await eventually(
        () => topicsOf(one),
        (t) => JSON.stringify(t) === JSON.stringify(expected),
      ),
    ).toEqual(expected);
  });

  it("lists with a SegmentQL filter, text search and pagination; deletes; refuses bad input", async () => {
    const cid = await newAccount();
    await seedArticles(cid);
    const hiking = await ok(
      await admin(
        `/api/content/doc?cid=${cid}&filter=${encodeURIComponent('FILTER topics INTERSECTS ("hiking") FROM content')}&limit=3`,
      ),
    );
    expect(hiking.total).toBe(4);
    expect(hiking.data).toHaveLength(3);
    expect(hiking.next).toBe(3);
    const rest = await ok(
      await admin(
        `/api/content/doc?cid=${cid}&filter=${encodeURIComponent('FILTER topics INTERSECTS ("hiking")')}&offset=3`,
      ),
    );
    expect(rest.data).toHaveLength(1);
    expect(rest.next).toBeNull();
    expect((await ok(await admin(`/api/content/doc?cid=${cid}&q=grinder`))).total).toBe(1);
    const bad = await admin(`/api/content/doc?cid=${cid}`, "POST", [
      { url: "ftp://x" },
      { url: "https://ok.com/", nope: 1 },
    ]);
    expect(bad.status).toBe(400);
    const err = await bad.json();
    expect(err.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "1", message: expect.stringContaining("nope") })]),
    );
    expect(
      (await admin(`/api/content/doc?cid=${cid}`, "POST", Array(1001).fill({ url: "https://a.com/" }))).status,
    ).toBe(400);
    const del = await ok(
      await admin(`/api/content/doc?cid=${cid}`, "DELETE", { urls: ["http://localhost:8080/demo/article-tents"] }),
    );
    expect(del.data.deleted).toEqual(["localhost:8080/demo/article-tents"]);
    expect((await admin(`/api/content/doc?cid=${cid}&url=http://localhost:8080/demo/article-tents`)).status).toBe(404);
    expect((await call(`/api/content/doc?cid=${cid}`)).status).toBe(401);
  });

  it("imports a CSV file, reporting the bad line by number and keeping the good ones", async () => {
    const cid = await newAccount();
    const csv = [
      "url,title,Image,published,tags",
      "https://ex.com/one,One,https://ex.com/1.jpg,2026-01-02,hiking|trails",
      "not a url,Two,,,",
      '"https://ex.com/three","Three, with a comma",,,coffee',
    ].join("\n");
    const res = await call(`/api/content/doc?cid=${cid}`, {
      method: "POST",
      headers: { authorization: ADMIN, "content-type": "text/csv" },
      body: csv,
    });
    // A small file is imported within the request: the job is done at once.
    const job = (await ok(res, 202)).data;
    expect(job).toMatchObject({ state: "done", progress: 1, rowsOk: 2, rowsFailed: 1 });
    expect(job.errors).toEqual([expect.objectContaining({ line: 3, path: "url" })]);
    expect(res.headers.get("location")).toBe(`/api/content/import/${job.id}?cid=${cid}`);
    expect((await ok(await admin(`/api/content/import/${job.id}?cid=${cid}`))).data).toEqual(job);
    const three = (await ok(await admin(`/api/content/doc?cid=${cid}&url=https://ex.com/three`))).data;
    expect(three).toMatchObject({ title: "Three, with a comma", keywords: ["coffee"], source: "import" });
    const noUrl = await call(`/api/content/doc?cid=${cid}`, {
      method: "POST",
      headers: { authorization: ADMIN, "content-type": "text/csv" },
      body: "title\nx\n",
    });
    expect(noUrl.status).toBe(400);
    expect((await admin(`/api/content/import/${"0".repeat(32)}?cid=${cid}`)).status).toBe(404);
  });

  it("imports a large CSV file as a job in chunks, with progress, line-numbered errors and every good row", async () => {
    const cid = await newAccount();
    const ROWS = 6000;
    const lines = ["url,title,description,keywords"];
    for (let i = 0; i < ROWS; i++) {
      // Line i + 2 of the file; two bad lines, one early and one in the last chunk.
      if (i === 1) lines.push("ftp://ex.com/bad,Bad,,");
      else if (i === ROWS - 5) lines.push("https://ex.com/short,only two");
      else
        lines.push(`https://ex.com/a/${i},Café ☕ story ${i},"A walk, a cup of coffee and the note ${i}",coffee|walks`);
    }
    const csv = lines.join("\r\n");
    expect(new TextEncoder().encode(csv).length).toBeGreaterThan(2 * 256 * 1024);
    const res = await call(`/api/content/doc?cid=${cid}`, {
      method: "POST",
      headers: { authorization: ADMIN, "content-type": "text/csv" },
      body: csv,
    });
    const first = (await ok(res, 202)).data;
    // One chunk was read in the request; the rest waits for the content object's alarm.
    expect(first.state).toBe("processing");
    expect(first.progress).toBeGreaterThan(0);
    expect(first.progress).toBeLessThan(1);
    expect(first.rowsOk).toBeLessThan(ROWS - 2);
    const status = async () => (await ok(await admin(`/api/content/import/${first.id}?cid=${cid}`))).data;
    const done = await eventually(status, (j) => j.state === "done", 20_000);
    expect(done).toMatchObject({ state: "done", progress: 1, rowsOk: ROWS - 2, rowsFailed: 2, errorsTotal: 2 });
    expect(done.errors).toEqual([
      expect.objectContaining({ line: 3, path: "url" }),
      expect.objectContaining({ line: ROWS - 5 + 2, message: "2 values, but the header has 4 columns" }),
    ]);
    expect(done.finished).not.toBeNull();
    const last = (await ok(await admin(`/api/content/doc?cid=${cid}&url=https://ex.com/a/${ROWS - 1}`))).data;
    expect(last).toMatchObject({ title: `Café ☕ story ${ROWS - 1}`, keywords: ["coffee", "walks"], source: "import" });
    expect((await ok(await admin(`/api/content/doc?cid=${cid}&limit=1`))).total).toBe(ROWS - 2);
    const list = (await ok(await admin(`/api/content/import?cid=${cid}`))).data;
    expect(list.map((j: { id: string }) => j.id)).toEqual([first.id]);
  }, 60_000);
});

describe("topic affinities", () => {
  it("learns affinities from views, decays them with a 30-day half-life, and surfaces them when the account does", async () => {
    const cid = await newAccount({ surfaced_fields: ["topic_affinity", "topic_visited"] });
    await seedArticles(cid);
    await ok(
      await admin(`/v2/segment?cid=${cid}`, "POST", {
        slug_name: "hikers",
        segment_ql: "FILTER topic_affinity.hiking > 0.5",
        is_public: true,
      }),
      201,
    );
    const now = Date.now();
    // Two hiking articles read 60 days ago: 2 · 2^-2 = 0.5 → affinity 0.5 / 1.5.
    await ok(
      await collect(cid, [
        pageView("old", "article-trails", {}, now - 60 * DAY),
        pageView("old", "article-boots", {}, now - 60 * DAY),
      ]),
    );
    let user = (await personalize(cid, "old")).body.data.user;
    expect(user.topic_affinity.hiking).toBeCloseTo(1 / 3, 3);
    expect(user.topic_visited.hiking).toBe(2);
    expect(user.segments).not.toContain("hikers");
    // Read today: 2 · 1 → 2 / 3, and the audience takes the visitor in.
    await ok(await collect(cid, [pageView("new", "article-trails", {}), pageView("new", "article-boots", {})]));
    user = (await personalize(cid, "new")).body.data.user;
    expect(user.topic_affinity.hiking).toBeCloseTo(2 / 3, 3);
    expect(user.segments).toContain("hikers");
    const entity = await ok(await admin(`/api/entity/user/_uid/new?cid=${cid}`));
    expect(JSON.stringify(entity)).toContain("topic_last_visit");
  });

  it("adds up the content history of two profiles found to be one person", async () => {
    const cid = await newAccount();
    await seedArticles(cid);
    await ok(await collect(cid, pageView("phone", "article-trails", {})));
    await ok(await collect(cid, pageView("laptop", "article-boots", {})));
    // The site's server says both browsers belong to one signed-in person.
    await ok(await admin(`/collect/json/login?cid=${cid}`, "POST", { _uid: "phone", user_id: "kim" }));
    await ok(await admin(`/collect/json/login?cid=${cid}`, "POST", { _uid: "laptop", user_id: "kim" }));
    const entity = (await ok(await admin(`/api/entity/user/user_id/kim?cid=${cid}`))).data;
    expect(entity.topic_visited.hiking).toBe(2);
    expect(entity.content_visited).toBe(2);
    expect(entity.topic_affinity.hiking).toBeCloseTo(2 / 3, 3);
  });

  it("keeps affinities out of /personalize when the account does not surface them", async () => {
    const cid = await newAccount();
    await seedArticles(cid);
    await ok(await collect(cid, pageView("v", "article-trails", {})));
    const user = (await personalize(cid, "v")).body.data.user;
    expect(user.topic_affinity).toBeUndefined();
  });
});

describe("the recommendation API", () => {
  async function reader(cid: string, uid: string, slugs: string[]) {
    for (const slug of slugs) await ok(await collect(cid, pageView(uid, slug, {})));
  }

  it("gives an unknown visitor popular content and a hiking reader unvisited hiking articles first", async () => {
    const cid = await newAccount();
    await seedArticles(cid);
    await reader(cid, "p1", ["article-espresso"]);
    await reader(cid, "p2", ["article-espresso", "article-grinders"]);
    expect((await urls(await recommend(cid, "nobody", "limit=2"))).slice(0, 2)).toEqual([
      "article-espresso",
      "article-grinders",
    ]);
    await reader(cid, "hiker", ["article-trails", "article-boots", "article-summit"]);
    const res = await ok(await recommend(cid, "hiker", "limit=3"));
    expect(res.data.map((d: { url: string }) => d.url.split("/").pop())).toEqual([
      "article-ridge",
      expect.any(String),
      expect.any(String),
    ]);
    expect(res.data[0]).toMatchObject({
      title: "Ridge walks in autumn",
      visited: false,
      created: "2026-01-04T00:00:00.000Z",
    });
    expect(res.data[0].confidence).toBeGreaterThan(0);
    expect(res.data[1].confidence).toBeLessThan(res.data[0].confidence);
  });

  it("ranks by popular and recent, and filters by topics, url patterns, contentsegment (filter or slug) and visited", async () => {
    const cid = await newAccount();
    await seedArticles(cid);
    await reader(cid, "h", ["article-trails"]);
    await reader(cid, "h2", ["article-trails", "article-boots"]);
    expect(await urls(await recommend(cid, "x", "rank=popular&limit=2"))).toEqual(["article-trails", "article-boots"]);
    expect(await urls(await recommend(cid, "x", "rank=recent&limit=2"))).toEqual(["article-tents", "article-pourover"]);
    expect(await urls(await recommend(cid, "x", "topics[]=coffee&rank=recent"))).toEqual([
      "article-pourover",
      "article-grinders",
      "article-espresso",
    ]);
    expect(await urls(await recommend(cid, "x", "url=*article-t*"))).toEqual(
      expect.arrayContaining(["article-trails", "article-tents"]),
    );
    expect((await urls(await recommend(cid, "x", "exclude_url=*article-*"))).length).toBe(0);
    const ql = encodeURIComponent('FILTER topics INTERSECTS ("camping") FROM content');
    expect(await urls(await recommend(cid, "x", `contentsegment=${ql}`))).toEqual(["article-tents"]);
    await ok(
      await admin(`/api/content/segment?cid=${cid}`, "POST", {
        segment_ql: 'FILTER url LIKE "*/demo/article-e*" FROM content ALIAS e_articles',
      }),
      201,
    );
    expect(await urls(await recommend(cid, "x", "contentsegment=e_articles"))).toEqual(["article-espresso"]);
    expect((await recommend(cid, "x", "contentsegment=nope")).status).toBe(404);
    expect((await recommend(cid, "x", "limit=51")).status).toBe(400);
    expect((await recommend(cid, "x", "rank=best")).status).toBe(400);
    // visited=false (default) leaves out what the visitor read; visited=true keeps it and says so.
    expect(await urls(await recommend(cid, "h2", "topics[]=hiking&limit=10"))).not.toContain("article-trails");
    const all = (await ok(await recommend(cid, "h2", "topics[]=hiking&visited=true&limit=10"))).data;
    expect(all.find((d: { url: string }) => d.url.endsWith("article-trails")).visited).toBe(true);
    expect((await ok(await recommend(cid, "x", "shuffle=true&limit=3"))).data).toHaveLength(3);
  });

  it("serves the token variant without an origin, and the browser variant only to allowlisted origins", async () => {
    const cid = await newAccount();
    await seedArticles(cid);
    await reader(cid, "t", ["article-espresso", "article-grinders"]);
    const server = await ok(await admin(`/api/content/recommend/user/_uid/t?cid=${cid}&limit=1`));
    expect(server.data[0].url).toBe("localhost:8080/demo/article-pourover");
    expect((await call(`/api/content/recommend/user/_uid/t?cid=${cid}`)).status).toBe(401);
    const browser = await recommend(cid, "t", "limit=1");
    expect(browser.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect((await urls(browser))[0]).toBe("article-pourover");
    expect(
      await urls(await call(`/api/content/recommend/${cid}/user/_uid/t?limit=1`, { headers: { origin: ORIGIN } })),
    ).toEqual(["article-pourover"]);
    const evil = await recommend(cid, "t", "", { headers: { origin: "https://evil.example" } });
    expect(evil.status).toBe(403);
    expect((await recommend(cid, "t", "", { headers: { origin: ORIGIN } })).status).toBe(200);
    expect((await call(`/api/content/recommend/${cid}/user/email/a@b.c`, { headers: { origin: ORIGIN } })).status).toBe(
      403,
    );
  });

  it("answers 429 with Retry-After past the account's budget", async () => {
    const cid = await newAccount({ rate_limit_per_second: 2 });
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => admin(`/api/content/recommend/user/_uid/x?cid=${cid}`)),
    );
    const limited = answers.filter((r) => r.status === 429);
    expect(answers.filter((r) => r.status === 200).length).toBeLessThanOrEqual(4);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0]!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await limited[0]!.json()).status).toBe(429);
  });
});
