import { describe, expect, it } from "vitest";
import { admin, call, collect, eventually, newAccount, ok } from "../helpers";

const doc = (slug: string, title: string, keywords: string[]) => ({
  url: `http://localhost:8080/demo/${slug}`,
  title,
  keywords,
});
const view = (uid: string, slug: string) => ({
  _e: "pv",
  _uid: uid,
  url: `localhost:8080/demo/${slug}`,
  _content: { url: `http://localhost:8080/demo/${slug}` },
});
const explain = (cid: string, uid: string, query = "") =>
  admin(`/api/content/explain/user/_uid/${uid}?cid=${cid}${query}`);

describe("recommendation preview with reasons", () => {
  it("ranks a hiking reader's documents by topic affinity and says which topic made each one rank", async () => {
    const cid = await newAccount();
    await ok(
      await admin(`/api/content/doc?cid=${cid}`, "POST", [
        doc("trails", "Ten quiet trails", ["hiking"]),
        doc("boots", "Breaking in boots", ["hiking"]),
        doc("summit", "Your first summit", ["hiking"]),
        doc("espresso", "Espresso at home", ["coffee"]),
      ]),
      201,
    );
    await collect(cid, [view("hiker", "trails"), view("hiker", "boots")]);
    const body = await eventually(
      async () => (await ok(await explain(cid, "hiker"))).data,
      (d) => d.visitor.affinities.length > 0,
    );
    expect(body.visitor).toMatchObject({ found: true, visited: 2 });
    expect(body.visitor.affinities[0].topic).toBe("hiking");
    expect(body.rank_used).toBe("affinity");
    const [first, ...rest] = body.items;
    expect(first.url).toMatch(/summit$/);
    expect(first.topics[0]).toMatchObject({ topic: "hiking" });
    expect(first.topics[0].contribution).toBeGreaterThan(0);
    expect(first.reasons[0]).toMatch(/interest in hiking/);
    const coffee = rest.find((i: any) => i.url.endsWith("espresso"));
    expect(coffee.reasons[0]).toMatch(/no topic/);
    // Visited documents stay out unless asked for, as the recommendation API does.
    expect(body.items.map((i: any) => i.url)).not.toContain("http://localhost:8080/demo/trails");
    const withVisited = (await ok(await explain(cid, "hiker", "&visited=true"))).data.items;
    expect(withVisited.find((i: any) => i.url.endsWith("trails")).reasons).toContain("the visitor has already seen it");
  });

  it("an unknown visitor gets the popular ranking, said so; bad parameters answer 400; a token is needed", async () => {
    const cid = await newAccount();
    await ok(await admin(`/api/content/doc?cid=${cid}`, "POST", [doc("a", "A", ["x"])]), 201);
    const body = (await ok(await explain(cid, "stranger"))).data;
    expect(body.visitor).toEqual({ found: false, profile_id: null, affinities: [], visited: 0 });
    expect(body.rank_used).toBe("popular");
    expect(body.items[0].reasons.join(" ")).toMatch(/no topic affinities yet/);
    expect((await explain(cid, "stranger", "&limit=500")).status).toBe(400);
    expect((await call(`/api/content/explain/user/_uid/x?cid=${cid}`)).status).toBe(401);
  });
});
