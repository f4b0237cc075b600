import { describe, expect, it } from "vitest";
import {
  buildCorpus,
  documentTerms,
  extractTopics,
  foldPlural,
  splitKeywords,
  terms,
  updateCorpus,
} from "../../../../edge/content/documents/topics";

/** A fixed small corpus: three hiking, two coffee, one cycling page. */
const corpus = [
  { title: "Ten quiet trails for autumn", description: "Hiking trails away from the crowds, with maps." },
  { title: "Hiking boots that last", description: "How to choose hiking boots for rocky trails." },
  { title: "Waterfalls worth the climb", description: "Hiking to waterfalls in spring, with trail maps." },
  { title: "Why your espresso tastes sour", description: "Espresso extraction explained: grind, dose and time." },
  { title: "Choosing a coffee grinder", description: "Burr grinders and the grind size for espresso." },
  { title: "Commuting by bike in the rain", description: "Fenders, lights and rain gear for the bike commute." },
];
const stats = buildCorpus(corpus);

describe("terms", () => {
  it("lower-cases, drops stop words, short words and numbers, folds plurals", () => {
    expect(terms("Ten quiet trails for the Autumn of 2024")).toEqual(["ten", "quiet", "trail", "autumn"]);
    expect(terms("Café crème: berries & boots")).toEqual(["cafe", "creme", "berry", "boot"]);
    expect(terms("The grass is less glass; bus")).toEqual(["grass", "glass", "bus"]);
    expect(terms("Why your espresso's taste")).toEqual(["espresso", "taste"]);
  });

  it("folds plurals only where the light rule applies", () => {
    expect(["trails", "berries", "boots", "news", "class", "campus", "analysis", "gas"].map(foldPlural)).toEqual([
      "trail",
      "berry",
      "boot",
      "news",
      "class",
      "campus",
      "analysis",
      "gas",
    ]);
  });
});

describe("keywords", () => {
  it("splits, normalises and deduplicates publisher labels in order", () => {
    expect(splitKeywords(" Hiking, Trail  Running;hiking ,, Autumn ")).toEqual(["hiking", "trail running", "autumn"]);
    expect(splitKeywords(["Coffee", "espresso, Coffee"])).toEqual(["coffee", "espresso"]);
    expect(splitKeywords(["__proto__", "x".repeat(65), "ok"])).toEqual(["ok"]);
  });
});

describe("extractTopics on a fixed corpus", () => {
  it("counts each document's distinct terms once", () => {
    expect(stats.documents).toBe(6);
    expect(stats.df["hiking"]).toBe(3);
    expect(stats.df["trail"]).toBe(3);
    expect(stats.df["espresso"]).toBe(2);
    expect(stats.df["rain"]).toBe(1);
  });

  it("weights title and description terms by TF-IDF against the corpus", () => {
    const topics = extractTopics(corpus[1]!, stats);
    // tf: boot 2+1, hiking 2+1, last 2, choose 1, rocky 1, trail 1; idf ln(1 + 6/df):
    // boot, last, choose, rocky df 1 (ln 7), hiking and trail df 3 (ln 3). The best (boot) gets 0.8:
    // last 0.8·2ln7/3ln7, hiking 0.8·3ln3/3ln7, choose/rocky 0.8·ln7/3ln7; trail (0.15) is below 0.2.
    expect(topics).toEqual({ boot: 0.8, last: 0.5333, hiking: 0.4517, choose: 0.2667, rocky: 0.2667 });
    expect(Object.keys(topics)).toEqual(["boot", "last", "hiking", "choose", "rocky"]);
  });

  it("puts the publisher's keywords and tags first with weight 1", () => {
    const topics = extractTopics({ ...corpus[0]!, keywords: ["Hiking", "autumn"] }, stats);
    expect(Object.entries(topics).slice(0, 2)).toEqual([
      ["autumn", 1],
      ["hiking", 1],
    ]);
    expect(topics["trail"]).toBeGreaterThan(0);
    expect(topics["trail"]).toBeLessThan(1);
  });

  it("is stable: the same corpus gives the same topics in the same order", () => {
    const again = buildCorpus([...corpus].reverse());
    for (const doc of corpus)
      expect(JSON.stringify(extractTopics(doc, again))).toBe(JSON.stringify(extractTopics(doc, stats)));
  });

  it("ranks a term rarer in the corpus above a common one", () => {
    const topics = extractTopics({ title: "Hiking in the rain", description: "" }, stats);
    expect(topics["rain"]).toBeGreaterThan(topics["hiking"]!);
  });

  it("works for the first document of an empty corpus and for words like constructor", () => {
    const first = { title: "Constructor toString valueOf guide", description: "" };
    const topics = extractTopics(first, buildCorpus([]));
    expect(Object.keys(topics).sort()).toEqual(["constructor", "guide", "tostring", "valueof"]);
    expect(Object.values(topics).every((w) => w === 0.8)).toBe(true);
  });

  it("keeps the corpus right when documents change or leave", () => {
    const s = buildCorpus(corpus);
    updateCorpus(s, documentTerms(corpus[5]!), -1);
    expect(s.documents).toBe(5);
    expect(s.df["rain"]).toBeUndefined();
    updateCorpus(s, documentTerms(corpus[5]!), 1);
    expect(s).toEqual(stats);
  });
});
